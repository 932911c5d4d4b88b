// Count, median and worst of a set of response times. Both the fleet server (GET /overview's
// time to acknowledge/resolve) and the dashboard (the alert history's summary) use it, so the
// two never disagree on what "median" means. Pure: no I/O, no Node or DOM APIs.

/** Count, median and worst of a set of durations; median and worst are null when there are none. */
export interface DurationStats {
  count: number;
  medianMs: number | null;
  worstMs: number | null;
}

/** The median (of an even count: the mean of the middle two, rounded to the ms) and the largest value. */
export function durationStats(durations: readonly number[]): DurationStats {
  if (durations.length === 0) return { count: 0, medianMs: null, worstMs: null };
  const sorted = [...durations].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  const median = sorted.length % 2 === 1 ? upper : Math.round(((sorted[mid - 1] ?? 0) + upper) / 2);
  return { count: sorted.length, medianMs: median, worstMs: sorted[sorted.length - 1] ?? null };
}
