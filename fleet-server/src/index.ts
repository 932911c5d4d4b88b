export * from './store/index.js';
export * from './notify/index.js';
export * from './broker/index.js';
export * from './store-pg/index.js';
export * from './alerts/index.js';
export * from './dispatch/index.js';
