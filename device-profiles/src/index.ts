export * from './schema/index.js';
export * from './alarms/index.js';
