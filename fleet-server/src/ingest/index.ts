export * from './decode-uplink.js';
export * from './command-result-event.js';
export * from './ingest-metrics.js';
export * from './start-ingest.js';
