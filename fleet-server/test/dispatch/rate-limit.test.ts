import { describe, expect, it } from 'vitest';
import { checkRateLimit, pruneHistory, validateRateLimit } from '../../src/dispatch/index.js';

const LIMIT = { count: 3, windowMs: 60_000 };

describe('checkRateLimit (sliding window per recipient)', () => {
  it.each([
    { name: 'no history', sent: [], now: 100_000, expected: { allowed: true } },
    { name: 'below the limit', sent: [90_000, 95_000], now: 100_000, expected: { allowed: true } },
    { name: 'window full: defer until the oldest leaves', sent: [50_000, 90_000, 95_000], now: 100_000, expected: { allowed: false, retryAtMs: 110_000 } },
    { name: 'unordered history', sent: [95_000, 50_000, 90_000], now: 100_000, expected: { allowed: false, retryAtMs: 110_000 } },
    { name: 'old sends no longer count', sent: [10_000, 40_000, 90_000, 95_000], now: 100_000, expected: { allowed: true } },
    { name: 'send exactly windowMs ago has left', sent: [40_000, 90_000, 95_000], now: 100_000, expected: { allowed: true } },
    { name: 'over the limit: the count-th newest decides', sent: [45_000, 50_000, 90_000, 95_000], now: 100_000, expected: { allowed: false, retryAtMs: 110_000 } },
  ])('$name', ({ sent, now, expected }) => {
    expect(checkRateLimit(LIMIT, sent, now)).toEqual(expected);
  });

  it('a deferred send is allowed at its retry time', () => {
    const sent = [50_000, 90_000, 95_000];
    const decision = checkRateLimit(LIMIT, sent, 100_000);
    if (decision.allowed) throw new Error('expected a deferral');
    expect(checkRateLimit(LIMIT, sent, decision.retryAtMs - 1).allowed).toBe(false);
    expect(checkRateLimit(LIMIT, sent, decision.retryAtMs).allowed).toBe(true);
  });

  it('pruneHistory keeps only sends inside the window', () => {
    expect(pruneHistory(LIMIT, [10_000, 40_000, 40_001, 99_000], 100_000)).toEqual([40_001, 99_000]);
  });

  it.each([{ count: 0, windowMs: 1 }, { count: 1.5, windowMs: 1 }, { count: 1, windowMs: 0 }, { count: 1, windowMs: Number.NaN }])(
    'rejects %o',
    (limit) => {
      expect(() => validateRateLimit(limit)).toThrow(/rateLimit\.perRecipient/);
    },
  );
});
