import { StoreError } from './store-error.js';

/** Runs a write; a foreign-key failure means the caller named a parent row that does not exist. */
export function runReferencing<T>(what: string, parent: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
      throw new StoreError('STORE_INVALID', `${what}: ${parent} does not exist`, { cause: err });
    }
    throw err;
  }
}
