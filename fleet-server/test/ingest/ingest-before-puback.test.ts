import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import pino from 'pino';
import { topicFor } from '@edgefleet/protocol';
import type { Reading } from '@edgefleet/protocol';
import { MemoryCredentials } from '../../src/broker/credentials.js';
import { startBroker } from '../../src/broker/start-broker.js';
import type { RunningBroker } from '../../src/broker/start-broker.js';
import { createIngestMetrics } from '../../src/ingest/ingest-metrics.js';
import { startIngest } from '../../src/ingest/start-ingest.js';
import type { Ingest } from '../../src/ingest/start-ingest.js';
import { MetricsRegistry } from '../../src/metrics/metrics-registry.js';
import { MAX_QUERY_LIMIT } from '../../src/store/query-limit.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { asGateway, CHEAP_SCRYPT, connectOnce, SECRETS } from '../broker/mqtt-helpers.js';

const T0 = 1_700_000_000_000;

function batch(gateway: string, from: number, count: number): string {
  const items: Reading[] = Array.from({ length: count }, (_, i) => ({
    seq: from + i, device: 'lift-1', point: 'floor', ts: T0 + from + i, value: i, quality: 'good',
  }));
  return JSON.stringify({ v: 1, gateway, stream: 'telemetry', sentAt: T0, items });
}

/** A gate a store call waits on: `entered` resolves when the call arrived, release() lets it go on. */
class Gate {
  entered!: () => void;
  readonly arrived = new Promise<void>((resolve) => (this.entered = resolve));
  release!: () => void;
  private readonly opened = new Promise<void>((resolve) => (this.release = resolve));
  async pass(): Promise<void> {
    this.entered();
    await this.opened;
  }
}

describe('ingest runs before the PUBACK (a PUBACK means "stored")', () => {
  let dir: string;
  let store: SqliteStore;
  let broker: RunningBroker;
  let ingest: Ingest;
  const clients: MqttClient[] = [];
  /** Wraps the real store's ingestTelemetry; tests replace it to block or fail. */
  let telemetryHook: (gatewayId: string) => Promise<void>;
  let telemetryCalls = 0;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-puback-'));
    store = SqliteStore.open({ path: path.join(dir, 'fleet.sqlite') });
    await store.upsertSite({ id: 'default', name: 'Default', timezone: 'UTC' });
    for (const id of Object.keys(SECRETS)) await store.upsertGateway({ id, site: 'default', name: id, secretHash: 'scrypt$1$1$1$x$y' });
    telemetryHook = async () => undefined;
    telemetryCalls = 0;
    const hooked: Store = Object.create(store) as Store;
    hooked.ingestTelemetry = async (gatewayId, items, receivedAt) => {
      telemetryCalls += 1;
      await telemetryHook(gatewayId);
      return store.ingestTelemetry(gatewayId, items, receivedAt);
    };
    ingest = startIngest({ store: hooked, metrics: createIngestMetrics(new MetricsRegistry()), logger: pino({ level: 'silent' }) });
    const credentials = new MemoryCredentials(CHEAP_SCRYPT);
    for (const [id, secret] of Object.entries(SECRETS)) await credentials.add(id, secret);
    const generous = { attempts: 1000, windowMs: 60_000 };
    broker = await startBroker({
      host: '127.0.0.1', port: 0, credentials, uplink: ingest, logger: pino({ level: 'silent' }),
      rateLimit: { perClientId: generous, perAddress: generous },
    });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)));
    await ingest.stop();
    await broker.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function connect(id: keyof typeof SECRETS): Promise<MqttClient> {
    const client = await connectOnce(broker.port, asGateway(id));
    clients.push(client);
    return client;
  }

  const storedSeqs = async (gateway: string): Promise<number[]> =>
    (await store.telemetry({ gateway, device: 'lift-1', point: 'floor', from: 0, to: T0 * 2, limit: MAX_QUERY_LIMIT })).map((r) => r.seq);

  it('has every batch in the store by the time its PUBACK arrives', async () => {
    const gw = await connect('gw-a');
    // The store is read inside each publish callback, i.e. on the PUBACK, with no other wait.
    const seenAtAck = await Promise.all(
      Array.from({ length: 20 }, (_, i) => new Promise<number[]>((resolve, reject) => {
        gw.publish(topicFor('gw-a', 'telemetry'), batch('gw-a', i * 5 + 1, 5), { qos: 1 }, (err) => {
          if (err) reject(err);
          else storedSeqs('gw-a').then(resolve, reject);
        });
      })),
    );
    seenAtAck.forEach((seqs, i) => {
      for (let seq = i * 5 + 1; seq <= i * 5 + 5; seq++) expect(seqs).toContain(seq);
    });
    expect(await storedSeqs('gw-a')).toHaveLength(100);
  });

  it('sends no PUBACK while the store has not committed, and sends it once it has', async () => {
    const gate = new Gate();
    telemetryHook = (gatewayId) => (gatewayId === 'gw-a' ? gate.pass() : Promise.resolve());
    const gwA = await connect('gw-a');
    const gwB = await connect('gw-b');
    let released = false;
    const acked = new Promise<boolean>((resolve, reject) => {
      gwA.publish(topicFor('gw-a', 'telemetry'), batch('gw-a', 1, 3), { qos: 1 }, (err) => (err ? reject(err) : resolve(released)));
    });
    let ackedEarly = false;
    void acked.then(() => (ackedEarly = !released));
    await gate.arrived;
    // A full round trip through the same broker: had gw-a's PUBACK been written, it would be here.
    await gwB.publishAsync(topicFor('gw-b', 'telemetry'), batch('gw-b', 1, 1), { qos: 1 });
    expect(ackedEarly).toBe(false);
    expect(await storedSeqs('gw-a')).toEqual([]);
    released = true;
    gate.release();
    expect(await acked).toBe(true);
    expect(await storedSeqs('gw-a')).toEqual([1, 2, 3]);
  });

  it('keeps a gateway\'s order: a slow first batch holds back the store and the PUBACKs of the ones behind it', async () => {
    const gate = new Gate();
    telemetryHook = () => (telemetryCalls === 1 ? gate.pass() : Promise.resolve());
    const gw = await connect('gw-a');
    const acks: number[] = [];
    const all = [1, 2, 3].map((n) => new Promise<void>((resolve, reject) => {
      gw.publish(topicFor('gw-a', 'telemetry'), batch('gw-a', n * 10, 1), { qos: 1 }, (err) => {
        if (err) return reject(err);
        acks.push(n);
        resolve();
      });
    }));
    await gate.arrived;
    expect(acks).toEqual([]);
    expect(telemetryCalls).toBe(1);
    gate.release();
    await Promise.all(all);
    expect(acks).toEqual([1, 2, 3]);
    expect(await storedSeqs('gw-a')).toEqual([10, 20, 30]);
  });

  it('refuses a batch the store failed to write (no PUBACK); the gateway resends it and it is stored once', async () => {
    telemetryHook = async () => {
      if (telemetryCalls === 1) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    };
    const gw = mqtt.connect(`mqtt://127.0.0.1:${broker.port}`, {
      protocolVersion: 4, ...asGateway('gw-a'), reconnectPeriod: 50, connectTimeout: 5000, clean: false,
    });
    clients.push(gw);
    let closes = 0;
    gw.on('close', () => (closes += 1));
    await gw.publishAsync(topicFor('gw-a', 'telemetry'), batch('gw-a', 1, 4), { qos: 1 });
    // The PUBACK came only from the second attempt, after the connection of the first was closed.
    expect(telemetryCalls).toBe(2);
    expect(closes).toBeGreaterThanOrEqual(1);
    expect(await storedSeqs('gw-a')).toEqual([1, 2, 3, 4]);
  });

  it('acknowledges a payload that fails validation, counts it and keeps the connection', async () => {
    const outcomes: string[] = [];
    ingest.listen({ onMessage: (_g, _c, o) => outcomes.push(o.ok ? 'ok' : o.reason) });
    const gw = await connect('gw-a');
    await gw.publishAsync(topicFor('gw-a', 'telemetry'), '{"not":"a batch"}', { qos: 1 });
    await gw.publishAsync(topicFor('gw-a', 'telemetry'), 'not json', { qos: 1 });
    expect(outcomes).toEqual(['schema', 'json']);
    expect(gw.connected).toBe(true);
    expect(telemetryCalls).toBe(0);
  });

  it('refuses publishes after the ingest stopped (no PUBACK: the gateway keeps them)', async () => {
    const gw = await connect('gw-a');
    await ingest.stop();
    const closed = new Promise<void>((resolve) => gw.once('close', () => resolve()));
    let acked = false;
    gw.publish(topicFor('gw-a', 'telemetry'), batch('gw-a', 1, 1), { qos: 1 }, (err) => (acked = err === undefined || err === null));
    await closed;
    expect(acked).toBe(false);
    expect(await storedSeqs('gw-a')).toEqual([]);
  });
});
