export interface ExponentialBackoff {
  /** Delay before the first retry, in ms. */
  initialMs: number;
  /** Upper bound of any delay, in ms. */
  maxMs: number;
  /** Growth per failed attempt (2 = doubling). */
  factor: number;
  /** Share of the delay that is random, 0..1: the delay lies in [base × (1 − jitter), base]. */
  jitter: number;
}

/**
 * Pure: the delay before retry number `attempt` (0-based). Jitter keeps gateways that lost the
 * same broker or the same PTY from retrying in lock-step. `random` returns [0, 1) like
 * Math.random; the exponent is capped first, so factor^attempt stays finite however long the
 * outage lasts. Shared by the Modbus transports and the MQTT uplink.
 */
export function backoffDelay(attempt: number, policy: ExponentialBackoff, random: () => number = Math.random): number {
  const steps = policy.factor > 1 ? Math.ceil(Math.log(policy.maxMs / policy.initialMs) / Math.log(policy.factor)) : 0;
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), Number.isFinite(steps) ? Math.max(0, steps) : 0);
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(base * (1 - policy.jitter * r));
}
