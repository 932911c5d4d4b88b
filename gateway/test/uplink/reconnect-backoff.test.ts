import { describe, expect, it } from 'vitest';
import { attemptAfterClose, checkBackoffPolicy, DEFAULT_BACKOFF, reconnectDelay } from '../../src/uplink/index.js';
import type { BackoffPolicy } from '../../src/uplink/index.js';

const policy: BackoffPolicy = { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.5, stableMs: 30_000 };

describe('reconnectDelay', () => {
  it.each([
    // attempt, random, delay: base = min(60 s, 1 s × 2^attempt), delay = base × (1 − 0.5 × random)
    [0, 0, 1_000],
    [0, 0.5, 750],
    [0, 0.9, 550],
    [1, 0, 2_000],
    [2, 0, 4_000],
    [5, 0, 32_000],
    [6, 0, 60_000],
    [6, 0.5, 45_000],
    [7, 0, 60_000],
    [1_000, 0, 60_000],
    [-3, 0, 1_000],
  ])('attempt %i, random %f → %i ms', (attempt, random, expected) => {
    expect(reconnectDelay(attempt, policy, () => random)).toBe(expected);
  });

  it('without jitter is the plain exponential schedule, capped', () => {
    const fixed = { ...policy, jitter: 0 };
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((a) => reconnectDelay(a, fixed, Math.random))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
  });

  it('with factor 1 stays at initialMs', () => {
    expect(reconnectDelay(50, { ...policy, factor: 1, jitter: 0 }, Math.random)).toBe(1_000);
  });

  it('always lies within [base × (1 − jitter), base]', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const base = Math.min(policy.maxMs, policy.initialMs * 2 ** attempt);
      for (const r of [0, 0.1, 0.37, 0.5, 0.99]) {
        const d = reconnectDelay(attempt, policy, () => r);
        expect(d).toBeGreaterThanOrEqual(Math.floor(base * 0.5));
        expect(d).toBeLessThanOrEqual(base);
      }
    }
  });
});

describe('attemptAfterClose', () => {
  it.each<[number, number | undefined, number, string]>([
    [4, undefined, 4, 'never connected: keep climbing'],
    [4, 1_000, 4, 'flapping connection: keep climbing'],
    [4, 29_999, 4, 'just under stableMs'],
    [4, 30_000, 0, 'stable connection: start over'],
    [0, 90_000, 0, 'already at the start'],
  ])('attempt %i, connected for %s ms → %i (%s)', (attempt, connectedFor, expected) => {
    expect(attemptAfterClose(attempt, connectedFor, policy)).toBe(expected);
  });
});

describe('checkBackoffPolicy', () => {
  it('accepts the default', () => {
    expect(() => checkBackoffPolicy(DEFAULT_BACKOFF)).not.toThrow();
  });

  it.each([
    [{ initialMs: 0 }, /initialMs/],
    [{ maxMs: 10 }, /maxMs/],
    [{ factor: 0.5 }, /factor/],
    [{ jitter: 1.5 }, /jitter/],
    [{ stableMs: -1 }, /stableMs/],
  ])('refuses %o', (change, message) => {
    expect(() => checkBackoffPolicy({ ...policy, ...change })).toThrow(message);
  });
});
