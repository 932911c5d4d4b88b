import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { pino } from 'pino';
import { CommandResult, EventBatch, GatewayStatus, TelemetryBatch, topicFor, WIRE_VERSION } from '@edgefleet/protocol';
import { Downlink } from '../../src/downlink/index.js';
import { Uplink } from '../../src/uplink/index.js';
import { MemoryOutbox } from './memory-outbox.js';
import { alarm, reading } from './uplink-helpers.js';

const url = process.env.EDGEFLEET_TEST_MQTT;
if (!url) console.log('uplink-mosquitto: skipped — EDGEFLEET_TEST_MQTT is not set (.ci/run sets it to the machine\'s Mosquitto)');

/** A unique gateway id per run, so retained messages of other runs never collide. */
const gatewayId = `gw-t-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const topic = (c: Parameters<typeof topicFor>[1]): string => topicFor(gatewayId, c);

interface Received {
  topic: string;
  payload: string;
  qos: number;
  retain: boolean;
}

/** Collects messages; next(pred) resolves with the first (past or future) that matches. */
class Inbox {
  readonly all: Received[] = [];
  private waiters: { pred: (m: Received) => boolean; resolve: (m: Received) => void }[] = [];

  constructor(client: MqttClient) {
    client.on('message', (t, p, packet) => {
      const m = { topic: t, payload: p.toString(), qos: packet.qos, retain: packet.retain };
      this.all.push(m);
      this.waiters = this.waiters.filter((w) => !(w.pred(m) && (w.resolve(m), true)));
    });
  }

  next(pred: (m: Received) => boolean, ms = 10_000): Promise<Received> {
    const seen = this.all.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching message from Mosquitto in time')), ms);
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }
}

describe.skipIf(!url)('Uplink against Mosquitto (EDGEFLEET_TEST_MQTT)', () => {
  const clients: MqttClient[] = [];
  const observer = async (id: string): Promise<MqttClient> => {
    const c = await mqtt.connectAsync(url!, { protocolVersion: 4, clientId: `${gatewayId}-${id}`, clean: true });
    clients.push(c);
    return c;
  };
  afterAll(async () => {
    // Clear what this run retained, then close its clients.
    const cleaner = clients[0] ?? (await observer('cleaner'));
    for (const c of ['status', 'config'] as const) await cleaner.publishAsync(topic(c), '', { qos: 1, retain: true });
    for (const c of clients) await c.endAsync();
    // The gateway's persistent session: end it by connecting once with clean: true.
    const session = await mqtt.connectAsync(url!, { protocolVersion: 4, clientId: gatewayId, clean: true });
    await session.endAsync();
  });

  it('status, events before telemetry, a command round trip, the last will, all with the contract QoS and retain', async () => {
    const watcher = await observer('watcher');
    const inbox = new Inbox(watcher);
    await watcher.subscribeAsync(`fleet/v1/gw/${gatewayId}/#`, { qos: 1 });
    const outbox = new MemoryOutbox();
    outbox.enqueueTelemetry(Array.from({ length: 1_200 }, (_, i) => reading(i + 1)));
    outbox.enqueueEvents([alarm(0), alarm(1)]);
    const logger = pino({ level: 'silent' });
    const now = Date.now;
    const downlink = new Downlink({
      outbox, logger, now,
      onDesiredConfig: async () => ({ applied: true }),
      onCommand: async (c) => ({ id: c.id, device: c.device, status: 'ok', ts: now() }),
    });
    const uplink = new Uplink(
      { gatewayId, outbox, logger, now, softwareVersion: '0.1.0-test', configStatus: { version: 1 }, onDownlink: (ch, p) => downlink.handle(ch, p) },
      { url: url!, backoff: { initialMs: 100, maxMs: 500 } },
    );
    uplink.start();
    try {
      const online = await inbox.next((m) => m.topic === topic('status') && JSON.parse(m.payload).state === 'online');
      expect(GatewayStatus.parse(JSON.parse(online.payload))).toMatchObject({ gateway: gatewayId, config: { version: 1 } });
      await inbox.next((m) => m.topic === topic('telemetry') && TelemetryBatch.parse(JSON.parse(m.payload)).items.at(-1)!.seq === 1_200);
      const data = inbox.all.filter((m) => m.topic === topic('telemetry') || m.topic === topic('events'));
      expect(data.map((m) => m.topic)).toEqual([topic('events'), topic('telemetry'), topic('telemetry'), topic('telemetry')]);
      expect(EventBatch.parse(JSON.parse(data[0]!.payload)).items.map((e) => e.seq)).toEqual([1, 2]);
      expect(data.flatMap((m) => (m.topic === topic('telemetry') ? TelemetryBatch.parse(JSON.parse(m.payload)).items.map((r) => r.seq) : []))).toEqual(Array.from({ length: 1_200 }, (_, i) => i + 1));
      expect(data.every((m) => m.qos === 1 && !m.retain)).toBe(true);

      // A late subscriber sees the status retained.
      const late = await observer('late');
      const lateInbox = new Inbox(late);
      await late.subscribeAsync(topic('status'), { qos: 1 });
      expect(await lateInbox.next((m) => m.topic === topic('status'))).toMatchObject({ retain: true });

      // Command round trip through the outbox's event stream.
      await watcher.publishAsync(topic('cmd'), JSON.stringify({ v: WIRE_VERSION, id: 'mq-1', device: 'cabinet-1', issuedAt: now(), expiresAt: now() + 60_000, command: 'set-flash' }), { qos: 1 });
      const result = await inbox.next((m) => m.topic === topic('cmd-result'));
      expect(CommandResult.parse(JSON.parse(result.payload))).toMatchObject({ id: 'mq-1', status: 'ok', gateway: gatewayId, seq: 3 });

      // An abrupt loss of the gateway's socket: Mosquitto publishes the retained last will.
      const lost = new Promise<void>((resolve) => uplink.onConnectionChange((up) => !up && resolve()));
      (uplink as unknown as { client: MqttClient }).client.stream.destroy();
      await lost;
      const will = await inbox.next((m) => m.topic === topic('status') && JSON.parse(m.payload).reason === 'lastwill');
      expect(JSON.parse(will.payload)).toMatchObject({ state: 'offline', gateway: gatewayId });
      // It comes back by itself and says so.
      const willAt = inbox.all.indexOf(will);
      await inbox.next((m) => m.topic === topic('status') && JSON.parse(m.payload).state === 'online' && inbox.all.indexOf(m) > willAt);
    } finally {
      await uplink.stop();
    }
    const shutdown = await inbox.next((m) => m.topic === topic('status') && JSON.parse(m.payload).reason === 'shutdown');
    expect(JSON.parse(shutdown.payload)).toMatchObject({ state: 'offline' });
  });
});
