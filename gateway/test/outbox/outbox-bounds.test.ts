import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOutbox } from '../../src/outbox/open-outbox.js';
import type { OutboxOptions } from '../../src/outbox/open-outbox.js';
import type { SqliteOutbox } from '../../src/outbox/sqlite-outbox.js';
import { LEVEL, alarm, captureLogger, makeTempDir, reading } from './outbox-fixtures.js';

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
const open: SqliteOutbox[] = [];
let clock = 0;
const openAt = (opts: Partial<OutboxOptions> = {}): SqliteOutbox => {
  const outbox = openOutbox({ path: tmp.file, maxBytes: 10_000_000, maxAgeMs: 86_400_000, flushIntervalMs: 60_000, now: () => clock, ...opts });
  open.push(outbox);
  return outbox;
};
const telemetrySeqs = (outbox: SqliteOutbox): number[] => outbox.peek('telemetry', 10_000).map((r) => r.seq);
/** The size one test reading takes in the outbox, measured through the outbox itself. */
function rowBytes(): number {
  const probe = openAt();
  probe.enqueueTelemetry([reading(1)]);
  probe.flush();
  const bytes = probe.stats().bytes;
  probe.close();
  return bytes;
}

beforeEach(async () => {
  tmp = await makeTempDir();
  clock = 1_000_000;
});
afterEach(async () => {
  for (const o of open.splice(0)) o.close();
  await tmp.cleanup();
});

describe('size bound', () => {
  it('drops the oldest telemetry after a flush that crosses maxBytes, counts the drops and persists the count', async () => {
    const bytes = rowBytes();
    await tmp.cleanup();
    tmp = await makeTempDir();
    const { logger, lines } = captureLogger();
    // Readings 1..9 have the same size as reading(1) (one-digit values).
    const outbox = openAt({ maxBytes: bytes * 5, logger });
    outbox.enqueueTelemetry([1, 2, 3].map((i) => reading(i)));
    outbox.flush();
    expect(outbox.stats().telemetry.dropped).toBe(0);
    outbox.enqueueTelemetry([4, 5, 6, 7, 8].map((i) => reading(i)));
    outbox.flush();
    expect(telemetrySeqs(outbox)).toEqual([4, 5, 6, 7, 8]);
    expect(outbox.peek('telemetry', 1)[0]!.item).toEqual(reading(4));
    expect(outbox.stats()).toMatchObject({ bytes: bytes * 5, telemetry: { depth: 5, dropped: 3 } });
    expect(lines.filter((l) => l.code === 'OUTBOX_PRESSURE' && l.level === LEVEL.warn)).toHaveLength(1);
    outbox.close();
    const reopened = openAt({ maxBytes: bytes * 5 });
    expect(reopened.stats().telemetry.dropped).toBe(3);
    expect(reopened.stats().lastSeq.telemetry).toBe(8);
  });

  it('never drops events: when events alone exceed the bound all telemetry goes and the error is logged once per crossing', () => {
    const { logger, lines } = captureLogger();
    const outbox = openAt({ maxBytes: 1_000, logger });
    outbox.enqueueTelemetry([1, 2, 3].map((i) => reading(i)));
    outbox.flush();
    const events = Array.from({ length: 10 }, (_, i) => alarm(i));
    outbox.enqueueEvents(events);
    outbox.enqueueEvents(events);
    outbox.enqueueTelemetry([reading(4)]);
    outbox.flush();
    expect(outbox.enforceBounds(clock)).toBe(0);
    const overBound = (): number => lines.filter((l) => l.code === 'OUTBOX_EVENTS_OVER_BOUND' && l.level === LEVEL.error).length;
    expect(outbox.stats().events.depth).toBe(20);
    expect(outbox.stats().telemetry).toMatchObject({ depth: 0, dropped: 4 });
    expect(outbox.stats().bytes).toBeGreaterThan(1_000);
    expect(overBound()).toBe(1);
    // Back under the bound, then over again: a second crossing, a second line.
    outbox.ack('events', outbox.peek('events', 20).map((r) => r.seq));
    outbox.enqueueEvents(events);
    expect(overBound()).toBe(2);
    expect(outbox.stats().events.depth).toBe(10);
  });
});

describe('notices', () => {
  it('onNotice hears each crossing once, after the write, and may enqueue a notice event itself', async () => {
    const heard: string[] = [];
    // The listener runs after openAt returned (onNotice is deferred), so `outbox` is set by then.
    const outbox: SqliteOutbox = openAt({
      maxBytes: 1_000,
      onNotice: (code, details) => {
        heard.push(code);
        outbox.enqueueEvents([{ type: 'notice', level: 'error', code, message: 'outbox bound', details, ts: clock }]);
      },
    });
    outbox.enqueueTelemetry(Array.from({ length: 20 }, (_, i) => reading(i)));
    outbox.flush();
    expect(heard).toEqual([]);
    await Promise.resolve();
    expect(heard).toEqual(['OUTBOX_PRESSURE']);
    outbox.enqueueEvents(Array.from({ length: 10 }, (_, i) => alarm(i)));
    outbox.enqueueEvents([alarm(11)]);
    await Promise.resolve();
    expect(heard).toEqual(['OUTBOX_PRESSURE', 'OUTBOX_EVENTS_OVER_BOUND']);
    const notices = outbox.peek('events', 100).filter((r) => r.item.type === 'notice');
    expect(notices.map((r) => r.item.type === 'notice' && r.item.code)).toEqual(['OUTBOX_PRESSURE', 'OUTBOX_EVENTS_OVER_BOUND']);
  });
});

describe('age bound', () => {
  it('enforceBounds(now) drops telemetry enqueued before now - maxAge, oldest first, and leaves events of any age', () => {
    const outbox = openAt({ maxAgeMs: 10_000 });
    outbox.enqueueEvents([alarm(1)]);
    outbox.enqueueTelemetry([reading(1), reading(2)]);
    outbox.flush();
    clock += 6_000;
    outbox.enqueueTelemetry([reading(3)]);
    outbox.flush();
    expect(outbox.enforceBounds(clock + 4_000)).toBe(0);
    expect(outbox.enforceBounds(clock + 4_001)).toBe(2);
    expect(telemetrySeqs(outbox)).toEqual([3]);
    expect(outbox.enforceBounds(clock + 1_000_000)).toBe(1);
    expect(outbox.peek('events', 10).map((r) => r.seq)).toEqual([1]);
    expect(outbox.stats().telemetry.dropped).toBe(3);
  });

  it('a flush evicts expired telemetry by itself', () => {
    const outbox = openAt({ maxAgeMs: 10_000 });
    outbox.enqueueTelemetry([reading(1)]);
    outbox.flush();
    clock += 10_001;
    outbox.enqueueTelemetry([reading(2)]);
    outbox.flush();
    expect(telemetrySeqs(outbox)).toEqual([2]);
    expect(outbox.stats().telemetry.dropped).toBe(1);
  });

  it('evicts across many eviction chunks', () => {
    const outbox = openAt({ maxAgeMs: 10_000, batchSize: 5_000 });
    outbox.enqueueTelemetry(Array.from({ length: 2_500 }, (_, i) => reading(i)));
    outbox.flush();
    clock += 5_000;
    outbox.enqueueTelemetry([reading(9)]);
    outbox.flush();
    expect(outbox.enforceBounds(clock + 6_000)).toBe(2_500);
    expect(telemetrySeqs(outbox)).toEqual([2_501]);
  });
});
