// A "today" chart on a device card: caption, the chart over the site's midnight → now, its text
// alternative (times in the site's zone), and the loading, empty and error states (car park
// occupancy, water flow).
import { useMemo } from 'preact/hooks';
import { LineChart } from '../../charts/line-chart.js';
import { describeSeries, holdLast } from '../../lib/chart-window.js';
import { browserTimeZone, zonedClock } from '../../lib/zoned-day.js';
import type { DaySeries } from './day-series.js';

/** `hold`: a value reported on change is drawn on to the window's end, now (the text counts only readings). */
export function DayChart({ caption, what, day, label, unit, stepped = false, hold = false }: { caption: string; what: string; day: DaySeries; label: string; unit: string; stepped?: boolean; hold?: boolean }) {
  const { series, error, window } = day;
  const drawn = useMemo(() => (series !== null && hold ? holdLast(series, window.to) : series), [series, hold, window.to]);
  return (
    <figure class="chart">
      <figcaption>{caption}</figcaption>
      {error !== null ? (
        <p role="alert">
          Could not load {what}: {error}
        </p>
      ) : series === null ? (
        <p>Loading…</p>
      ) : series.xs.length === 0 ? (
        <p>No readings today.</p>
      ) : (
        <>
          <LineChart data={drawn ?? series} window={window} label={label} unit={unit} height={160} stepped={stepped} />
          <p class="chart-summary">{describeSeries(series, unit, (ts) => zonedClock(ts, window.timeZone ?? browserTimeZone(), true))}</p>
        </>
      )}
    </figure>
  );
}
