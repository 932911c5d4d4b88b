import { afterEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { CommandResult, EventBatch, GatewayStatus, TelemetryBatch, topicFor, WIRE_VERSION } from '@edgefleet/protocol';
import type { GatewayHealth } from '@edgefleet/protocol';
import type { Uplink } from '../../src/uplink/index.js';
import { MemoryOutbox } from './memory-outbox.js';
import { freePort, TestBroker, waitFor } from './test-broker.js';
import type { SeenPublish } from './test-broker.js';
import { alarm, cmdResult, connected, GATEWAY, makeUplink, reading, SOFTWARE } from './uplink-helpers.js';

const topic = (channel: Parameters<typeof topicFor>[1]): string => topicFor(GATEWAY, channel);
const statusCount = (b: TestBroker): number => b.published.filter((p) => p.topic === topic('status')).length;
const fromGateway = (b: TestBroker): SeenPublish[] => b.published.filter((p) => p.clientId === GATEWAY);

function health(seq: number): GatewayHealth {
  return {
    v: WIRE_VERSION, gateway: GATEWAY, bootId: 'boot-1', seq, ts: 1_700_000_000_000, uptimeS: 12,
    outbox: { events: { depth: 0 }, telemetry: { depth: 0, dropped: 0 }, bytes: 0, maxBytes: 1_000_000 },
    buses: [], devices: [], clock: { source: 'system' }, config: { version: 3 },
  };
}

describe('Uplink against aedes: what is published', () => {
  let broker: TestBroker | undefined;
  let uplink: Uplink | undefined;
  afterEach(async () => {
    await uplink?.stop();
    await broker?.close();
    uplink = undefined;
    broker = undefined;
  });

  it('publishes the retained online status (QoS 1) after connect, then subscribes to its own config and cmd', async () => {
    broker = await TestBroker.start();
    const subscriptions: { topic: string; qos: number }[] = [];
    broker.broker.on('subscribe', (subs, client) => {
      if (client.id === GATEWAY) subscriptions.push(...subs.map((s) => ({ topic: s.topic, qos: s.qos })));
    });
    uplink = makeUplink(broker.port, new MemoryOutbox());
    uplink.start();
    await connected(uplink);
    await waitFor(() => subscriptions.length === 2, broker.broker, 'subscribe', 5_000, 'subscriptions');

    const [status] = fromGateway(broker);
    expect(status).toMatchObject({ topic: topic('status'), qos: 1, retain: true });
    const payload = GatewayStatus.parse(JSON.parse(status!.payload));
    expect(payload).toMatchObject({ gateway: GATEWAY, state: 'online', software: { gateway: SOFTWARE, protocol: WIRE_VERSION }, config: { version: 3 } });
    expect(payload.reason).toBeUndefined();
    expect(subscriptions.sort((a, b) => a.topic.localeCompare(b.topic))).toEqual([
      { topic: topic('cmd'), qos: 1 },
      { topic: topic('config'), qos: 1 },
    ]);

    // A subscriber arriving later gets the status as a retained message.
    const late = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4, clientId: 'late-observer' });
    try {
      const got = new Promise<{ retain: boolean; payload: string }>((resolve) => late.once('message', (_t, p, packet) => resolve({ retain: packet.retain, payload: p.toString() })));
      await late.subscribeAsync(topic('status'), { qos: 1 });
      const retained = await got;
      expect(retained.retain).toBe(true);
      expect(JSON.parse(retained.payload)).toMatchObject({ state: 'online', gateway: GATEWAY });
    } finally {
      await late.endAsync();
    }
  });

  it('sends events, command results and telemetry on their own topics with the contract QoS, retain off, items carrying their seqs and the outbox epoch', async () => {
    broker = await TestBroker.start();
    const epoch = 1_790_000_000_000;
    const outbox = new MemoryOutbox(Date.now, epoch);
    outbox.enqueueTelemetry([reading(1), reading(2), reading(3)]);
    outbox.enqueueEvents([alarm(0), cmdResult('c-1'), alarm(1)]);
    uplink = makeUplink(broker.port, outbox);
    uplink.start();
    await connected(uplink);
    await waitFor(() => fromGateway(broker!).length === 5, broker.broker, 'publish', 5_000, 'five messages');

    const [, first, second, third, fourth] = fromGateway(broker);
    expect([first, second, third, fourth].map((p) => [p!.topic, p!.qos, p!.retain])).toEqual([
      [topic('events'), 1, false],
      [topic('cmd-result'), 1, false],
      [topic('events'), 1, false],
      [topic('telemetry'), 1, false],
    ]);
    const events1 = EventBatch.parse(JSON.parse(first!.payload));
    expect(events1.items.map((e) => [e.seq, e.type])).toEqual([[1, 'alarm']]);
    expect(events1.epoch).toBe(epoch);
    const result = CommandResult.parse(JSON.parse(second!.payload));
    expect(result).toMatchObject({ v: WIRE_VERSION, gateway: GATEWAY, stream: 'events', epoch, seq: 2, id: 'c-1', status: 'ok', readBack: { mode: 'flash' } });
    expect(EventBatch.parse(JSON.parse(third!.payload)).items.map((e) => e.seq)).toEqual([3]);
    const telemetry = TelemetryBatch.parse(JSON.parse(fourth!.payload));
    expect(telemetry.items.map((r) => [r.seq, r.value])).toEqual([[1, 1], [2, 2], [3, 3]]);
    expect(telemetry.epoch).toBe(epoch);
    await waitFor(() => outbox.depth('events') + outbox.depth('telemetry') === 0, outbox.events, 'ack', 5_000, 'acks');
    expect(uplink.stats()).toMatchObject({ messages: 4, rows: 6, invalidRows: 0 });
  });

  it('publishes health with QoS 0 and no retain, and skips it while disconnected', async () => {
    broker = await TestBroker.start();
    uplink = makeUplink(broker.port, new MemoryOutbox());
    expect(uplink.publishHealth(health(1))).toBe(false);
    uplink.start();
    await connected(uplink);
    expect(uplink.publishHealth(health(2))).toBe(true);
    await waitFor(() => fromGateway(broker!).some((p) => p.topic === topic('health')), broker.broker, 'publish', 5_000, 'health');
    const sent = fromGateway(broker).filter((p) => p.topic === topic('health'));
    expect(sent.map((p) => [p.qos, p.retain, JSON.parse(p.payload).seq])).toEqual([[0, false, 2]]);
    expect(uplink.stats()).toMatchObject({ healthSent: 1, healthSkipped: 1 });
  });

  it('refuses a health message that breaks the schema instead of sending it', async () => {
    broker = await TestBroker.start();
    uplink = makeUplink(broker.port, new MemoryOutbox());
    uplink.start();
    await connected(uplink);
    expect(uplink.publishHealth({ ...health(1), gateway: 'Not A Slug' })).toBe(false);
    expect(uplink.stats().healthSkipped).toBe(1);
  });

  it('stop() publishes the retained offline status with reason shutdown and disconnects cleanly (no last will)', async () => {
    broker = await TestBroker.start();
    uplink = makeUplink(broker.port, new MemoryOutbox());
    uplink.start();
    await connected(uplink);
    const disconnected = new Promise<void>((resolve) => broker!.broker.on('clientDisconnect', (c) => c.id === GATEWAY && resolve()));
    await uplink.stop();
    await disconnected;
    const statuses = broker.published.filter((p) => p.topic === topic('status')).map((p) => GatewayStatus.parse(JSON.parse(p.payload)));
    expect(statuses.map((s) => [s.state, s.reason])).toEqual([['online', undefined], ['offline', 'shutdown']]);
    expect(fromGateway(broker).at(-1)).toMatchObject({ topic: topic('status'), qos: 1, retain: true });
    expect(uplink.isConnected()).toBe(false);
  });

  it('stop() first delivers what is pending, then the offline status', async () => {
    broker = await TestBroker.start();
    const outbox = new MemoryOutbox();
    uplink = makeUplink(broker.port, outbox);
    uplink.start();
    await connected(uplink);
    outbox.enqueueEvents([alarm(0)]);
    outbox.enqueueTelemetry(Array.from({ length: 2_000 }, (_, i) => reading(i + 1)));
    await uplink.stop();
    expect(outbox.depth('events') + outbox.depth('telemetry')).toBe(0);
    await waitFor(() => fromGateway(broker!).some((p) => p.topic === topic('status') && p.payload.includes('shutdown')), broker.broker, 'publish', 5_000, 'offline status');
    const topics = fromGateway(broker).map((p) => p.topic);
    expect(topics.indexOf(topic('status'), 1)).toBe(topics.length - 1);
    expect(topics.filter((t) => t === topic('telemetry'))).toHaveLength(4);
  });

  it('stop() while the broker is unreachable resolves and leaves the rows in the outbox', async () => {
    const port = await freePort();
    const outbox = new MemoryOutbox();
    outbox.enqueueTelemetry([reading(1)]);
    uplink = makeUplink(port, outbox);
    uplink.start();
    await uplink.stop();
    expect(outbox.depth('telemetry')).toBe(1);
    expect(uplink.stats()).toMatchObject({ connected: false, connects: 0 });
  });

  it('fires the retained last will on an abrupt socket loss, then reconnects and publishes online again', async () => {
    broker = await TestBroker.start();
    const outbox = new MemoryOutbox();
    uplink = makeUplink(broker.port, outbox);
    uplink.start();
    await connected(uplink);
    await waitFor(() => statusCount(broker!) === 1, broker.broker, 'publish', 5_000, 'online status');
    const lost = new Promise<void>((resolve) => uplink!.onConnectionChange((up) => !up && resolve()));
    expect(broker.dropClient(GATEWAY)).toBe(true);
    await lost;
    await connected(uplink);
    await waitFor(() => statusCount(broker!) === 3, broker.broker, 'publish', 5_000, 'will and second online status');
    const statuses = broker.published.filter((p) => p.topic === topic('status'));
    expect(statuses.map((s) => [JSON.parse(s.payload).state, JSON.parse(s.payload).reason ?? null, s.retain])).toEqual([
      ['online', null, true],
      ['offline', 'lastwill', true],
      ['online', null, true],
    ]);
    expect(uplink.stats()).toMatchObject({ connects: 2, reconnects: 1 });
    // Still draining after the reconnect.
    outbox.enqueueTelemetry([reading(1)]);
    await waitFor(() => outbox.depth('telemetry') === 0, outbox.events, 'ack', 5_000, 'ack after reconnect');
  });
});
