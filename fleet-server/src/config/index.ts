export * from './server-config.js';
