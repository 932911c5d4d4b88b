import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { OutboxError } from './outbox-error.js';
import { checkIntegrity, configureConnection, migrate } from './outbox-schema.js';
import { SqliteOutbox } from './sqlite-outbox.js';
import type { SqliteOutboxDeps } from './sqlite-outbox.js';

export interface OutboxOptions {
  /** The SQLite file; missing directories are created. */
  path: string;
  /** Bound on stored row bytes (JSON + ROW_OVERHEAD_BYTES), both streams together. */
  maxBytes: number;
  /** Telemetry older than this (by enqueue time) is evicted. */
  maxAgeMs: number;
  /** Longest a reading waits in memory before its transaction; default 50 ms. */
  flushIntervalMs?: number;
  /** Telemetry rows per transaction; default 500. */
  batchSize?: number;
  now?: () => number;
  logger?: Logger;
  /** Called (deferred) once each time a bound is crossed; see SqliteOutboxDeps.onNotice. */
  onNotice?: SqliteOutboxDeps['onNotice'];
}

export const OUTBOX_DEFAULTS = { flushIntervalMs: 50, batchSize: 500 } as const;

function requirePositive(name: string, value: number, isInteger = false): void {
  if (!(value > 0) || (isInteger && !Number.isInteger(value))) {
    throw new RangeError(`outbox option ${name} must be a positive ${isInteger ? 'integer' : 'number'}, got ${value}`);
  }
}

/** SQLITE_CORRUPT / SQLITE_NOTADB at open mean the same as a failed quick_check. */
const isCorruptionError = (err: unknown): boolean =>
  err instanceof Error && 'code' in err && (err.code === 'SQLITE_CORRUPT' || err.code === 'SQLITE_NOTADB');

/**
 * Opens (or creates) the outbox: directories, pragmas, PRAGMA quick_check, migrations, then
 * the current depth, bytes and seqs. A corrupt file is refused with OUTBOX_CORRUPT, never
 * written into: the operator decides whether to move it aside.
 */
export function openOutbox(options: OutboxOptions): SqliteOutbox {
  const { maxBytes, maxAgeMs, flushIntervalMs = OUTBOX_DEFAULTS.flushIntervalMs, batchSize = OUTBOX_DEFAULTS.batchSize } = options;
  requirePositive('maxBytes', maxBytes);
  requirePositive('maxAgeMs', maxAgeMs);
  requirePositive('flushIntervalMs', flushIntervalMs);
  requirePositive('batchSize', batchSize, true);
  const now = options.now ?? Date.now;
  const logger = options.logger ?? pino({ level: 'silent' });
  const file = path.resolve(options.path);
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    configureConnection(db);
    checkIntegrity(db, file);
    const version = migrate(db, file, now());
    const outbox = new SqliteOutbox({ db, file, maxBytes, maxAgeMs, flushIntervalMs, batchSize, now, logger, onNotice: options.onNotice });
    logger.info({ file, version, ...outbox.stats() }, 'outbox opened');
    return outbox;
  } catch (err) {
    db.close();
    const coded = isCorruptionError(err)
      ? new OutboxError('OUTBOX_CORRUPT', `outbox ${file} is not a readable SQLite database: ${(err as Error).message}`, { file }, { cause: err })
      : err;
    if (coded instanceof OutboxError) logger.error({ err: coded, code: coded.code, file }, 'outbox: refusing to open');
    throw coded;
  }
}
