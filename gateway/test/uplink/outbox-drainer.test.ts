import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { EventBatch, TelemetryBatch } from '@edgefleet/protocol';
import { OutboxDrainer } from '../../src/uplink/index.js';
import type { DrainLimits, OutgoingMessage } from '../../src/uplink/index.js';
import { MemoryOutbox } from './memory-outbox.js';
import { alarm, cmdResult, GATEWAY, reading } from './uplink-helpers.js';

/** A publish whose PUBACKs the test hands out one by one. */
class ManualBroker {
  readonly sent: { message: OutgoingMessage; settle: (ok: boolean) => void }[] = [];
  private onSend: (() => void) | undefined;
  publish = (message: OutgoingMessage): Promise<void> =>
    new Promise((resolve, reject) => {
      this.sent.push({ message, settle: (ok) => (ok ? resolve() : reject(new Error('connection closed'))) });
      this.onSend?.();
    });

  /** Resolves on the next publish call. */
  nextSend(): Promise<void> {
    return new Promise((resolve) => (this.onSend = resolve));
  }

  /** Seqs of message i, whatever its stream. */
  seqsOf(i: number): number[] {
    const m = this.sent[i]!.message;
    const body = JSON.parse(m.payload) as { items?: { seq: number }[]; seq?: number };
    return body.items?.map((x) => x.seq) ?? [body.seq!];
  }

  /** Settles message i and lets the promise callbacks run. */
  async puback(i: number, ok = true): Promise<void> {
    this.sent[i]!.settle(ok);
    await new Promise((r) => setImmediate(r));
  }
}

function setup(limits: Partial<DrainLimits> = {}, retryDelayMs = 1) {
  const outbox = new MemoryOutbox();
  const broker = new ManualBroker();
  const drainer = new OutboxDrainer({ gatewayId: GATEWAY, outbox, publish: broker.publish, now: () => 1_700_000_000_000, logger: pino({ level: 'silent' }), limits: { window: 3, telemetryBatch: 10, eventBatch: 5, ...limits }, retryDelayMs });
  outbox.onAppend(() => drainer.kick());
  return { outbox, broker, drainer };
}

const readings = (n: number) => Array.from({ length: n }, (_, i) => reading(i + 1));

describe('OutboxDrainer', () => {
  it('keeps at most `window` messages in flight and batches up to telemetryBatch rows of one stream', () => {
    const { outbox, broker, drainer } = setup();
    outbox.enqueueTelemetry(readings(100));
    drainer.resume();
    expect(broker.sent).toHaveLength(3);
    expect([0, 1, 2].map((i) => broker.seqsOf(i))).toEqual([0, 10, 20].map((start) => Array.from({ length: 10 }, (_, k) => start + k + 1)));
    expect(drainer.stats().inFlight).toBe(3);
  });

  it('acks a batch to the outbox only on its PUBACK, then fills the freed slot', async () => {
    const { outbox, broker, drainer } = setup();
    outbox.enqueueTelemetry(readings(50));
    drainer.resume();
    expect(outbox.acks).toEqual([]);
    await broker.puback(1);
    expect(outbox.acks).toEqual([{ stream: 'telemetry', seqs: broker.seqsOf(1) }]);
    expect(outbox.depth('telemetry')).toBe(40);
    expect(broker.sent).toHaveLength(4);
    expect(broker.seqsOf(3)[0]).toBe(31);
  });

  it('sends no telemetry while event rows are pending or in flight', async () => {
    const { outbox, broker, drainer } = setup();
    outbox.enqueueTelemetry(readings(30));
    outbox.enqueueEvents([alarm(0)]);
    drainer.resume();
    // One event batch in flight, two free slots, telemetry waiting: nothing else may go.
    expect(broker.sent.map((s) => s.message.channel)).toEqual(['events']);
    await broker.puback(0);
    expect(broker.sent.map((s) => s.message.channel)).toEqual(['events', 'telemetry', 'telemetry', 'telemetry']);
    // An event appended while telemetry is in flight goes next, before more telemetry.
    outbox.enqueueTelemetry(readings(30));
    outbox.enqueueEvents([alarm(1)]);
    await broker.puback(1);
    expect(broker.sent.at(-1)!.message.channel).toBe('events');
    await broker.puback(2);
    expect(broker.sent.at(-1)!.message.channel).toBe('events');
    expect(broker.sent).toHaveLength(5);
  });

  it('splits the event stream at command results, which go alone on the cmd-result topic, in stream order', () => {
    const { outbox, broker, drainer } = setup({ window: 10 });
    outbox.enqueueEvents([alarm(0), alarm(1), cmdResult('a'), cmdResult('b'), alarm(2)]);
    drainer.resume();
    expect(broker.sent.map((s) => s.message.channel)).toEqual(['events', 'cmd-result', 'cmd-result', 'events']);
    expect([0, 1, 2, 3].map((i) => broker.seqsOf(i))).toEqual([[1, 2], [3], [4], [5]]);
    expect(EventBatch.safeParse(JSON.parse(broker.sent[0]!.message.payload)).success).toBe(true);
  });

  it('after a lost connection starts again from the oldest un-acked row, never ahead of it', async () => {
    const { outbox, broker, drainer } = setup();
    outbox.enqueueTelemetry(readings(50));
    drainer.resume();
    await broker.puback(0);
    drainer.suspend();
    drainer.resume();
    // 1..10 acked; 11..40 were in flight and are sent again, from 11.
    expect(broker.seqsOf(4)[0]).toBe(11);
    expect(broker.sent.slice(4).map((_, i) => broker.seqsOf(4 + i)[0])).toEqual([11, 21, 31]);
    // A late PUBACK of the old connection still removes its rows (the broker has them).
    await broker.puback(1);
    expect(outbox.peek('telemetry', 1)[0]!.seq).toBe(21);
    expect(drainer.stats().inFlight).toBe(3);
  });

  it('after a failed publish resends from the oldest un-acked row', async () => {
    const { outbox, broker, drainer } = setup();
    outbox.enqueueTelemetry(readings(30));
    drainer.resume();
    const retried = broker.nextSend();
    await broker.puback(0, false);
    await retried;
    // The whole window again, from seq 1 (the failed batch), in order.
    expect(broker.sent.slice(3).map((_, i) => broker.seqsOf(3 + i)[0])).toEqual([1, 11, 21]);
  });

  it('drops and acks rows the wire schema refuses, and still sends the valid ones', async () => {
    const { outbox, broker, drainer } = setup();
    outbox.enqueueTelemetry([reading(1), { ...reading(2), device: 'Bad Device' }, reading(3)]);
    drainer.resume();
    const batch = TelemetryBatch.parse(JSON.parse(broker.sent[0]!.message.payload));
    expect(batch.items.map((r) => r.seq)).toEqual([1, 3]);
    await broker.puback(0);
    expect(outbox.acks).toEqual([{ stream: 'telemetry', seqs: [1, 2, 3] }]);
    expect(drainer.stats()).toMatchObject({ invalidRows: 1, rows: 2, messages: 1 });
  });

  it('whenIdle() resolves once nothing is pending or in flight', async () => {
    const { outbox, broker, drainer } = setup();
    outbox.enqueueTelemetry(readings(15));
    drainer.resume();
    let idle = false;
    const waiting = drainer.whenIdle().then(() => (idle = true));
    await broker.puback(0);
    expect(idle).toBe(false);
    await broker.puback(1);
    await waiting;
    expect(outbox.depth('telemetry')).toBe(0);
  });

  it('sends nothing while suspended, and wakes on append when active', () => {
    const { outbox, broker, drainer } = setup();
    outbox.enqueueTelemetry(readings(5));
    expect(broker.sent).toHaveLength(0);
    drainer.resume();
    expect(broker.sent).toHaveLength(1);
    outbox.enqueueEvents([alarm(0)]);
    expect(broker.sent.map((s) => s.message.channel)).toEqual(['telemetry', 'events']);
  });
});
