import type { SendResult } from './sms-provider.js';

export interface RetryPolicy {
  /** Delay after the first failed attempt. */
  readonly baseDelayMs: number;
  readonly multiplier: number;
  /** No single wait is longer than this. */
  readonly maxDelayMs: number;
  /** Fraction 0..1 of each delay that is randomised away, so many failed sends do not retry in step. */
  readonly jitter: number;
  /** Attempts in total, the first included. */
  readonly maxAttempts: number;
  /** An SMS older than this (from the first attempt) is no longer worth sending. */
  readonly maxAgeMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  baseDelayMs: 2_000,
  multiplier: 2,
  maxDelayMs: 60_000,
  jitter: 0.2,
  maxAttempts: 8,
  maxAgeMs: 15 * 60_000,
});

export interface AttemptRecord {
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly firstAttemptAtMs: number;
  /** When this attempt finished. */
  readonly nowMs: number;
  readonly result: SendResult;
}

export type RetryDecision =
  | { readonly action: 'done' }
  | { readonly action: 'retry'; readonly atMs: number; readonly delayMs: number }
  | { readonly action: 'give-up'; readonly reason: 'not-retryable' | 'max-attempts' | 'max-age' };

/** Delay before attempt n+1: base·multiplier^(n−1), capped, minus up to `jitter` of itself. */
export function computeBackoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const exponential = policy.baseDelayMs * policy.multiplier ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped * (1 - policy.jitter * random()));
}

/** What to do after an attempt; pure, `random` injected so tests are exact. */
export function decideRetry(
  policy: RetryPolicy,
  record: AttemptRecord,
  random: () => number = Math.random,
): RetryDecision {
  if (record.result.ok) return { action: 'done' };
  if (!record.result.retryable) return { action: 'give-up', reason: 'not-retryable' };
  if (record.attempt >= policy.maxAttempts) return { action: 'give-up', reason: 'max-attempts' };
  const delayMs = computeBackoffDelay(policy, record.attempt, random);
  const atMs = record.nowMs + delayMs;
  if (atMs - record.firstAttemptAtMs > policy.maxAgeMs) return { action: 'give-up', reason: 'max-age' };
  return { action: 'retry', atMs, delayMs };
}
