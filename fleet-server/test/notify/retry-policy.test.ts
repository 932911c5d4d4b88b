import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBackoffDelay, decideRetry } from '../../src/notify/index.js';
import type { RetryPolicy, SendResult } from '../../src/notify/index.js';

const POLICY: RetryPolicy = { baseDelayMs: 1_000, multiplier: 2, maxDelayMs: 8_000, jitter: 0.5, maxAttempts: 6, maxAgeMs: 60_000 };
const T0 = 1_000_000;
const RETRYABLE: SendResult = { ok: false, retryable: true, status: 500, error: 'HTTP 500' };
const PERMANENT: SendResult = { ok: false, retryable: false, status: 400, error: 'HTTP 400' };
const DELIVERED: SendResult = { ok: true, providerId: 'SM1', status: 201, reply: '{}' };

describe('decideRetry', () => {
  it.each([
    { name: 'delivered', attempt: 1, after: 0, result: DELIVERED, random: 0, expected: { action: 'done' } },
    { name: '4xx', attempt: 1, after: 0, result: PERMANENT, random: 0, expected: { action: 'give-up', reason: 'not-retryable' } },
    { name: 'first failure', attempt: 1, after: 0, result: RETRYABLE, random: 0, expected: { action: 'retry', delayMs: 1_000, atMs: T0 + 1_000 } },
    { name: 'third failure doubles twice', attempt: 3, after: 10_000, result: RETRYABLE, random: 0, expected: { action: 'retry', delayMs: 4_000, atMs: T0 + 14_000 } },
    { name: 'fifth failure is capped', attempt: 5, after: 20_000, result: RETRYABLE, random: 0, expected: { action: 'retry', delayMs: 8_000, atMs: T0 + 28_000 } },
    { name: 'full jitter halves the delay', attempt: 2, after: 1_000, result: RETRYABLE, random: 1, expected: { action: 'retry', delayMs: 1_000, atMs: T0 + 2_000 } },
    { name: 'half jitter', attempt: 2, after: 1_000, result: RETRYABLE, random: 0.5, expected: { action: 'retry', delayMs: 1_500, atMs: T0 + 2_500 } },
    { name: 'last attempt used', attempt: 6, after: 30_000, result: RETRYABLE, random: 0, expected: { action: 'give-up', reason: 'max-attempts' } },
    { name: 'next try would be too old', attempt: 2, after: 59_000, result: RETRYABLE, random: 0, expected: { action: 'give-up', reason: 'max-age' } },
    { name: 'next try exactly at max age', attempt: 2, after: 58_000, result: RETRYABLE, random: 0, expected: { action: 'retry', delayMs: 2_000, atMs: T0 + 60_000 } },
  ])('$name', ({ attempt, after, result, random, expected }) => {
    expect(decideRetry(POLICY, { attempt, firstAttemptAtMs: T0, nowMs: T0 + after, result }, () => random)).toEqual(expected);
  });
});

describe('computeBackoffDelay', () => {
  it('stays within [(1 − jitter)·min(cap, base·2^(n−1)), min(cap, base·2^(n−1))]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const ceiling = Math.min(POLICY.maxDelayMs, POLICY.baseDelayMs * 2 ** (attempt - 1));
        const delay = computeBackoffDelay(POLICY, attempt, () => r);
        expect(delay).toBeLessThanOrEqual(ceiling);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling * (1 - POLICY.jitter)));
      }),
    );
  });
});
