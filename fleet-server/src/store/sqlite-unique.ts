import { StoreError } from './store-error.js';

/** Runs an insert; a primary-key or unique violation means the caller reused an id (CONFLICT). */
export function runUnique<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof Error && 'code' in err && (err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || err.code === 'SQLITE_CONSTRAINT_UNIQUE')) {
      throw new StoreError('STORE_CONFLICT', `${what} already exists`, { cause: err });
    }
    throw err;
  }
}
