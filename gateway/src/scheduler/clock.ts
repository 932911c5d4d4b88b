/** Cancels a timer set with Clock.setTimeout; calling it twice is harmless. */
export type CancelTimer = () => void;

/**
 * Time and timers behind one small interface, so timing logic runs under a fake clock in tests
 * (STYLE.md: fake clocks for timing logic).
 */
export interface Clock {
  /** Milliseconds; may be fractional. */
  now(): number;
  setTimeout(fn: () => void, ms: number): CancelTimer;
}

function nodeTimeout(fn: () => void, ms: number): CancelTimer {
  const handle = setTimeout(fn, Math.max(0, ms));
  return () => clearTimeout(handle);
}

/** Wall-clock time (ms since the epoch): for reading timestamps and poll intervals. */
export const systemClock: Clock = { now: () => Date.now(), setTimeout: nodeTimeout };

/**
 * Monotonic, sub-millisecond time: for line silences of 1.75 ms, which Date.now's whole
 * milliseconds (and its steps when NTP adjusts the clock) cannot measure.
 */
export const monotonicClock: Clock = { now: () => performance.now(), setTimeout: nodeTimeout };
