export * from './schema/index.js';
export * from './alarms/index.js';
export * from './codec/index.js';
