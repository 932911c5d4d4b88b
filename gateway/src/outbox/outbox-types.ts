import type { CommandResult, GatewayEvent, Reading } from '@edgefleet/protocol';

export type Stream = 'events' | 'telemetry';

/** What the poller hands over: a reading without its seq (the outbox assigns it). */
export type NewReading = Omit<Reading, 'seq'>;
/** An event or a command result without its seq; both travel in the event stream. */
export type NewEvent = DistributiveOmit<GatewayEvent, 'seq'> | { type: 'cmd-result'; result: Omit<CommandResult, 'seq' | 'v' | 'gateway' | 'stream'> };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A stored row, oldest first within its stream. `item` is the NewReading/NewEvent as stored. */
export interface OutboxRow<S extends Stream = Stream> {
  stream: S;
  seq: number;
  /** When the row was enqueued (ms epoch); age-based eviction uses it. */
  enqueuedAt: number;
  item: S extends 'telemetry' ? NewReading : NewEvent;
  bytes: number;
}

export interface StreamStats {
  depth: number;
  oldestTs?: number;
}

export interface OutboxStats {
  events: StreamStats;
  telemetry: StreamStats & { dropped: number };
  bytes: number;
  maxBytes: number;
  /** Highest seq ever assigned per stream (persisted). */
  lastSeq: Record<Stream, number>;
}

/**
 * The durable store-and-forward queue between the poller and the uplink (ARCHITECTURE.md
 * "outbox"). A row leaves only when ack() is called after its PUBACK.
 */
export interface OutboxApi {
  /**
   * Names the file that assigned the seqs (docs/mqtt-topics.md "Outbox epoch"); fixed for the
   * file's life. Every batch and command result carries it, so a replacement file's seqs, which
   * restart at 1, are not deduplicated away as the old file's.
   */
  readonly epoch: number;
  /** Buffered and written in batched transactions (flushed within flushInterval or at flush()). */
  enqueueTelemetry(readings: readonly NewReading[]): void;
  /** Written at once, in one transaction; returns the seqs assigned. Events are never evicted. */
  enqueueEvents(events: readonly NewEvent[]): number[];
  /** Writes buffered telemetry now. */
  flush(): void;
  /** Oldest rows of a stream with seq > afterSeq, at most `limit`. */
  peek<S extends Stream>(stream: S, limit: number, afterSeq?: number): OutboxRow<S>[];
  /** Deletes acknowledged rows (after PUBACK). Unknown seqs are ignored (idempotent). */
  ack(stream: Stream, seqs: readonly number[]): void;
  /** Evicts telemetry oldest-first while over maxBytes or older than maxAge; returns rows dropped. */
  enforceBounds(now: number): number;
  stats(): OutboxStats;
  /** Subscribe to "rows were added" (so the uplink can wake up without polling). */
  onAppend(listener: (stream: Stream) => void): () => void;
  close(): void;
}
