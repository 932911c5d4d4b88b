export * from './clock.js';
export * from './line-silence.js';
export * from './lane-queue.js';
export * from './bus-stats.js';
export * from './bus-scheduler.js';
export * from './circuit-breaker.js';
export * from './scheduler-error.js';
