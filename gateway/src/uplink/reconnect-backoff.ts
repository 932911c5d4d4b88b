import { backoffDelay } from '../backoff/exponential-backoff.js';

/**
 * Reconnect delays for the MQTT uplink. mqtt.js only knows a fixed `reconnectPeriod`
 * (LIBRARIES.md), so a fleet of gateways coming back after a broker outage would all retry in
 * lock-step; exponential growth spreads the load over time, jitter spreads it within a step.
 */
export interface BackoffPolicy {
  /** Delay before the first retry after a connection is lost. */
  initialMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
  /** Growth per failed attempt. */
  factor: number;
  /** Share of the delay that is random, 0..1: the delay lies in [base × (1 − jitter), base]. */
  jitter: number;
  /** A connection that stayed up this long resets the attempt count (a flapping link does not). */
  stableMs: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = Object.freeze({
  initialMs: 1_000,
  maxMs: 60_000,
  factor: 2,
  jitter: 0.5,
  stableMs: 30_000,
});

/** The delay before retry number `attempt` (0-based); `random` returns a value in [0, 1). */
export function reconnectDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  return backoffDelay(attempt, policy, random);
}

/**
 * The attempt number to use after a connection closed: a connection that lasted at least
 * `stableMs` starts the schedule over, one that did not (or never opened) keeps climbing.
 */
export function attemptAfterClose(attempt: number, connectedForMs: number | undefined, policy: BackoffPolicy): number {
  return connectedForMs !== undefined && connectedForMs >= policy.stableMs ? 0 : attempt;
}

/** Rejects a policy that would retry in a tight loop or never grow. */
export function checkBackoffPolicy(policy: BackoffPolicy): void {
  const problems: string[] = [];
  if (!(policy.initialMs > 0)) problems.push(`initialMs must be > 0 (got ${policy.initialMs})`);
  if (!(policy.maxMs >= policy.initialMs)) problems.push(`maxMs must be >= initialMs (got ${policy.maxMs})`);
  if (!(policy.factor >= 1)) problems.push(`factor must be >= 1 (got ${policy.factor})`);
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) problems.push(`jitter must be within 0..1 (got ${policy.jitter})`);
  if (!(policy.stableMs >= 0)) problems.push(`stableMs must be >= 0 (got ${policy.stableMs})`);
  if (problems.length > 0) throw new RangeError(`uplink backoff: ${problems.join('; ')}`);
}
