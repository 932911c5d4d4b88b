export { PgStore, DEFAULT_PG_SCHEMA } from './pg-store.js';
export type { PgStoreOptions } from './pg-store.js';
export { PG_SCHEMA_VERSION } from './pg-migrations.js';
export { PG_DEFAULT_LEASE_MS } from './pg-notifications.js';
