import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openOutbox } from '../../src/outbox/index.js';
import type { SqliteOutbox } from '../../src/outbox/index.js';
import { DeliveryRecorder } from './delivery-recorder.js';
import { MemoryOutbox } from './memory-outbox.js';
import { ReadingProducer } from './reading-producer.js';
import { TestBroker, waitFor } from './test-broker.js';
import { alarm, connected, GATEWAY, makeUplink, reading } from './uplink-helpers.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('Uplink through a broker outage', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup.length = 0;
  });

  it('acks nothing that was not PUBACKed: with the broker withholding PUBACKs and then gone, every row is still in the outbox', async () => {
    let held = 0;
    let heldOne = (): void => undefined;
    const firstHeld = new Promise<void>((resolve) => (heldOne = resolve));
    // authorizePublish that never answers: the broker neither routes nor PUBACKs telemetry.
    const broker = await TestBroker.start(0, {
      authorizePublish: (_client, packet, callback) => {
        if (!packet.topic.endsWith('/telemetry')) return callback(null);
        held += 1;
        heldOne();
      },
    });
    cleanup.push(() => broker.close());
    const outbox = new MemoryOutbox();
    outbox.enqueueTelemetry(range(3_000).map((i) => reading(i)));
    const uplink = makeUplink(broker.port, outbox, {}, { limits: { window: 4, telemetryBatch: 100 } });
    cleanup.push(() => uplink.stop());
    uplink.start();
    await connected(uplink);
    // The window filled at once: 4 batches out, 2,600 rows waiting behind them.
    expect(uplink.stats().inFlight).toBe(4);
    await firstHeld;
    expect(held).toBeGreaterThanOrEqual(1);
    const lost = new Promise<void>((resolve) => uplink.onConnectionChange((up) => !up && resolve()));
    await broker.close();
    await lost;
    expect(outbox.acks).toEqual([]);
    expect(outbox.depth('telemetry')).toBe(3_000);
    expect(uplink.stats()).toMatchObject({ messages: 0, rows: 0 });
  });

  it('after a reconnect, alarms raised during the outage go before telemetry that was in flight when the link died', async () => {
    let holding = true;
    const broker = await TestBroker.start(0, {
      authorizePublish: (_client, packet, callback) => {
        // While holding, telemetry is swallowed: no route, no PUBACK, as on a dying link.
        if (!(holding && packet.topic.endsWith('/telemetry'))) callback(null);
      },
    });
    cleanup.push(() => broker.close());
    const outbox = new MemoryOutbox();
    outbox.enqueueTelemetry(range(1_000).map((i) => reading(i)));
    const uplink = makeUplink(broker.port, outbox, {}, { limits: { window: 4, telemetryBatch: 100 } });
    cleanup.push(() => uplink.stop());
    uplink.start();
    await connected(uplink);
    expect(uplink.stats().inFlight).toBe(4);
    const lost = new Promise<void>((resolve) => uplink.onConnectionChange((up) => !up && resolve()));
    broker.dropClient(GATEWAY);
    await lost;
    outbox.enqueueEvents([alarm(0), alarm(1)]);
    holding = false;
    const dataBefore = broker.published.filter((p) => p.clientId === GATEWAY && !p.topic.endsWith('/status')).length;
    await connected(uplink);
    await waitFor(() => outbox.depth('telemetry') + outbox.depth('events') === 0, outbox.events, 'ack', 10_000, 'outbox drained');
    const after = broker.published.filter((p) => p.clientId === GATEWAY && !p.topic.endsWith('/status')).slice(dataBefore);
    expect(after[0]!.topic).toMatch(/\/events$/);
    const telemetrySeqs = after.filter((p) => p.topic.endsWith('/telemetry')).flatMap((p) => (JSON.parse(p.payload) as { items: { seq: number }[] }).items.map((i) => i.seq));
    expect(telemetrySeqs).toEqual(range(1_000));
  });

  it('ACCEPTANCE: broker down for a while at ≥ 1,000 readings/s — afterwards every reading arrives, in order per stream, events first, exactly once after dedup by seq', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'uplink-outage-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const outbox: SqliteOutbox = openOutbox({ path: path.join(dir, 'outbox.db'), maxBytes: 256 * 1024 * 1024, maxAgeMs: 86_400_000 });
    cleanup.push(() => outbox.close());
    const recorder = new DeliveryRecorder();
    const first = await TestBroker.start(0, {}, (b) => recorder.attach(b, 1, GATEWAY));
    const port = first.port;
    let current = first;
    cleanup.push(() => current.close());
    const uplink = makeUplink(port, outbox, {}, { backoff: { initialMs: 100, maxMs: 400 } });
    cleanup.push(() => uplink.stop());
    uplink.start();
    await connected(uplink);

    const producer = new ReadingProducer(outbox, 2_000, 50);
    cleanup.push(() => void producer.stop());
    producer.start();
    await producer.reach(1_000);

    // Outage: the broker and every connection vanish abruptly; polling goes on.
    const lost = new Promise<void>((resolve) => uplink.onConnectionChange((up) => !up && resolve()));
    await first.close();
    await lost;
    const readingsAtOutage = producer.readings;
    await producer.reach(readingsAtOutage + 3_000);

    // The broker returns on the SAME port (the recorder attached before it listens).
    const second = await TestBroker.start(port, {}, (b) => recorder.attach(b, 2, GATEWAY));
    current = second;
    outbox.flush();
    const backlog = outbox.stats().lastSeq;
    await connected(uplink, 15_000);
    await producer.reach(producer.readings + 1_000);
    const { readings, elapsedMs } = producer.stop();
    outbox.flush();
    const lastSeq = outbox.stats().lastSeq;
    await waitFor(() => recorder.highest('telemetry') >= lastSeq.telemetry && recorder.highest('events') >= lastSeq.events, recorder, 'delivery', 20_000, 'the last rows of both streams');
    await uplink.stop();

    expect((readings * 1000) / elapsedMs).toBeGreaterThanOrEqual(1_000);
    expect(lastSeq.telemetry).toBe(readings);
    // Exactly once after dedup by seq: every seq 1..last, nothing else.
    const telemetry = recorder.firstArrivals('telemetry');
    const events = recorder.firstArrivals('events');
    expect(telemetry.order.length).toBe(readings);
    expect(events.order.length).toBe(lastSeq.events);
    // In order per stream: first arrivals ascend, so they are exactly 1..last.
    expect(telemetry.order).toEqual(range(readings));
    expect(events.order).toEqual(range(lastSeq.events));
    // Content, not just presence: reading n carries value n.
    const values = new Map<number, unknown>();
    for (const d of recorder.deliveries) for (const [seq, value] of d.values ?? []) values.set(seq, value);
    expect([...values.entries()].every(([seq, value]) => seq === value)).toBe(true);
    // Events first: on the returned broker no telemetry came before the outage's events.
    const afterOutage = recorder.deliveries.filter((d) => d.broker === 2);
    const firstTelemetry = afterOutage.findIndex((d) => d.stream === 'telemetry');
    const lastBacklogEvent = afterOutage.findLastIndex((d) => d.stream === 'events' && d.seqs.some((s) => s <= backlog.events));
    expect(firstTelemetry).toBeGreaterThan(lastBacklogEvent);
    expect(afterOutage.some((d) => d.channel === 'cmd-result')).toBe(true);
    // Nothing left behind, nothing dropped.
    expect(outbox.stats()).toMatchObject({ events: { depth: 0 }, telemetry: { depth: 0, dropped: 0 } });
    console.log(`outage test: ${readings} readings at ${Math.round((readings * 1000) / elapsedMs)}/s, ${lastSeq.events} events; ${readings - readingsAtOutage - 1_000} readings produced during the outage; duplicates telemetry=${telemetry.duplicates} events=${events.duplicates}; reconnects=${uplink.stats().reconnects}`);
  });
});
