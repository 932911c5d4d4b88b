export * from './device-alarms.js';
export * from './active-alarms-store.js';
