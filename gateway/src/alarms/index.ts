export * from './device-alarms.js';
