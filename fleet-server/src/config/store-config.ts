import path from 'node:path';
import * as z from 'zod';

const SqliteStoreConfig = z.strictObject({
  kind: z.literal('sqlite'),
  /** Relative paths are relative to dataDir; default edgefleet.sqlite (or the legacy top-level `database`). */
  file: z.string().min(1).optional(),
});

const PostgresStoreConfig = z.strictObject({
  kind: z.literal('postgres'),
  url: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// connection URL'),
  /** Connections in the pool. */
  pool: z.int().min(1).max(1_000).default(10),
  /**
   * How long to wait for a connection (to open one, or for a free one from a busy pool) before the
   * query fails. Without it a black-holed database host or a pool held by stuck queries makes API
   * requests and ingest batches hang instead of failing (the gateway then resends the batch).
   */
  connectTimeoutMs: z.int().min(100).max(600_000).default(10_000),
  /** Schema holding the tables (created if missing); a lower-case identifier. */
  schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case identifier such as edgefleet').default('edgefleet'),
});

/** server.yaml `store` (docs/server-config.md): which Store implementation the server opens. */
export const storeConfigSchema = z.discriminatedUnion('kind', [SqliteStoreConfig, PostgresStoreConfig]);

export type StoreConfig = z.output<typeof storeConfigSchema>;

export const DEFAULT_DATABASE_FILE = 'edgefleet.sqlite';

/** What the server opens, with the SQLite path resolved. */
export type StoreSelection =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string; pool: number; schema: string; connectTimeoutMs: number };

/**
 * The store to open. `store` wins; without it the legacy top-level `database` (a SQLite file)
 * still works, so older server.yaml files keep their data.
 */
export function storeSelection(config: { dataDir: string; database?: string | undefined; store?: StoreConfig | undefined }): StoreSelection {
  const store = config.store ?? { kind: 'sqlite' as const };
  if (store.kind === 'postgres') return { kind: 'postgres', url: store.url, pool: store.pool, schema: store.schema, connectTimeoutMs: store.connectTimeoutMs };
  return { kind: 'sqlite', path: path.resolve(config.dataDir, store.file ?? config.database ?? DEFAULT_DATABASE_FILE) };
}

/** The URL with its password replaced, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
