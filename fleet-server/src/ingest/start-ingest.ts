import type { Logger } from 'pino';
import { parseTopic, UPLINK_CHANNELS } from '@edgefleet/protocol';
import type { GatewayEvent, GatewayStatus, Reading, UplinkChannel } from '@edgefleet/protocol';
import { MAX_QUERY_LIMIT } from '../store/query-limit.js';
import type { Store } from '../store/store.js';
import { commandResultEvent } from './command-result-event.js';
import { learnDevices } from './learn-devices.js';
import { decodeUplink } from './decode-uplink.js';
import type { RejectReason, UplinkMessage } from './decode-uplink.js';
import type { IngestMetrics } from './ingest-metrics.js';
import { RejectLog } from './reject-log.js';
import { isPermanentStoreFailure } from './store-failure.js';

/** In-process listeners (the alert engine): called after the store committed. */
export interface IngestListener {
  /** Only events stored for the first time: a replayed or re-split batch does not repeat them. */
  onEvents?(gatewayId: string, events: readonly GatewayEvent[]): void;
  onStatus?(status: GatewayStatus): void;
  /**
   * A telemetry batch once committed, when `stored` (> 0) of its readings were new (the live
   * stream's values). All of them unless a gateway re-split its outbox after a reconnect: the
   * store reports only a count, so a listener that needs the new ones tells them apart itself.
   */
  onTelemetry?(gatewayId: string, readings: readonly Reading[], stored: number): void;
  /** Every uplink message, once handled: stored (possibly all duplicates) or rejected with a reason. */
  onMessage?(gatewayId: string, channel: UplinkChannel, outcome: MessageOutcome): void;
}

export type MessageOutcome = { ok: true } | { ok: false; reason: RejectReason };

export interface IngestOptions {
  store: Store;
  metrics: IngestMetrics;
  logger: Logger;
  now?: () => number;
}

export interface Ingest {
  /**
   * Handles one uplink publish (the broker calls it before it acknowledges). Resolves once the
   * message is committed to the store, or dropped for good (invalid, or refused by the store for
   * its content): the PUBACK may go. Rejects when the store failed for a reason a retry may cure,
   * or after stop(): the message must not be acknowledged.
   */
  receive(topic: string, payload: Buffer): Promise<MessageOutcome>;
  /** Adds a listener; returns its removal. */
  listen(listener: IngestListener): () => void;
  /** Resolves when every message received so far has been handled. */
  idle(): Promise<void>;
  /** Refuses new messages and resolves once the ones received are handled. */
  stop(): Promise<void>;
}

/** Thrown by receive() for a message that must not be acknowledged (the client sends it again). */
export class IngestRefusal extends Error {
  override readonly name = 'IngestRefusal';
}

/**
 * Validates and stores gateway uplink messages, called by the broker from its publish
 * authorization (start-broker.ts `uplink`), i.e. BEFORE aedes writes the QoS 1 PUBACK
 * (aedes 1.2.0 lib/handlers/publish.js: authorizePublish, then PUBACK, then routing). A PUBACK
 * therefore means "committed": a crash before the commit leaves the batch in the gateway's
 * outbox. Messages of one gateway are handled one after another (order kept, and their
 * PUBACKs go in that order). Invalid payloads are counted and acknowledged, never a reason to
 * disconnect (mqtt.js would resend them forever).
 */
export function startIngest(options: IngestOptions): Ingest {
  const { store, metrics, logger } = options;
  const now = options.now ?? Date.now;
  const rejectLog = new RejectLog(logger, now);
  const listeners = new Set<IngestListener>();
  const queues = new Map<string, Promise<void>>();
  // receivedAt is unique per gateway so the events of one ingest call can be told apart (see newEvents).
  const lastReceivedAt = new Map<string, number>();
  let stopped = false;

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

  /**
   * The events of `items` this call stored (not the duplicates), found by their unique receivedAt
   * and their epoch: an older outbox file's event with the same seq is another row.
   */
  async function newEvents(gatewayId: string, items: readonly GatewayEvent[], stored: number, receivedAt: number, epoch: number): Promise<GatewayEvent[]> {
    if (stored === items.length) return [...items];
    if (stored === 0) return [];
    const ts = items.map((e) => e.ts);
    const rows = await store.events({ gateway: gatewayId, from: Math.min(...ts), to: Math.max(...ts) + 1, limit: MAX_QUERY_LIMIT });
    const fresh = new Set(rows.filter((r) => r.receivedAt === receivedAt && r.epoch === epoch).map((r) => r.seq));
    return items.filter((e) => fresh.has(e.seq));
  }

  async function storeEvents(gatewayId: string, items: readonly GatewayEvent[], receivedAt: number, epoch: number): Promise<void> {
    const result = await store.ingestEvents(gatewayId, items, receivedAt, epoch);
    metrics.stored.inc({ gateway: gatewayId, stream: 'events' }, result.stored);
    metrics.duplicates.inc({ gateway: gatewayId, stream: 'events' }, result.duplicates);
    const fresh = await newEvents(gatewayId, items, result.stored, receivedAt, epoch);
    if (fresh.length > 0) notify((l) => l.onEvents?.(gatewayId, fresh));
  }

  async function apply(gatewayId: string, message: UplinkMessage, receivedAt: number): Promise<void> {
    switch (message.channel) {
      case 'telemetry': {
        // No epoch on the wire: a gateway from before epochs, whose seqs the store filed under 0.
        const result = await store.ingestTelemetry(gatewayId, message.body.items, receivedAt, message.body.epoch ?? 0);
        metrics.stored.inc({ gateway: gatewayId, stream: 'telemetry' }, result.stored);
        metrics.duplicates.inc({ gateway: gatewayId, stream: 'telemetry' }, result.duplicates);
        if (result.stored > 0) notify((l) => l.onTelemetry?.(gatewayId, message.body.items, result.stored));
        return;
      }
      case 'events':
        return storeEvents(gatewayId, message.body.items, receivedAt, message.body.epoch ?? 0);
      case 'cmd-result':
        return storeEvents(gatewayId, [commandResultEvent(message.body)], receivedAt, message.body.epoch ?? 0);
      case 'status':
        // Both the gateway's own status and its last will (reason "lastwill") arrive here.
        await store.setGatewayStatus(gatewayId, message.body.state, message.body.ts);
        notify((l) => l.onStatus?.(message.body));
        return;
      case 'health':
        // Only the newest report may describe the inventory: a late one would undo a change.
        if (await store.recordHealth(message.body, receivedAt)) await learnDevices(store, message.body);
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
      // E.g. a status for a gateway the store does not know: counted, acknowledged, the link stays up.
      if (isPermanentStoreFailure(err)) return reject(gatewayId, channel, 'store', (err as Error).message);
      logger.error({ err, gatewayId, channel }, 'store failed: uplink message refused without PUBACK');
      return reject(gatewayId, channel, 'store-unavailable', (err as Error).message);
    }
  }

  async function handle(gatewayId: string, channel: UplinkChannel, payload: Buffer): Promise<MessageOutcome> {
    const started = performance.now();
    metrics.messages.inc({ gateway: gatewayId, channel });
    const outcome = await outcomeOf(gatewayId, channel, payload);
    metrics.seconds.observe((performance.now() - started) / 1000, { channel });
    notify((l) => l.onMessage?.(gatewayId, channel, outcome));
    return outcome;
  }

  /** Chains the message behind the gateway's earlier ones; never rejects (handle() does not). */
  function enqueue(gatewayId: string, channel: UplinkChannel, payload: Buffer): Promise<MessageOutcome> {
    const next = (queues.get(gatewayId) ?? Promise.resolve()).then(() => handle(gatewayId, channel, payload));
    const settled = next.then(() => undefined);
    queues.set(gatewayId, settled);
    void settled.then(() => {
      if (queues.get(gatewayId) === settled) queues.delete(gatewayId);
    });
    return next;
  }

  async function receive(topic: string, payload: Buffer): Promise<MessageOutcome> {
    if (stopped) throw new IngestRefusal('ingest stopped: message not acknowledged');
    const parsed = parseTopic(topic);
    // The broker's ACL lets only uplink topics through; anything else is not ingest's business.
    if (parsed === undefined || !(UPLINK_CHANNELS as readonly string[]).includes(parsed.channel)) return { ok: true };
    const outcome = await enqueue(parsed.gatewayId, parsed.channel as UplinkChannel, payload);
    if (!outcome.ok && outcome.reason === 'store-unavailable') throw new IngestRefusal('store unavailable: message not acknowledged');
    return outcome;
  }

  return {
    receive,
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async idle() {
      await Promise.all([...queues.values()]);
    },
    async stop() {
      stopped = true;
      await Promise.all([...queues.values()]);
    },
  };
}
