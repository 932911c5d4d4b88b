import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOutbox } from '../../src/outbox/open-outbox.js';
import type { OutboxOptions } from '../../src/outbox/open-outbox.js';
import type { SqliteOutbox } from '../../src/outbox/sqlite-outbox.js';
import { SCHEMA_VERSION } from '../../src/outbox/outbox-schema.js';
import { alarm, makeTempDir, reading } from './outbox-fixtures.js';

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
const open: SqliteOutbox[] = [];
const openAt = (opts: Partial<OutboxOptions> = {}): SqliteOutbox => {
  const outbox = openOutbox({ path: tmp.file, maxBytes: 10_000_000, maxAgeMs: 86_400_000, ...opts });
  open.push(outbox);
  return outbox;
};

/**
 * The outbox as schema v1 wrote it (the v1 migration's SQL, verbatim), so the v2 migration
 * is tested on a file the previous release really produced, not on one this release made.
 */
function writeV1File(file: string, fill: (db: Database.Database) => void): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(`
      CREATE TABLE migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO meta (key, value) VALUES ('seq.events', 0), ('seq.telemetry', 0), ('dropped.telemetry', 0);
      CREATE TABLE events (seq INTEGER PRIMARY KEY, enqueued_at INTEGER NOT NULL, bytes INTEGER NOT NULL, item TEXT NOT NULL);
      CREATE TABLE telemetry (seq INTEGER PRIMARY KEY, enqueued_at INTEGER NOT NULL, bytes INTEGER NOT NULL, item TEXT NOT NULL);
      INSERT INTO migrations (version, applied_at) VALUES (1, 1700000000000);
    `);
    fill(db);
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(async () => {
  for (const o of open.splice(0)) o.close();
  await tmp.cleanup();
});

describe('outbox epoch', () => {
  it('a new file takes its creation time from the injected clock, and keeps it across reopen and writes', () => {
    const first = openAt({ now: () => 1_790_000_000_123 });
    expect(first.epoch).toBe(1_790_000_000_123);
    first.enqueueEvents([alarm(1)]);
    first.close();
    const second = openAt({ now: () => 1_790_000_999_999 });
    expect(second.epoch).toBe(1_790_000_000_123);
    expect(second.enqueueEvents([alarm(2)])).toEqual([2]);
  });

  it('a new file is never at epoch 0, the legacy epoch, even when the clock reads 0', () => {
    expect(openAt({ now: () => 0 }).epoch).toBe(1);
  });

  it('a replacement file after the old one is deleted takes a new epoch and restarts seqs at 1', async () => {
    const first = openAt({ now: () => 1_790_000_000_000 });
    first.enqueueEvents([alarm(1), alarm(2)]);
    first.close();
    await tmp.cleanup();
    const second = openAt({ now: () => 1_790_000_060_000 });
    expect(second.epoch).toBe(1_790_000_060_000);
    expect(second.enqueueEvents([alarm(3)])).toEqual([1]);
  });

  it('a v1 file that has assigned seqs migrates to epoch 0 and keeps its rows and seqs', () => {
    writeV1File(tmp.file, (db) => {
      const item = JSON.stringify(alarm(1));
      db.prepare('INSERT INTO events (seq, enqueued_at, bytes, item) VALUES (?, ?, ?, ?)').run(7, 1_700_000_000_000, item.length, item);
      db.prepare("UPDATE meta SET value = 7 WHERE key = 'seq.events'").run();
      db.prepare("UPDATE meta SET value = 40 WHERE key = 'seq.telemetry'").run();
    });
    const outbox = openAt({ now: () => 1_790_000_000_000 });
    expect(outbox.epoch).toBe(0);
    expect(outbox.peek('events', 10).map((r) => r.seq)).toEqual([7]);
    expect(outbox.stats().lastSeq).toEqual({ events: 7, telemetry: 40 });
    outbox.enqueueTelemetry([reading(1)]);
    outbox.flush();
    expect(outbox.peek('telemetry', 10).map((r) => r.seq)).toEqual([41]);
    outbox.close();
    const db = new Database(tmp.file, { readonly: true });
    try {
      expect(db.prepare('SELECT version FROM migrations ORDER BY version').pluck().all()).toEqual([1, 2]);
      expect(SCHEMA_VERSION).toBe(2);
    } finally {
      db.close();
    }
    expect(openAt().epoch).toBe(0);
  });

  it('a v1 file that never assigned a seq (created just before a crash) takes a fresh epoch', () => {
    writeV1File(tmp.file, () => undefined);
    expect(openAt({ now: () => 1_790_000_000_000 }).epoch).toBe(1_790_000_000_000);
  });
});
