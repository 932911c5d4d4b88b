export * from './store.js';
export * from './store-types.js';
export * from './store-error.js';
export { SqliteStore } from './sqlite-store.js';
export type { SqliteStoreOptions } from './sqlite-store.js';
export { SCHEMA_VERSION } from './sqlite-migrations.js';
export { DEFAULT_LEASE_MS } from './sqlite-notifications.js';
export { DEFAULT_QUERY_LIMIT, MAX_QUERY_LIMIT } from './query-limit.js';
