import type { Database, Statement } from 'better-sqlite3';
import type { Stream } from './outbox-types.js';

export interface StoredRow {
  seq: number;
  enqueued_at: number;
  bytes: number;
  item: string;
}

export interface StreamStatements {
  insert: Statement<[number, number, number, string]>;
  /** seq > afterSeq, oldest first. */
  peek: Statement<[number, number], StoredRow>;
  /** One statement for the whole ack list: the seqs travel as a JSON array. */
  ackMany: Statement<[string], { bytes: number }>;
  oldest: Statement<[], { enqueued_at: number }>;
  totals: Statement<[], { depth: number; bytes: number; maxSeq: number }>;
}

export interface OutboxStatements {
  streams: Record<Stream, StreamStatements>;
  getMeta: Statement<[string], { value: number }>;
  setMeta: Statement<[number, string]>;
  addMeta: Statement<[number, string]>;
  /** Eviction reads candidates in chunks, oldest first. */
  evictionCandidates: Statement<[number, number], { seq: number; enqueued_at: number; bytes: number }>;
  evictThrough: Statement<[number]>;
}

function prepareStream(db: Database, table: Stream): StreamStatements {
  return {
    insert: db.prepare(`INSERT INTO ${table} (seq, enqueued_at, bytes, item) VALUES (?, ?, ?, ?)`),
    peek: db.prepare(`SELECT seq, enqueued_at, bytes, item FROM ${table} WHERE seq > ? ORDER BY seq LIMIT ?`),
    ackMany: db.prepare(`DELETE FROM ${table} WHERE seq IN (SELECT value FROM json_each(?)) RETURNING bytes`),
    oldest: db.prepare(`SELECT enqueued_at FROM ${table} ORDER BY seq LIMIT 1`),
    totals: db.prepare(`SELECT count(*) AS depth, coalesce(sum(bytes), 0) AS bytes, coalesce(max(seq), 0) AS maxSeq FROM ${table}`),
  };
}

/** Prepared once at open and reused for every call (LIBRARIES.md: better-sqlite3 12). */
export function prepareStatements(db: Database): OutboxStatements {
  return {
    streams: { events: prepareStream(db, 'events'), telemetry: prepareStream(db, 'telemetry') },
    getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare('UPDATE meta SET value = ? WHERE key = ?'),
    addMeta: db.prepare('UPDATE meta SET value = value + ? WHERE key = ?'),
    evictionCandidates: db.prepare('SELECT seq, enqueued_at, bytes FROM telemetry WHERE seq > ? ORDER BY seq LIMIT ?'),
    evictThrough: db.prepare('DELETE FROM telemetry WHERE seq <= ?'),
  };
}
