export * from './api-error.js';
export * from './api-auth.js';
export type * from './api-deps.js';
export * from './register-api.js';
export * from './bootstrap-admin.js';
