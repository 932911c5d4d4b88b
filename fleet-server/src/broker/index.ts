export * from './acl.js';
export * from './credentials.js';
export * from './rate-limiter.js';
export * from './secret-hash.js';
export * from './start-broker.js';
export * from './store-credentials.js';
export * from './tls-material.js';
