export * from './site-config.js';
export * from './site-error.js';
export * from './fault-catalog.js';
export * from './site.js';
export * from './control-api.js';
export * from './load-site.js';
