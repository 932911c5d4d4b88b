import type { Database } from 'better-sqlite3';
import { OutboxError } from './outbox-error.js';

/** meta keys: the last seq assigned per stream, the persisted telemetry drop count, the file's epoch. */
export const META_KEYS = {
  eventsSeq: 'seq.events',
  telemetrySeq: 'seq.telemetry',
  telemetryDropped: 'dropped.telemetry',
  epoch: 'epoch',
} as const;

interface Migration {
  version: number;
  apply: (db: Database, now: number) => void;
}

/**
 * Append-only: a later schema change adds a migration with the next version, never edits one.
 * The stream tables key rows by seq (INTEGER PRIMARY KEY is the rowid, so seq order is the
 * table order and no extra index is needed for peek, ack or oldest-first eviction).
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    apply: (db) =>
      db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO meta (key, value) VALUES
        ('${META_KEYS.eventsSeq}', 0), ('${META_KEYS.telemetrySeq}', 0), ('${META_KEYS.telemetryDropped}', 0);
      CREATE TABLE events (seq INTEGER PRIMARY KEY, enqueued_at INTEGER NOT NULL, bytes INTEGER NOT NULL, item TEXT NOT NULL);
      CREATE TABLE telemetry (seq INTEGER PRIMARY KEY, enqueued_at INTEGER NOT NULL, bytes INTEGER NOT NULL, item TEXT NOT NULL);
    `),
  },
  {
    // The epoch names this file on the wire (docs/mqtt-topics.md "Outbox epoch"): the server
    // dedups on (gateway, stream, epoch, seq), so a replacement file's seqs, restarting at 1,
    // are not taken for duplicates. A file that has assigned seqs keeps 0, the key the server
    // filed its delivered rows under, so re-sending its in-flight rows still dedups. A file that
    // never assigned one (new, or created by v1 just before a crash) takes its creation time.
    version: 2,
    apply: (db, now) => {
      const assigned = db.prepare(`SELECT coalesce(sum(value), 0) AS n FROM meta WHERE key IN ('${META_KEYS.eventsSeq}', '${META_KEYS.telemetrySeq}')`).get() as { n: number };
      const hasRows = db.prepare('SELECT EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM telemetry) AS has').get() as { has: number };
      const epoch = assigned.n === 0 && hasRows.has === 0 ? Math.max(1, Math.trunc(now)) : 0;
      db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(META_KEYS.epoch, epoch);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);

/**
 * Connection settings. auto_vacuum must precede the first table (SQLite: it cannot be turned on
 * later without a VACUUM), so it comes before WAL. synchronous=FULL: WAL+NORMAL may lose the
 * last commits on power loss, and the outbox acknowledges rows to the poller (LIBRARIES.md).
 */
export function configureConnection(db: Database): void {
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // Checkpoints truncate the WAL back to this size, so an outage's burst does not keep the disk.
  db.pragma('journal_size_limit = 67108864');
  db.pragma('busy_timeout = 5000');
}

/** PRAGMA quick_check: O(N) structural check, cheap enough for every start. */
export function checkIntegrity(db: Database, file: string): void {
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length > 0) {
    throw new OutboxError('OUTBOX_CORRUPT', `outbox ${file} failed PRAGMA quick_check: ${problems.slice(0, 5).join('; ')}`, { file, problems });
  }
}

/** Applies every migration above the file's version, each in its own transaction. */
export function migrate(db: Database, file: string, now: number): number {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const current = (db.prepare('SELECT coalesce(max(version), 0) AS v FROM migrations').get() as { v: number }).v;
  if (current > SCHEMA_VERSION) {
    throw new OutboxError('OUTBOX_SCHEMA_TOO_NEW', `outbox ${file} has schema version ${current}; this gateway knows up to ${SCHEMA_VERSION}`, { file, current });
  }
  const record = db.prepare('INSERT INTO migrations (version, applied_at) VALUES (?, ?)');
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.apply(db, now);
      record.run(m.version, now);
    })();
  }
  return SCHEMA_VERSION;
}
