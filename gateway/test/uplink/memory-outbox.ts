import { EventEmitter } from 'node:events';
import type { NewEvent, NewReading, OutboxApi, OutboxRow, OutboxStats, Stream } from '../../src/outbox/outbox-types.js';

/**
 * An in-memory OutboxApi for uplink/downlink unit tests (the SQLite one is exercised by the
 * outage test). Rows are kept in seq order; ack deletes; appends notify onAppend listeners.
 */
export class MemoryOutbox implements OutboxApi {
  private readonly rows: { [S in Stream]: Map<number, OutboxRow<S>> } = { events: new Map(), telemetry: new Map() };
  private readonly lastSeq: Record<Stream, number> = { events: 0, telemetry: 0 };
  private readonly listeners = new Set<(stream: Stream) => void>();
  readonly acks: { stream: Stream; seqs: number[] }[] = [];
  /** Emits 'ack' after every ack(), for tests that wait on it. */
  readonly events = new EventEmitter();
  readonly now: () => number;
  readonly epoch: number;

  constructor(now: () => number = Date.now, epoch = 0) {
    this.now = now;
    this.epoch = epoch;
  }

  enqueueTelemetry(readings: readonly NewReading[]): void {
    for (const item of readings) this.put('telemetry', item);
    if (readings.length > 0) this.notify('telemetry');
  }

  enqueueEvents(events: readonly NewEvent[]): number[] {
    const seqs = events.map((item) => this.put('events', item));
    if (events.length > 0) this.notify('events');
    return seqs;
  }

  flush(): void {}

  peek<S extends Stream>(stream: S, limit: number, afterSeq?: number): OutboxRow<S>[] {
    const rows = [...(this.rows[stream] as Map<number, OutboxRow<S>>).values()];
    return rows.filter((r) => afterSeq === undefined || r.seq > afterSeq).slice(0, limit);
  }

  ack(stream: Stream, seqs: readonly number[]): void {
    this.acks.push({ stream, seqs: [...seqs] });
    for (const seq of seqs) this.rows[stream].delete(seq);
    this.events.emit('ack', stream);
  }

  enforceBounds(): number {
    return 0;
  }

  stats(): OutboxStats {
    const of = (s: Stream) => ({ depth: this.rows[s].size, ...(this.rows[s].size > 0 ? { oldestTs: [...this.rows[s].values()][0]!.enqueuedAt } : {}) });
    return { events: of('events'), telemetry: { ...of('telemetry'), dropped: 0 }, bytes: 0, maxBytes: 0, lastSeq: { ...this.lastSeq } };
  }

  onAppend(listener: (stream: Stream) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
  }

  depth(stream: Stream): number {
    return this.rows[stream].size;
  }

  private put<S extends Stream>(stream: S, item: OutboxRow<S>['item']): number {
    const seq = (this.lastSeq[stream] += 1);
    const row = { stream, seq, enqueuedAt: this.now(), item, bytes: JSON.stringify(item).length } as OutboxRow<S>;
    (this.rows[stream] as Map<number, OutboxRow<S>>).set(seq, row);
    return seq;
  }

  private notify(stream: Stream): void {
    for (const l of this.listeners) l(stream);
  }
}
