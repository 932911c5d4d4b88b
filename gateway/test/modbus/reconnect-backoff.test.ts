import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, reconnectDelayMs } from '../../src/modbus/reconnect-backoff.js';

describe('reconnectDelayMs (250 ms doubling to 10 s, up to 20% jitter off)', () => {
  it.each([
    // attempt, random, delay
    [0, 0, 250],
    [1, 0, 500],
    [2, 0, 1000],
    [3, 0, 2000],
    [4, 0, 4000],
    [5, 0, 8000],
    [6, 0, 10_000],
    [7, 0, 10_000],
    [2000, 0, 10_000],
    [0, 0.5, 225],
    [0, 0.999, 200],
    [5, 0.5, 7200],
    [6, 0.999, 8002],
  ])('attempt %i, random %f → %i ms', (attempt, random, delay) => {
    expect(reconnectDelayMs(attempt, DEFAULT_BACKOFF, () => random)).toBe(delay);
  });

  it('never exceeds the ceiling nor falls below (1 - jitter) of the un-jittered delay', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const base = Math.min(DEFAULT_BACKOFF.maxMs, DEFAULT_BACKOFF.initialMs * 2 ** attempt);
      for (const random of [0, 0.1, 0.5, 0.9, 0.9999]) {
        const delay = reconnectDelayMs(attempt, DEFAULT_BACKOFF, () => random);
        expect(delay).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxMs);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(base * (1 - DEFAULT_BACKOFF.jitter)));
      }
    }
  });

  it('follows other options', () => {
    expect(reconnectDelayMs(3, { initialMs: 10, maxMs: 50, jitter: 0 }, () => 0.7)).toBe(50);
    expect(reconnectDelayMs(2, { initialMs: 10, maxMs: 50, jitter: 0 }, () => 0.7)).toBe(40);
  });
});
