import { backoffDelay } from '../backoff/exponential-backoff.js';

export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  initialMs: number;
  /** Ceiling of the delay, in ms. */
  maxMs: number;
  /** Share of the delay taken off at random (0..1), so gateways that lost one broker or one PTY do not retry in lockstep. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 10_000, jitter: 0.2 };

/**
 * Delay before reconnect attempt `attempt` (0 = the first retry after a loss): initialMs doubled
 * per attempt up to maxMs, minus up to `jitter` of it at random. Never above maxMs, never below
 * (1 - jitter) of the un-jittered delay. `random` returns [0, 1) like Math.random.
 */
export function reconnectDelayMs(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  return backoffDelay(attempt, { ...options, factor: 2 }, random);
}
