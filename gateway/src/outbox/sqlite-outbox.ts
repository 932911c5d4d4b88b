import type { NoticeCode } from '@edgefleet/protocol';
import type { Database } from 'better-sqlite3';
import type { Logger } from 'pino';
import { chooseEvictions } from './eviction-plan.js';
import { runMaintenance } from './outbox-maintenance.js';
import type { MaintenanceReport } from './outbox-maintenance.js';
import { OutboxError } from './outbox-error.js';
import { META_KEYS } from './outbox-schema.js';
import { prepareStatements } from './outbox-statements.js';
import type { OutboxStatements } from './outbox-statements.js';
import type { NewEvent, NewReading, OutboxApi, OutboxRow, OutboxStats, Stream } from './outbox-types.js';
import { TelemetryBuffer } from './telemetry-buffer.js';
import type { PendingRow } from './telemetry-buffer.js';

/** Key, timestamps and SQLite's record and cell headers: what a row costs beyond its JSON. */
export const ROW_OVERHEAD_BYTES = 24;
/** Eviction reads this many candidate rows per query. */
const EVICTION_CHUNK = 1000;

export interface SqliteOutboxDeps {
  db: Database;
  file: string;
  maxBytes: number;
  maxAgeMs: number;
  flushIntervalMs: number;
  batchSize: number;
  now: () => number;
  logger: Logger;
  /** Once per crossing of a bound (protocol NOTICE_CODES), e.g. to enqueue a notice event. */
  onNotice?: (code: OutboxNoticeCode, details: Record<string, number>) => void;
}

export type OutboxNoticeCode = Extract<NoticeCode, 'OUTBOX_PRESSURE' | 'OUTBOX_EVENTS_OVER_BOUND'>;

interface StreamState {
  lastSeq: number;
  depth: number;
  bytes: number;
}

const serialise = (item: NewReading | NewEvent, enqueuedAt: number): PendingRow => {
  const json = JSON.stringify(item);
  return { json, bytes: Buffer.byteLength(json) + ROW_OVERHEAD_BYTES, enqueuedAt };
};

/**
 * The SQLite outbox (ARCHITECTURE.md "outbox"): one file, WAL, two streams keyed by their own
 * persisted seq. Depth and bytes are counted once at open and then tracked per commit, because
 * the file size (WAL, free pages) says little about what is stored.
 */
export class SqliteOutbox implements OutboxApi {
  readonly epoch: number;
  private readonly st: OutboxStatements;
  private readonly state: Record<Stream, StreamState>;
  private readonly buffer: TelemetryBuffer;
  private readonly listeners = new Set<(stream: Stream) => void>();
  private readonly insertRows: (stream: Stream, rows: readonly PendingRow[], first: number, drops: number) => void;
  /** One transaction for a whole eviction pass (one fsync however many chunks it reads). */
  private readonly evict: (cutoff: number, excessBytes: number) => { count: number; bytes: number };
  private dropped: number;
  /** Drops not yet in the file (pending rows discarded while writes failed). */
  private unsavedDrops = 0;
  private isEventsOverBound = false;
  private isUnderPressure = false;
  private isClosed = false;

  constructor(private readonly deps: SqliteOutboxDeps) {
    const { db } = deps;
    this.st = prepareStatements(db);
    this.state = { events: this.loadState('events', META_KEYS.eventsSeq), telemetry: this.loadState('telemetry', META_KEYS.telemetrySeq) };
    this.dropped = this.st.getMeta.get(META_KEYS.telemetryDropped)?.value ?? 0;
    this.epoch = this.st.getMeta.get(META_KEYS.epoch)?.value ?? 0;
    // The seq update rides in the insert's transaction: a crash keeps both or neither.
    this.insertRows = db.transaction((stream: Stream, rows: readonly PendingRow[], first: number, drops: number) => {
      const insert = this.st.streams[stream].insert;
      let seq = first;
      for (const row of rows) insert.run(seq++, row.enqueuedAt, row.bytes, row.json);
      this.st.setMeta.run(seq - 1, stream === 'events' ? META_KEYS.eventsSeq : META_KEYS.telemetrySeq);
      if (drops > 0) this.st.addMeta.run(drops, META_KEYS.telemetryDropped);
    });
    this.evict = db.transaction((cutoff: number, excessBytes: number) => {
      const total = { count: 0, bytes: 0 };
      for (;;) {
        const rows = this.st.evictionCandidates.all(0, EVICTION_CHUNK);
        const choice = chooseEvictions(rows.map((r) => ({ enqueuedAt: r.enqueued_at, bytes: r.bytes })), { excessBytes: excessBytes - total.bytes, cutoff });
        const last = rows[choice.count - 1];
        if (last === undefined) break;
        this.st.evictThrough.run(last.seq);
        total.count += choice.count;
        total.bytes += choice.bytes;
        if (choice.count < rows.length) break;
      }
      if (total.count > 0) this.st.addMeta.run(total.count, META_KEYS.telemetryDropped);
      return total;
    });
    this.buffer = new TelemetryBuffer({
      batchSize: deps.batchSize,
      flushIntervalMs: deps.flushIntervalMs,
      maxPendingRows: deps.batchSize * 100,
      write: (rows) => this.writeRows('telemetry', rows),
      onBackgroundError: (err, pending) => deps.logger.error({ err, pending }, 'outbox: telemetry flush failed; rows stay buffered and are retried'),
      onOverflow: (n) => {
        this.dropped += n;
        this.unsavedDrops += n;
        deps.logger.error({ dropped: n }, 'outbox: telemetry buffer overflowed while writes failed; oldest readings dropped');
      },
    });
  }

  enqueueTelemetry(readings: readonly NewReading[]): void {
    this.assertOpen();
    const at = this.deps.now();
    this.buffer.add(readings.map((r) => serialise(r, at)));
  }

  enqueueEvents(events: readonly NewEvent[]): number[] {
    this.assertOpen();
    if (events.length === 0) return [];
    const at = this.deps.now();
    const first = this.writeRows('events', events.map((e) => serialise(e, at)));
    return events.map((_, i) => first + i);
  }

  flush(): void {
    this.assertOpen();
    this.buffer.flush();
  }

  peek<S extends Stream>(stream: S, limit: number, afterSeq = 0): OutboxRow<S>[] {
    this.assertOpen();
    return this.st.streams[stream].peek.all(afterSeq, limit).map((r) => ({
      stream,
      seq: r.seq,
      enqueuedAt: r.enqueued_at,
      bytes: r.bytes,
      item: JSON.parse(r.item) as OutboxRow<S>['item'],
    }));
  }

  ack(stream: Stream, seqs: readonly number[]): void {
    this.assertOpen();
    if (seqs.length === 0) return;
    let deleted: Array<{ bytes: number }>;
    try {
      deleted = this.st.streams[stream].ackMany.all(JSON.stringify(seqs));
    } catch (err) {
      throw new OutboxError('OUTBOX_WRITE_FAILED', `outbox ${this.deps.file}: acking ${seqs.length} ${stream} row(s) failed: ${(err as Error).message}`, { stream, rows: seqs.length }, { cause: err });
    }
    const s = this.state[stream];
    s.depth -= deleted.length;
    for (const row of deleted) s.bytes -= row.bytes;
    this.noteEventsBound();
  }

  enforceBounds(now: number): number {
    this.assertOpen();
    const t = this.state.telemetry;
    const { count, bytes } = this.evict(now - this.deps.maxAgeMs, this.totalBytes() - this.deps.maxBytes);
    t.depth -= count;
    t.bytes -= bytes;
    this.dropped += count;
    if (count > 0 && !this.isUnderPressure) {
      this.isUnderPressure = true;
      const details = { dropped: count, totalDropped: this.dropped, maxBytes: this.deps.maxBytes, maxAgeMs: this.deps.maxAgeMs };
      this.deps.logger.warn({ code: 'OUTBOX_PRESSURE', ...details }, 'outbox: bound reached; dropping oldest telemetry');
      this.report('OUTBOX_PRESSURE', details);
    }
    this.noteEventsBound();
    return count;
  }

  stats(): OutboxStats {
    this.assertOpen();
    const oldest = (stream: Stream): { oldestTs?: number } => {
      const row = this.st.streams[stream].oldest.get();
      return row === undefined ? {} : { oldestTs: row.enqueued_at };
    };
    return {
      events: { depth: this.state.events.depth, ...oldest('events') },
      telemetry: { depth: this.state.telemetry.depth, ...oldest('telemetry'), dropped: this.dropped },
      bytes: this.totalBytes(),
      maxBytes: this.deps.maxBytes,
      lastSeq: { events: this.state.events.lastSeq, telemetry: this.state.telemetry.lastSeq },
    };
  }

  onAppend(listener: (stream: Stream) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** For the schedule: WAL truncated, free pages handed back, planner statistics refreshed. */
  maintenance(): MaintenanceReport {
    this.assertOpen();
    this.buffer.flush();
    return runMaintenance(this.deps.db);
  }

  close(): void {
    if (this.isClosed) return;
    try {
      this.buffer.flush();
    } catch (err) {
      this.deps.logger.error({ err, lost: this.buffer.discard() }, 'outbox: final telemetry flush failed at close');
    }
    this.isClosed = true;
    this.listeners.clear();
    this.deps.db.close();
  }

  private writeRows(stream: Stream, rows: readonly PendingRow[]): number {
    const s = this.state[stream];
    const first = s.lastSeq + 1;
    const drops = stream === 'telemetry' ? this.unsavedDrops : 0;
    try {
      this.insertRows(stream, rows, first, drops);
    } catch (err) {
      throw new OutboxError('OUTBOX_WRITE_FAILED', `outbox ${this.deps.file}: writing ${rows.length} ${stream} row(s) failed: ${(err as Error).message}`, { stream, rows: rows.length }, { cause: err });
    }
    s.lastSeq += rows.length;
    s.depth += rows.length;
    for (const row of rows) s.bytes += row.bytes;
    if (drops > 0) this.unsavedDrops -= drops;
    // The rows are committed: an eviction failure now must not tell the caller to write them again.
    try {
      this.enforceIfOver();
    } catch (err) {
      this.deps.logger.error({ err }, 'outbox: enforcing the bounds after a write failed');
    }
    this.notify(stream);
    return first;
  }

  private notify(stream: Stream): void {
    for (const listener of this.listeners) {
      try {
        listener(stream);
      } catch (err) {
        this.deps.logger.error({ err, stream }, 'outbox: onAppend listener threw');
      }
    }
  }

  /** After each commit: O(1) size check plus one rowid lookup for the oldest telemetry row. */
  private enforceIfOver(): void {
    const now = this.deps.now();
    const oldest = this.st.streams.telemetry.oldest.get()?.enqueued_at;
    const isExpired = oldest !== undefined && oldest < now - this.deps.maxAgeMs;
    if (this.totalBytes() > this.deps.maxBytes || isExpired) this.enforceBounds(now);
    else {
      this.isUnderPressure = false;
      this.noteEventsBound();
    }
  }

  /** Events are never evicted; crossing the bound with events alone is logged once per crossing. */
  private noteEventsBound(): void {
    const isOver = this.state.events.bytes > this.deps.maxBytes;
    if (isOver && !this.isEventsOverBound) {
      const details = { eventBytes: this.state.events.bytes, maxBytes: this.deps.maxBytes, events: this.state.events.depth };
      this.deps.logger.error({ code: 'OUTBOX_EVENTS_OVER_BOUND', ...details }, 'outbox: events alone exceed the outbox bound; keeping every event');
      this.report('OUTBOX_EVENTS_OVER_BOUND', details);
    }
    this.isEventsOverBound = isOver;
  }

  /** Deferred, so a listener that enqueues a notice event does not re-enter a write in progress. */
  private report(code: OutboxNoticeCode, details: Record<string, number>): void {
    const onNotice = this.deps.onNotice;
    if (onNotice === undefined) return;
    queueMicrotask(() => {
      try {
        onNotice(code, details);
      } catch (err) {
        this.deps.logger.error({ err, code }, 'outbox: onNotice threw');
      }
    });
  }

  private totalBytes(): number {
    return this.state.events.bytes + this.state.telemetry.bytes;
  }

  private loadState(stream: Stream, seqKey: string): StreamState {
    const totals = this.st.streams[stream].totals.get() ?? { depth: 0, bytes: 0, maxSeq: 0 };
    const stored = this.st.getMeta.get(seqKey)?.value ?? 0;
    // Both are written in one transaction; max() only guards against a hand-edited file.
    return { lastSeq: Math.max(stored, totals.maxSeq), depth: totals.depth, bytes: totals.bytes };
  }

  private assertOpen(): void {
    if (this.isClosed) throw new OutboxError('OUTBOX_CLOSED', `outbox ${this.deps.file} is closed`);
  }
}
