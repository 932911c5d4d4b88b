import pg from 'pg';
import { StoreError } from '../store/store-error.js';

/** A connection or pool: anything that can run one query. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

const INT8_OID = 20;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * BIGINT comes back as a string by default; every BIGINT here is an epoch ms, seq or serial id,
 * all far below 2^53, so they parse as numbers.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** Refuses a schema name that would need quoting, so it can be spliced into DDL and search_path. */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreError('STORE_INVALID', `PostgreSQL schema "${schema}" must match ${SCHEMA_NAME.source}`);
  }
  return schema;
}

/** A pool whose every connection resolves unqualified names in `schema` only. */
export function createPool(connectionString: string, schema: string, max = 10, connectionTimeoutMillis = 10_000): pg.Pool {
  return new pg.Pool({ connectionString, max, connectionTimeoutMillis, types, options: `-c search_path=${checkSchemaName(schema)}` });
}

/** Runs `work` in one transaction on one pooled connection; rolls back on any error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** SQLSTATE 23503 foreign_key_violation: the caller named a parent row that does not exist. */
export async function runReferencing<T>(what: string, parent: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === '23503') {
      throw new StoreError('STORE_INVALID', `${what}: ${parent} does not exist`, { cause: err });
    }
    throw err;
  }
}

/** SQLSTATE 23505 unique_violation: the caller reused an id (CONFLICT). */
export async function runUnique<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === '23505') {
      throw new StoreError('STORE_CONFLICT', `${what} already exists`, { cause: err });
    }
    throw err;
  }
}
