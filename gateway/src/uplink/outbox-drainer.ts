import type { Logger } from 'pino';
import type { OutboxApi, Stream } from '../outbox/outbox-types.js';
import { buildEventRunMessage, buildTelemetryMessage, takeEventRun } from './outgoing-message.js';
import type { BuiltMessage, OutgoingMessage } from './outgoing-message.js';

export interface DrainLimits {
  /** Messages published and not yet PUBACKed, at most. */
  window: number;
  /** Readings per TelemetryBatch (the schema allows up to 10,000). */
  telemetryBatch: number;
  /** Events per EventBatch (the schema allows up to 1,000). */
  eventBatch: number;
}

export const DEFAULT_DRAIN_LIMITS: Readonly<DrainLimits> = Object.freeze({ window: 8, telemetryBatch: 500, eventBatch: 100 });

export interface DrainStats {
  messages: number;
  rows: number;
  bytes: number;
  invalidRows: number;
  lastPubackLatencyMs?: number;
  inFlight: number;
}

export interface OutboxDrainerDeps {
  gatewayId: string;
  outbox: OutboxApi;
  /** Resolves on PUBACK (QoS 1); rejects when the message may not have arrived. */
  publish: (message: OutgoingMessage) => Promise<void>;
  now: () => number;
  logger: Logger;
  limits: DrainLimits;
  /** Pause before resending after a failed publish on a live connection; default 1 s. */
  retryDelayMs?: number;
}

/**
 * Moves outbox rows to the broker: a bounded window of messages in flight, events before
 * telemetry, seq order within a stream, and a row acked to the outbox only on its PUBACK.
 *
 * A "generation" is one broker connection. When it ends, the cursors go back to the oldest
 * row still in the outbox, so no batch of a stream is sent ahead of an earlier un-acked one
 * (the Uplink makes mqtt.js forget its un-acked packets rather than replay them first). A
 * late PUBACK of an old generation still acks its rows; at worst some rows go twice, and the
 * server dedups by (stream, epoch, seq).
 */
export class OutboxDrainer {
  private readonly deps: OutboxDrainerDeps;
  private generation = 0;
  private active = false;
  private stopped = false;
  /** Highest seq handed out in this generation, per stream; undefined = from the oldest row. */
  private cursor: Record<Stream, number | undefined> = { events: undefined, telemetry: undefined };
  private inFlight = 0;
  private eventsInFlight = 0;
  private pumping = false;
  private idleWaiters: (() => void)[] = [];
  private readonly counters = { messages: 0, rows: 0, bytes: 0, invalidRows: 0 };
  private lastPubackLatencyMs: number | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(deps: OutboxDrainerDeps) {
    this.deps = deps;
  }

  /** The connection is up: start sending from the oldest un-acked row. */
  resume(): void {
    if (this.stopped) return;
    this.active = true;
    this.pump();
  }

  /** The connection is gone: forget what is in flight; the rows are still in the outbox. */
  suspend(): void {
    this.active = false;
    this.restartGeneration();
  }

  /** Rows were appended (outbox.onAppend) or a slot may be free: send what fits. */
  kick(): void {
    if (this.active) this.pump();
  }

  /** No more acks reach the outbox after this (it may be closed next). */
  stop(): void {
    this.stopped = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.active = false;
    this.releaseIdleWaiters();
  }

  /** Resolves once nothing is pending and nothing is in flight, or when the uplink stops. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stats(): DrainStats {
    return { ...this.counters, inFlight: this.inFlight, ...(this.lastPubackLatencyMs === undefined ? {} : { lastPubackLatencyMs: this.lastPubackLatencyMs }) };
  }

  private restartGeneration(): void {
    this.generation += 1;
    this.cursor = { events: undefined, telemetry: undefined };
    this.inFlight = 0;
    this.eventsInFlight = 0;
  }

  private pump(): void {
    // publish() may settle synchronously in tests' fakes; the flag keeps the loop flat.
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.active && this.inFlight < this.deps.limits.window) {
        const built = this.nextMessage();
        if (built === undefined) break;
        this.send(built);
      }
    } finally {
      this.pumping = false;
    }
    if (this.idleWaiters.length > 0 && this.isIdle()) this.releaseIdleWaiters();
  }

  private isIdle(): boolean {
    if (this.stopped) return true;
    if (this.inFlight > 0) return false;
    return this.deps.outbox.peek('events', 1).length === 0 && this.deps.outbox.peek('telemetry', 1).length === 0;
  }

  private releaseIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Events first: while any event row is pending or in flight, no telemetry goes out. */
  private nextMessage(): BuiltMessage | undefined {
    const { outbox, gatewayId, limits, now } = this.deps;
    const source = { gateway: gatewayId, epoch: outbox.epoch };
    const events = outbox.peek('events', limits.eventBatch, this.cursor.events);
    if (events.length > 0) return buildEventRunMessage(source, takeEventRun(events), now());
    if (this.eventsInFlight > 0) return undefined;
    const readings = outbox.peek('telemetry', limits.telemetryBatch, this.cursor.telemetry);
    if (readings.length === 0) return undefined;
    return buildTelemetryMessage(source, readings, now());
  }

  private send(built: BuiltMessage): void {
    const { stream, seqs, message } = built;
    const last = seqs[seqs.length - 1];
    if (last !== undefined) this.cursor[stream] = last;
    for (const bad of built.invalid) this.deps.logger.error({ ...bad }, 'uplink: outbox row fails the wire schema; dropped');
    this.counters.invalidRows += built.invalid.length;
    if (message === undefined) {
      this.deps.outbox.ack(stream, seqs);
      return;
    }
    const generation = this.generation;
    const startedAt = this.deps.now();
    this.inFlight += 1;
    if (stream === 'events') this.eventsInFlight += 1;
    this.deps.publish(message).then(
      () => this.onPuback(built, message, generation, startedAt),
      (err: unknown) => this.onPublishFailed(built, generation, err),
    );
  }

  private onPuback(built: BuiltMessage, message: OutgoingMessage, generation: number, startedAt: number): void {
    if (this.stopped) return;
    this.deps.outbox.ack(built.stream, built.seqs);
    this.counters.messages += 1;
    this.counters.rows += message.items;
    this.counters.bytes += Buffer.byteLength(message.payload);
    this.lastPubackLatencyMs = this.deps.now() - startedAt;
    if (generation !== this.generation) return;
    this.inFlight -= 1;
    if (built.stream === 'events') this.eventsInFlight -= 1;
    this.pump();
  }

  private onPublishFailed(built: BuiltMessage, generation: number, err: unknown): void {
    if (this.stopped || generation !== this.generation) return;
    // Later batches of the stream may already be out: start over from the oldest row so
    // the stream's order holds (their duplicates are dropped by the server's seq dedup).
    this.deps.logger.warn({ err, stream: built.stream, firstSeq: built.seqs[0] }, 'uplink: publish failed; resending from the oldest un-acked row');
    this.restartGeneration();
    // A pause, not an immediate retry: a publish that fails at once would otherwise spin.
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, this.deps.retryDelayMs ?? 1_000).unref();
  }
}
