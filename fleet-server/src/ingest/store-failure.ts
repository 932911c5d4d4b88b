import { StoreError } from '../store/store-error.js';

// SQLite result codes that reject the data itself (https://sqlite.org/rescode.html): retrying the
// same message cannot succeed. Extended codes start with these (SQLITE_CONSTRAINT_FOREIGNKEY, ...).
const SQLITE_DATA_CODES = ['SQLITE_CONSTRAINT', 'SQLITE_MISMATCH', 'SQLITE_TOOBIG', 'SQLITE_RANGE'];
// SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation), PostgreSQL appendix A.
const PG_DATA_CLASSES = ['22', '23'];

/**
 * Is this store failure about the message (retrying it cannot help: acknowledge and count it) rather
 * than about the store (disk full, I/O, a lost PostgreSQL connection: refuse it so the gateway
 * keeps it in its outbox and sends it again)? Unknown failures count as transient: a poison
 * message then loops through reconnects (rate-limited), which is visible, while acknowledging a
 * batch that was not stored loses it silently.
 */
export function isPermanentStoreFailure(err: unknown): boolean {
  if (err instanceof StoreError) return true;
  const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  if (code === undefined) return false;
  if (SQLITE_DATA_CODES.some((c) => code.startsWith(c))) return true;
  return /^[0-9A-Z]{5}$/.test(code) && PG_DATA_CLASSES.includes(code.slice(0, 2));
}
