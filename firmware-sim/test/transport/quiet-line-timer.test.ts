import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuietLineTimer } from '../../src/transport/quiet-line-timer.js';

// Timers are faked; `now` is the clock the timer reads its own lateness from, moved by hand to
// stand for a process that was starved while its timer came due.
let now = 0;
let quiet = 0;
const timer = () => new QuietLineTimer(50, () => void quiet++, () => now);

beforeEach(() => {
  vi.useFakeTimers();
  now = 0;
  quiet = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

const advance = (ms: number): void => {
  now += ms;
  vi.advanceTimersByTime(ms);
};

describe('QuietLineTimer', () => {
  it('reports the line quiet once the period passes with no new arm', () => {
    const t = timer();
    t.arm();
    advance(49);
    expect(quiet).toBe(0);
    advance(1);
    expect(quiet).toBe(1);
    advance(500);
    expect(quiet).toBe(1);
  });

  it('restarts the wait on every arm, and never fires once cancelled', () => {
    const t = timer();
    t.arm();
    advance(40);
    t.arm();
    advance(40);
    expect(quiet).toBe(0);
    t.cancel();
    advance(500);
    expect(quiet).toBe(0);
  });

  it('waits one more period when it fired late (a starved process), then reports', () => {
    const t = timer();
    t.arm();
    now += 150; // the process was starved: its clock moved on, its timer has not run yet
    vi.advanceTimersByTime(50);
    expect(quiet).toBe(0);
    advance(50);
    expect(quiet).toBe(1);
  });

  it('a little late is on time: it reports', () => {
    const t = timer();
    t.arm();
    now += 20;
    vi.advanceTimersByTime(50);
    expect(quiet).toBe(1);
  });
});
