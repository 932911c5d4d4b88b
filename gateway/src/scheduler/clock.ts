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

/** Waits shorter than this end with a setImmediate spin: Node timers have 1 ms granularity. */
const SPIN_BELOW_MS = 2;

/**
 * Node's setTimeout rounds to whole milliseconds and fires late, which would stretch a 1.75 ms
 * t3.5 to 2–3 ms and cost a fast RTU bus a third of its throughput. So the last stretch of a
 * short wait yields with setImmediate (I/O still runs) until performance.now() says it is time.
 */
function preciseTimeout(fn: () => void, ms: number): CancelTimer {
  const due = performance.now() + ms;
  let cancelled = false;
  let handle: NodeJS.Timeout | undefined;
  const spin = (): void => {
    if (cancelled) return;
    if (performance.now() >= due) fn();
    else setImmediate(spin);
  };
  if (ms >= SPIN_BELOW_MS) handle = setTimeout(spin, Math.floor(ms - 1));
  else setImmediate(spin);
  return () => {
    cancelled = true;
    if (handle !== undefined) clearTimeout(handle);
  };
}

/**
 * Monotonic, sub-millisecond time: for line silences of 1.75 ms, which Date.now's whole
 * milliseconds (and its steps when NTP adjusts the clock) cannot measure.
 */
export const monotonicClock: Clock = { now: () => performance.now(), setTimeout: preciseTimeout };
