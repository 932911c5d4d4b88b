/**
 * Per-device circuit breaker, pure (STYLE.md: policy in pure functions with table tests).
 * closed: polled normally. After `offlineAfter` consecutive no-answer failures it opens: the
 * device is offline and gets only one small probe read per backoff step (1 s doubling up to
 * maxProbeMs, with jitter so devices that died together do not probe in lock-step). A success
 * closes it again. An exception reply proves the device is alive: it resets the count.
 */
export interface BreakerConfig {
  offlineAfter: number;
  /** First re-probe delay. */
  baseProbeMs: number;
  /** Longest re-probe delay (polling.maxProbeInterval). */
  maxProbeMs: number;
  /** Share of the delay randomised, 0..1: delay × (1 − jitter/2 + jitter × random). */
  jitter: number;
}

export type BreakerState =
  | { status: 'closed'; failures: number }
  | { status: 'open'; failures: number; openedAt: number; probes: number; nextProbeAt: number };

export type BreakerTransition = 'opened' | 'closed' | undefined;

export const DEFAULT_BREAKER: Omit<BreakerConfig, 'offlineAfter' | 'maxProbeMs'> = { baseProbeMs: 1_000, jitter: 0.2 };

export function initialBreaker(): BreakerState {
  return { status: 'closed', failures: 0 };
}

/** Delay before probe number `probes` (0-based): base × 2^probes, capped, jittered. */
export function probeDelayMs(config: BreakerConfig, probes: number, random: number): number {
  const raw = Math.min(config.maxProbeMs, config.baseProbeMs * 2 ** Math.min(probes, 30));
  const factor = 1 - config.jitter / 2 + config.jitter * Math.min(1, Math.max(0, random));
  return raw * factor;
}

/** A valid answer (data or an exception). */
export function recordAnswer(state: BreakerState): { state: BreakerState; transition: BreakerTransition } {
  return { state: initialBreaker(), transition: state.status === 'open' ? 'closed' : undefined };
}

/** No answer (timeout, port lost, garbage): counts towards opening, or schedules the next probe. */
export function recordNoAnswer(
  config: BreakerConfig,
  state: BreakerState,
  now: number,
  random: number,
): { state: BreakerState; transition: BreakerTransition } {
  const failures = state.failures + 1;
  if (state.status === 'open') {
    const probes = state.probes + 1;
    return { state: { ...state, failures, probes, nextProbeAt: now + probeDelayMs(config, probes, random) }, transition: undefined };
  }
  if (failures < config.offlineAfter) return { state: { status: 'closed', failures }, transition: undefined };
  return {
    state: { status: 'open', failures, openedAt: now, probes: 0, nextProbeAt: now + probeDelayMs(config, 0, random) },
    transition: 'opened',
  };
}

/** May the device be read now? Closed: always; open: only a probe, once its time has come. */
export function isProbeDue(state: BreakerState, now: number): boolean {
  return state.status === 'open' && now >= state.nextProbeAt;
}
