export * from './metrics-registry.js';
export * from './broker-metrics.js';
