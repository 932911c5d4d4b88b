import { existsSync, openSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOutbox } from '../../src/outbox/open-outbox.js';
import type { OutboxOptions } from '../../src/outbox/open-outbox.js';
import { OutboxError } from '../../src/outbox/outbox-error.js';
import { SCHEMA_VERSION, configureConnection } from '../../src/outbox/outbox-schema.js';
import { codeOf } from '../../../device-profiles/test/error-code.js';
import { LEVEL, alarm, captureLogger, makeTempDir, reading } from './outbox-fixtures.js';

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
const options = (extra: Partial<OutboxOptions> = {}): OutboxOptions => ({ path: tmp.file, maxBytes: 100_000_000, maxAgeMs: 86_400_000, ...extra });
const withDb = <T>(file: string, fn: (db: Database.Database) => T): T => {
  const db = new Database(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
};

beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(async () => {
  await tmp.cleanup();
});

describe('openOutbox', () => {
  it('creates missing directories, the tables and the migration record', () => {
    const file = path.join(tmp.dir, 'a', 'b', 'outbox.db');
    openOutbox(options({ path: file })).close();
    expect(existsSync(file)).toBe(true);
    withDb(file, (db) => {
      expect(db.prepare('SELECT version FROM migrations ORDER BY version').pluck().all()).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
      expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(['events', 'meta', 'migrations', 'telemetry']);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    });
  });

  it('connection settings: WAL, synchronous=FULL', () => {
    withDb(tmp.file, (db) => {
      configureConnection(db);
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    });
  });

  it('reopening applies no migration twice', () => {
    openOutbox(options()).close();
    openOutbox(options()).close();
    withDb(tmp.file, (db) => expect(db.prepare('SELECT count(*) FROM migrations').pluck().get()).toBe(SCHEMA_VERSION));
  });

  it('refuses a file that is not a database with OUTBOX_CORRUPT and logs why', () => {
    writeFileSync(tmp.file, Buffer.alloc(8192, 0x5a));
    const { logger, lines } = captureLogger();
    expect(codeOf(() => openOutbox(options({ logger })), OutboxError)).toBe('OUTBOX_CORRUPT');
    expect(lines.some((l) => l.level === LEVEL.error && l.code === 'OUTBOX_CORRUPT')).toBe(true);
  });

  it('refuses a database whose pages are damaged (quick_check) with OUTBOX_CORRUPT', () => {
    const outbox = openOutbox(options({ batchSize: 10_000 }));
    outbox.enqueueTelemetry(Array.from({ length: 5_000 }, (_, i) => reading(i)));
    outbox.close();
    const pageSize = withDb(tmp.file, (db) => db.pragma('page_size', { simple: true }) as number);
    const pages = statSync(tmp.file).size / pageSize;
    expect(pages).toBeGreaterThan(20);
    // Scribble over interior b-tree pages, leaving page 1 (the header and schema) intact.
    const fd = openSync(tmp.file, 'r+');
    for (let p = 3; p < pages; p += 3) writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, p * pageSize + 8);
    closeSync(fd);
    expect(codeOf(() => openOutbox(options()), OutboxError)).toBe('OUTBOX_CORRUPT');
  });

  it('refuses a file from a newer schema', () => {
    openOutbox(options()).close();
    withDb(tmp.file, (db) => db.prepare('INSERT INTO migrations (version, applied_at) VALUES (?, 0)').run(SCHEMA_VERSION + 1));
    expect(codeOf(() => openOutbox(options()), OutboxError)).toBe('OUTBOX_SCHEMA_TOO_NEW');
  });

  it.each([
    ['maxBytes', { maxBytes: 0 }],
    ['maxAgeMs', { maxAgeMs: -1 }],
    ['batchSize', { batchSize: 1.5 }],
  ])('rejects a bad %s naming it', (name, extra) => {
    expect(() => openOutbox(options(extra))).toThrow(name);
  });

  it('calls after close() fail with OUTBOX_CLOSED', () => {
    const outbox = openOutbox(options());
    outbox.close();
    expect(codeOf(() => outbox.enqueueEvents([alarm(1)]), OutboxError)).toBe('OUTBOX_CLOSED');
  });
});

describe('maintenance', () => {
  it('truncates the WAL and returns free pages after a drain, keeping the rows that are left', () => {
    const outbox = openOutbox(options({ batchSize: 10_000 }));
    outbox.enqueueTelemetry(Array.from({ length: 20_000 }, (_, i) => reading(i)));
    outbox.flush();
    outbox.ack('telemetry', Array.from({ length: 19_000 }, (_, i) => i + 1));
    const report = outbox.maintenance();
    expect(report.freePagesBefore).toBeGreaterThan(0);
    expect(report.freePagesAfter).toBeLessThan(report.freePagesBefore);
    expect(report.checkpoint.busy).toBe(0);
    expect(statSync(`${tmp.file}-wal`).size).toBe(0);
    expect(outbox.stats().telemetry.depth).toBe(1_000);
    expect(outbox.peek('telemetry', 1)[0]!.seq).toBe(19_001);
    outbox.close();
  });
});
