// Keeps the device view's raw chart live: a window that ends now slides with the clock and the
// chosen point's readings from `values` events are appended to the loaded history, with no
// refetch. Pure and DOM-free, so it is unit-tested directly.
import type { PointReading } from '../api/types.js';
import type { ChartWindow, XYSeries } from './chart-window.js';
import { finiteOrNull } from './device-values.js';

export interface LiveSeries {
  series: XYSeries;
  window: ChartWindow;
}

/** A raw reading's chart value: good finite numbers (booleans as 1/0), else a gap (stale, comm-fail, null). */
export function readingY(r: { value: unknown; quality: string }): number | null {
  return r.quality === 'good' ? finiteOrNull(r.value) : null;
}

/**
 * The window moved on to end at `now` (keeping its span), and the readings that fell out of it
 * dropped. A `now` not later than the window's end changes nothing.
 */
export function slideTo<T extends LiveSeries>(live: T, now: number): T {
  if (now <= live.window.to) return live;
  const window = { from: now - (live.window.to - live.window.from), to: now };
  const keep = live.series.xs.findIndex((x) => x >= window.from);
  const start = keep < 0 ? live.series.xs.length : keep;
  const series = start === 0 ? live.series : { xs: live.series.xs.slice(start), ys: live.series.ys.slice(start) };
  return { ...live, series, window };
}

/**
 * `point`'s readings appended in ts order, each only if newer than the newest drawn (so a
 * replayed or repeated event is a no-op), then the window slid to `now`.
 */
export function appendReadings<T extends LiveSeries>(live: T, readings: readonly PointReading[], point: string, now: number): T {
  const fresh = readings.filter((r) => r.point === point).sort((a, b) => a.ts - b.ts);
  let last = live.series.xs.at(-1) ?? -Infinity;
  const xs: number[] = [];
  const ys: (number | null)[] = [];
  for (const r of fresh) {
    if (r.ts <= last) continue;
    xs.push(r.ts);
    ys.push(readingY(r));
    last = r.ts;
  }
  const grown = xs.length === 0 ? live : { ...live, series: { xs: [...live.series.xs, ...xs], ys: [...live.series.ys, ...ys] } };
  return slideTo(grown, now);
}
