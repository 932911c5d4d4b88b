export * from './modbus-transport.js';
export * from './modbus-error.js';
export * from './rtu-transport.js';
export * from './tcp-transport.js';
export * from './reconnect-backoff.js';
export * from './request-limits.js';
export { CallLimiter } from './call-limiter.js';
