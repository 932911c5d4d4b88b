import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openOutbox } from '../../src/outbox/open-outbox.js';
import type { OutboxOptions } from '../../src/outbox/open-outbox.js';
import type { SqliteOutbox } from '../../src/outbox/sqlite-outbox.js';
import type { Stream } from '../../src/outbox/outbox-types.js';
import { alarm, makeTempDir, reading } from './outbox-fixtures.js';

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
const open: SqliteOutbox[] = [];
const openAt = (opts: Partial<OutboxOptions> = {}): SqliteOutbox => {
  const outbox = openOutbox({ path: tmp.file, maxBytes: 10_000_000, maxAgeMs: 86_400_000, ...opts });
  open.push(outbox);
  return outbox;
};
const seqsOf = (outbox: SqliteOutbox, stream: Stream): number[] => outbox.peek(stream, 10_000).map((r) => r.seq);

beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(async () => {
  vi.useRealTimers();
  for (const o of open.splice(0)) o.close();
  await tmp.cleanup();
});

describe('sequence numbers', () => {
  it('start at 1 per stream and are independent', () => {
    const outbox = openAt();
    expect(outbox.enqueueEvents([alarm(1), alarm(2)])).toEqual([1, 2]);
    outbox.enqueueTelemetry([reading(1), reading(2), reading(3)]);
    outbox.flush();
    expect(outbox.enqueueEvents([alarm(3)])).toEqual([3]);
    expect(seqsOf(outbox, 'telemetry')).toEqual([1, 2, 3]);
    expect(outbox.stats().lastSeq).toEqual({ events: 3, telemetry: 3 });
  });

  it('persist across close and reopen, even after every row was acknowledged', () => {
    const first = openAt();
    first.enqueueEvents([alarm(1), alarm(2)]);
    first.enqueueTelemetry([reading(1)]);
    first.flush();
    first.ack('events', [1, 2]);
    first.ack('telemetry', [1]);
    first.close();
    const second = openAt();
    expect(second.stats().lastSeq).toEqual({ events: 2, telemetry: 1 });
    expect(second.enqueueEvents([alarm(3)])).toEqual([3]);
    second.enqueueTelemetry([reading(2)]);
    second.close();
    const third = openAt();
    expect(seqsOf(third, 'telemetry')).toEqual([2]);
    expect(seqsOf(third, 'events')).toEqual([3]);
  });
});

describe('peek and ack', () => {
  it('peek returns the oldest rows after afterSeq, at most limit, with the item as stored', () => {
    const outbox = openAt();
    outbox.enqueueEvents([1, 2, 3, 4, 5].map(alarm));
    const rows = outbox.peek('events', 2, 2);
    expect(rows.map((r) => r.seq)).toEqual([3, 4]);
    expect(rows[0]!.item).toEqual(alarm(3));
    expect(rows[0]!.stream).toBe('events');
    expect(rows[0]!.bytes).toBeGreaterThan(JSON.stringify(alarm(3)).length - 1);
    expect(outbox.peek('events', 10).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('ack deletes the given rows, ignores unknown and repeated seqs, and keeps depth and bytes right', () => {
    const outbox = openAt();
    outbox.enqueueEvents([1, 2, 3, 4].map(alarm));
    const bytesOf3 = outbox.peek('events', 1, 2)[0]!.bytes;
    const before = outbox.stats().bytes;
    outbox.ack('events', [3, 99]);
    outbox.ack('events', [3]);
    outbox.ack('telemetry', [1, 2]);
    expect(seqsOf(outbox, 'events')).toEqual([1, 2, 4]);
    expect(outbox.stats().events.depth).toBe(3);
    expect(outbox.stats().bytes).toBe(before - bytesOf3);
    outbox.close();
    // The counts kept per commit equal what a fresh open counts in the file.
    const reopened = openAt();
    expect(reopened.stats().bytes).toBe(before - bytesOf3);
    expect(reopened.stats().events.depth).toBe(3);
  });
});

describe('telemetry buffering', () => {
  it('holds readings in memory until the flush interval, then writes them in one transaction', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const outbox = openAt({ flushIntervalMs: 50, batchSize: 500 });
    const appends: Stream[] = [];
    outbox.onAppend((s) => appends.push(s));
    outbox.enqueueTelemetry([reading(1), reading(2)]);
    outbox.enqueueTelemetry([reading(3)]);
    vi.advanceTimersByTime(49);
    expect(seqsOf(outbox, 'telemetry')).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seqsOf(outbox, 'telemetry')).toEqual([1, 2, 3]);
    expect(appends).toEqual(['telemetry']);
    expect(outbox.peek('telemetry', 3).map((r) => r.item)).toEqual([reading(1), reading(2), reading(3)]);
  });

  it('writes as soon as batchSize readings are pending, without waiting for the timer', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const outbox = openAt({ flushIntervalMs: 60_000, batchSize: 4 });
    outbox.enqueueTelemetry([reading(1), reading(2), reading(3)]);
    expect(seqsOf(outbox, 'telemetry')).toEqual([]);
    outbox.enqueueTelemetry([reading(4), reading(5)]);
    expect(seqsOf(outbox, 'telemetry')).toEqual([1, 2, 3, 4, 5]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('flush() and close() write what is pending', () => {
    const outbox = openAt({ flushIntervalMs: 60_000 });
    outbox.enqueueTelemetry([reading(1)]);
    outbox.flush();
    expect(seqsOf(outbox, 'telemetry')).toEqual([1]);
    outbox.enqueueTelemetry([reading(2)]);
    outbox.close();
    expect(seqsOf(openAt(), 'telemetry')).toEqual([1, 2]);
  });
});

describe('events', () => {
  it('are committed before enqueueEvents returns: another connection sees them', () => {
    const outbox = openAt({ flushIntervalMs: 60_000 });
    const appends: Stream[] = [];
    outbox.onAppend((s) => appends.push(s));
    expect(outbox.enqueueEvents([alarm(1), alarm(2)])).toEqual([1, 2]);
    expect(appends).toEqual(['events']);
    const other = new Database(tmp.file, { readonly: true });
    try {
      expect(other.prepare('SELECT seq FROM events ORDER BY seq').pluck().all()).toEqual([1, 2]);
    } finally {
      other.close();
    }
  });

  it('an unsubscribed listener is not called, and a throwing one does not break the write', () => {
    const outbox = openAt();
    const calls: Stream[] = [];
    const off = outbox.onAppend((s) => calls.push(s));
    outbox.onAppend(() => {
      throw new Error('listener bug');
    });
    off();
    expect(outbox.enqueueEvents([alarm(1)])).toEqual([1]);
    expect(calls).toEqual([]);
  });
});
