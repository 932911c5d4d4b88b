import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TelemetryBuffer } from '../../src/outbox/telemetry-buffer.js';
import type { PendingRow, TelemetryBufferDeps } from '../../src/outbox/telemetry-buffer.js';

const row = (i: number): PendingRow => ({ json: String(i), bytes: 1, enqueuedAt: i });

/** A buffer whose writes fail while `failing` is set; successful writes are recorded. */
function makeBuffer(overrides: Partial<TelemetryBufferDeps> = {}) {
  const written: number[][] = [];
  const errors: number[] = [];
  const overflows: number[] = [];
  const control = { failing: false };
  const buffer = new TelemetryBuffer({
    batchSize: 3,
    flushIntervalMs: 50,
    maxPendingRows: 5,
    write: (rows) => {
      if (control.failing) throw new Error('SQLITE_FULL');
      written.push(rows.map((r) => r.enqueuedAt));
    },
    onBackgroundError: (_err, pending) => errors.push(pending),
    onOverflow: (n) => overflows.push(n),
    ...overrides,
  });
  return { buffer, written, errors, overflows, control };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('TelemetryBuffer', () => {
  it('one timer per batch, flushed once by the interval', () => {
    const { buffer, written } = makeBuffer();
    buffer.add([row(1)]);
    buffer.add([row(2)]);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(50);
    expect(written).toEqual([[1, 2]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a failed background flush keeps the rows, reports, and retries on the next interval', () => {
    const { buffer, written, errors, control } = makeBuffer();
    control.failing = true;
    buffer.add([row(1), row(2), row(3)]);
    expect(errors).toEqual([3]);
    expect(buffer.pending).toBe(3);
    control.failing = false;
    vi.advanceTimersByTime(50);
    expect(written).toEqual([[1, 2, 3]]);
    expect(buffer.pending).toBe(0);
  });

  it('an explicit flush rethrows and keeps the rows', () => {
    const { buffer, control } = makeBuffer();
    buffer.add([row(1)]);
    control.failing = true;
    expect(() => buffer.flush()).toThrow('SQLITE_FULL');
    expect(buffer.pending).toBe(1);
  });

  it('while writes keep failing it keeps the newest maxPendingRows and reports the overflow', () => {
    const { buffer, written, overflows, control } = makeBuffer();
    control.failing = true;
    buffer.add([row(1), row(2), row(3)]);
    buffer.add([row(4), row(5), row(6), row(7)]);
    expect(overflows).toEqual([2]);
    control.failing = false;
    buffer.flush();
    expect(written).toEqual([[3, 4, 5, 6, 7]]);
  });

  it('discard drops what is pending and cancels the timer', () => {
    const { buffer, written } = makeBuffer();
    buffer.add([row(1)]);
    expect(buffer.discard()).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(written).toEqual([]);
  });
});
