import type { Aedes } from 'aedes';
import type { Logger } from 'pino';
import { parseTopic, TOPIC_PREFIX, UPLINK_CHANNELS } from '@edgefleet/protocol';
import type { GatewayEvent, GatewayStatus, UplinkChannel } from '@edgefleet/protocol';
import { MAX_QUERY_LIMIT } from '../store/query-limit.js';
import type { Store } from '../store/store.js';
import { commandResultEvent } from './command-result-event.js';
import { decodeUplink } from './decode-uplink.js';
import type { RejectReason, UplinkMessage } from './decode-uplink.js';
import type { IngestMetrics } from './ingest-metrics.js';
import { RejectLog } from './reject-log.js';

/** In-process listeners (the alert engine): called after the store committed. */
export interface IngestListener {
  /** Only events stored for the first time: a replayed or re-split batch does not repeat them. */
  onEvents?(gatewayId: string, events: readonly GatewayEvent[]): void;
  onStatus?(status: GatewayStatus): void;
  /** Every uplink message, once handled: stored (possibly all duplicates) or rejected with a reason. */
  onMessage?(gatewayId: string, channel: UplinkChannel, outcome: MessageOutcome): void;
}

export type MessageOutcome = { ok: true } | { ok: false; reason: RejectReason };

export interface IngestOptions {
  broker: Aedes;
  store: Store;
  metrics: IngestMetrics;
  logger: Logger;
  now?: () => number;
}

export interface Ingest {
  /** Adds a listener; returns its removal. */
  listen(listener: IngestListener): () => void;
  /** Resolves when every message received so far has been handled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const SUBSCRIPTION = `${TOPIC_PREFIX}/+/#`;

/**
 * Subscribes in-process to every gateway's uplink and stores what validates. Messages of one
 * gateway are handled one after another (order kept). Nothing here throws or disconnects a client.
 * Caveat: aedes 1.2.0 writes the QoS 1 PUBACK BEFORE it delivers to subscribers
 * (lib/handlers/publish.js enqueuePublish), so a PUBACK does not mean "stored": a server crash
 * between the two loses the batch (the gateway has dropped it from its outbox). Wait on
 * onMessage, not on PUBACKs, to know a message was handled.
 */
export async function startIngest(options: IngestOptions): Promise<Ingest> {
  const { broker, store, metrics, logger } = options;
  const now = options.now ?? Date.now;
  const rejectLog = new RejectLog(logger, now);
  const listeners = new Set<IngestListener>();
  const queues = new Map<string, Promise<void>>();
  // receivedAt is unique per gateway so the events of one ingest call can be told apart (see newEvents).
  const lastReceivedAt = new Map<string, number>();

  function reject(gatewayId: string, channel: UplinkChannel, reason: RejectReason, detail: string): MessageOutcome {
    metrics.rejects.inc({ gateway: gatewayId, channel, reason });
    rejectLog.note(gatewayId, channel, reason, detail);
    return { ok: false, reason };
  }

  function notify(call: (l: IngestListener) => void): void {
    for (const l of listeners) {
      try {
        call(l);
      } catch (err) {
        logger.error({ err }, 'ingest listener failed');
      }
    }
  }

  /** The events of `items` this call stored (not the duplicates), found by their unique receivedAt. */
  async function newEvents(gatewayId: string, items: readonly GatewayEvent[], stored: number, receivedAt: number): Promise<GatewayEvent[]> {
    if (stored === items.length) return [...items];
    if (stored === 0) return [];
    const ts = items.map((e) => e.ts);
    const rows = await store.events({ gateway: gatewayId, from: Math.min(...ts), to: Math.max(...ts) + 1, limit: MAX_QUERY_LIMIT });
    const fresh = new Set(rows.filter((r) => r.receivedAt === receivedAt).map((r) => r.seq));
    return items.filter((e) => fresh.has(e.seq));
  }

  async function storeEvents(gatewayId: string, items: readonly GatewayEvent[], receivedAt: number): Promise<void> {
    const result = await store.ingestEvents(gatewayId, items, receivedAt);
    metrics.stored.inc({ gateway: gatewayId, stream: 'events' }, result.stored);
    metrics.duplicates.inc({ gateway: gatewayId, stream: 'events' }, result.duplicates);
    const fresh = await newEvents(gatewayId, items, result.stored, receivedAt);
    if (fresh.length > 0) notify((l) => l.onEvents?.(gatewayId, fresh));
  }

  async function apply(gatewayId: string, message: UplinkMessage, receivedAt: number): Promise<void> {
    switch (message.channel) {
      case 'telemetry': {
        const result = await store.ingestTelemetry(gatewayId, message.body.items, receivedAt);
        metrics.stored.inc({ gateway: gatewayId, stream: 'telemetry' }, result.stored);
        metrics.duplicates.inc({ gateway: gatewayId, stream: 'telemetry' }, result.duplicates);
        return;
      }
      case 'events':
        return storeEvents(gatewayId, message.body.items, receivedAt);
      case 'cmd-result':
        return storeEvents(gatewayId, [commandResultEvent(message.body)], receivedAt);
      case 'status':
        // Both the gateway's own status and its last will (reason "lastwill") arrive here.
        await store.setGatewayStatus(gatewayId, message.body.state, message.body.ts);
        notify((l) => l.onStatus?.(message.body));
        return;
      case 'health':
        await store.recordHealth(message.body, receivedAt);
        return;
    }
  }

  async function outcomeOf(gatewayId: string, channel: UplinkChannel, payload: Buffer): Promise<MessageOutcome> {
    const decoded = decodeUplink(gatewayId, channel, payload);
    if (!decoded.ok) return reject(gatewayId, channel, decoded.reason, decoded.detail);
    const receivedAt = Math.max(now(), (lastReceivedAt.get(gatewayId) ?? 0) + 1);
    lastReceivedAt.set(gatewayId, receivedAt);
    try {
      await apply(gatewayId, decoded.message, receivedAt);
      return { ok: true };
    } catch (err) {
      // E.g. a status for a gateway the store does not know: counted, the gateway's link stays up.
      return reject(gatewayId, channel, 'store', (err as Error).message);
    }
  }

  async function handle(gatewayId: string, channel: UplinkChannel, payload: Buffer): Promise<void> {
    const started = performance.now();
    metrics.messages.inc({ gateway: gatewayId, channel });
    const outcome = await outcomeOf(gatewayId, channel, payload);
    metrics.seconds.observe((performance.now() - started) / 1000, { channel });
    notify((l) => l.onMessage?.(gatewayId, channel, outcome));
  }

  function enqueue(gatewayId: string, channel: UplinkChannel, payload: Buffer): Promise<void> {
    const next = (queues.get(gatewayId) ?? Promise.resolve()).then(() => handle(gatewayId, channel, payload));
    queues.set(gatewayId, next);
    void next.then(() => {
      if (queues.get(gatewayId) === next) queues.delete(gatewayId);
    });
    return next;
  }

  const deliver = (packet: { topic: string; payload: Buffer | string }, done: () => void): void => {
    const parsed = parseTopic(packet.topic);
    // Downlink channels (config, cmd) are the server's own publishes: not ingest's business.
    if (parsed === undefined || !(UPLINK_CHANNELS as readonly string[]).includes(parsed.channel)) return done();
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    // handle() never rejects (every failure is a counted reject), so done always runs; calling it
    // only once handled lets mqemitter's concurrency limit back-pressure a flooding gateway.
    void enqueue(parsed.gatewayId, parsed.channel as UplinkChannel, payload).then(done, done);
  };

  await new Promise<void>((resolve) => broker.subscribe(SUBSCRIPTION, deliver, resolve));

  return {
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async idle() {
      await Promise.all([...queues.values()]);
    },
    async stop() {
      await new Promise<void>((resolve) => broker.unsubscribe(SUBSCRIPTION, deliver, resolve));
      await Promise.all([...queues.values()]);
    },
  };
}
