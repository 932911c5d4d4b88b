export * from './metrics-registry.js';
export * from './broker-metrics.js';
export * from './alert-metrics.js';
