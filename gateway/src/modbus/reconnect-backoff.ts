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
  // Cap the exponent: 2 ** 1024 is Infinity, and the ceiling is reached long before.
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 52);
  const base = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.round(base * (1 - options.jitter * random()));
}
