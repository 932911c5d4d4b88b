// The time window a chart's x axis spans, and its tick labels. The window is decided here and
// never by uPlot: uPlot's auto range for a single x value adds 86400 / 1e-3 s (about 2.7 years,
// its ms-vs-s slip), which drew "today" charts over 2027–2029. Pure, so it is unit-tested.
import { browserTimeZone, startOfZonedDay, zonedClock, zonedDate } from './zoned-day.js';

/** Epoch ms, from < to. */
export interface ChartWindow {
  from: number;
  to: number;
  /** The zone the axis reads in (a site's "today"); absent: the browser's. */
  timeZone?: string;
}

/** The shortest "today" window, so just after midnight the axis is not a few seconds wide. */
export const MIN_TODAY_MS = 10 * 60_000;

const MINUTE = 60_000;

/**
 * The site's midnight (in its `timeZone`, DST days included) → now, with `now` rounded up to the
 * next minute (so a window computed once a minute still holds the newest reading) and at least
 * MIN_TODAY_MS wide.
 */
export function todayWindow(now: number, timeZone: string): ChartWindow {
  const from = startOfZonedDay(now, timeZone);
  const to = Math.ceil(now / MINUTE) * MINUTE;
  return { from, to: Math.max(to, from + MIN_TODAY_MS), timeZone };
}

/** The last `spanMs` up to now: exactly the range the user chose (1 h, 24 h, 7 d). */
export function recentWindow(spanMs: number, now: number): ChartWindow {
  return { from: now - spanMs, to: now };
}

/**
 * A tick's label in the window's zone: the time of day ("14:30"); at a midnight inside a window
 * that crosses days, the date instead ("29 Nov"), so a 24 h or 7 d axis shows where each day starts.
 */
export function tickLabel(ts: number, window: ChartWindow): string {
  const zone = window.timeZone ?? browserTimeZone();
  const crossesDays = startOfZonedDay(window.from, zone) !== startOfZonedDay(window.to, zone);
  if (crossesDays && startOfZonedDay(ts, zone) === ts) return zonedDate(ts, zone);
  return zonedClock(ts, zone);
}

export interface XYSeries {
  xs: readonly number[];
  ys: readonly (number | null)[];
}

/**
 * A stepped value (a count reported on change) holds until it changes: the last good value is
 * drawn on to `until`. Nothing is added without a last value or when `until` is not later.
 */
export function holdLast(series: XYSeries, until: number): XYSeries {
  const lastX = series.xs.at(-1);
  const lastY = series.ys.at(-1);
  if (lastX === undefined || lastY === undefined || lastY === null || until <= lastX) return series;
  return { xs: [...series.xs, until], ys: [...series.ys, lastY] };
}

/**
 * The chart's text alternative: "12 readings; latest 50 bays at 14:02, lowest 12, highest 58."
 * Gaps (null) are not readings.
 */
export function describeSeries(series: XYSeries, unit: string | null, formatAt: (ts: number) => string): string {
  const points = series.xs.flatMap((x, i) => {
    const y = series.ys[i];
    return y === null || y === undefined ? [] : [{ x, y }];
  });
  const last = points.at(-1);
  if (last === undefined) return 'No readings.';
  const withUnit = (n: number): string => `${Number(n.toFixed(2))}${unit ? ` ${unit}` : ''}`;
  const ys = points.map((p) => p.y);
  const count = `${points.length} ${points.length === 1 ? 'reading' : 'readings'}`;
  return `${count}; latest ${withUnit(last.y)} at ${formatAt(last.x)}, lowest ${withUnit(Math.min(...ys))}, highest ${withUnit(Math.max(...ys))}.`;
}
