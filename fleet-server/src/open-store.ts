import { redactUrl, storeSelection } from './config/store-config.js';
import type { ServerConfig } from './config/server-config.js';
import { PgStore } from './store-pg/pg-store.js';
import { SqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store.js';

/**
 * Opens (and migrates) the store server.yaml selects: SQLite by default, PostgreSQL with
 * `store: { kind: postgres, url }`. A failure names the store, never the password.
 */
export async function openStore(config: ServerConfig, now?: () => number): Promise<Store> {
  const selected = storeSelection(config);
  const clock = now ? { now } : {};
  if (selected.kind === 'sqlite') {
    try {
      return SqliteStore.open({ path: selected.path, ...clock });
    } catch (err) {
      throw new Error(`store: cannot open SQLite file ${selected.path}: ${(err as Error).message}`, { cause: err });
    }
  }
  try {
    return await PgStore.open({ connectionString: selected.url, schema: selected.schema, maxConnections: selected.pool, connectTimeoutMs: selected.connectTimeoutMs, ...clock });
  } catch (err) {
    const reason = (err as Error).message || (err as { code?: string }).code || String(err);
    throw new Error(`store: cannot open PostgreSQL at ${redactUrl(selected.url)} (schema ${selected.schema}): ${reason}`, { cause: err });
  }
}
