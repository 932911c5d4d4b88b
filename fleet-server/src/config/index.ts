export * from './server-config.js';
export * from './store-config.js';
export * from './broker-tls-config.js';
