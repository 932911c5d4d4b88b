export * from './store/index.js';
export * from './notify/index.js';
export * from './broker/index.js';
