// #/devices/:gateway/:device — a point's history: point, range (1 h, 24 h, 7 d) and mode (raw
// readings or hourly rollups) chosen by the user, a uPlot chart, and the latest values as a
// table (the chart alone is not accessible). Raw readings are live: the window slides with the
// clock and `values` events append to the chart (lib/live-series.ts); rollups load once.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import { rawReadings, rollupHours } from '../../api/telemetry.js';
import type { DeviceValue, SiteDevice } from '../../api/types.js';
import { LineChart, type Series } from '../../charts/line-chart.js';
import { describeSeries, recentWindow, type ChartWindow } from '../../lib/chart-window.js';
import { applyValues } from '../../lib/device-values.js';
import { formatTime, formatValue } from '../../lib/format.js';
import { appendReadings, readingY, slideTo } from '../../lib/live-series.js';
import { useMinute, useReconnect } from '../../live/hooks.js';
import { useLoad } from '../use-load.js';
import { Gateway as GatewayLink } from './gateway-link.js';

/** GET /gateways/:id/devices/:device: the site listing's identity fields plus the latest values. */
type DeviceInfo = Pick<SiteDevice, 'gateway' | 'device' | 'name' | 'location' | 'profile'> & { values: DeviceValue[] };

const RANGES = [
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '24h', label: '24 h', ms: 86_400_000 },
  { id: '7d', label: '7 d', ms: 7 * 86_400_000 },
] as const;
type RangeId = (typeof RANGES)[number]['id'];
type Mode = 'raw' | 'rollup';

interface History {
  series: Series;
  truncated: boolean;
  /** Exactly the range chosen, ending when it was asked for (and, when live, sliding on to now). */
  window: ChartWindow;
  point: string;
  /** Raw and complete: live readings of `point` are appended. A truncated history would show them after a hole. */
  live: boolean;
}

async function loadSeries(gateway: string, device: string, point: string, range: RangeId, mode: Mode): Promise<History> {
  const window = recentWindow(RANGES.find((r) => r.id === range)?.ms ?? 3_600_000, Date.now());
  if (mode === 'rollup') {
    // Each hour is drawn at its start; the hour the window starts in (the server rounds `from`
    // down) begins left of the axis and its line enters from the edge.
    const t = await rollupHours(gateway, device, point, window.from, window.to);
    return { series: { xs: t.items.map((h) => h.hour), ys: t.items.map((h) => h.avg) }, truncated: t.truncated, window, point, live: false };
  }
  // A minute past now: a reading stamped by a gateway clock slightly ahead still shows.
  const t = await rawReadings(gateway, device, point, window.from, window.to + 60_000);
  return { series: { xs: t.items.map((r) => r.ts), ys: t.items.map(readingY) }, truncated: t.truncated, window, point, live: !t.truncated };
}

export function DeviceView({ gateway, device }: { gateway: string; device: string }) {
  const info = useLoad(() => api<DeviceInfo>(`/gateways/${encodeURIComponent(gateway)}/devices/${encodeURIComponent(device)}`), [gateway, device], {
    accepts: (e) => e.type === 'values' && e.data.gateway === gateway && e.data.device === device,
    apply: (d, e) => (e.type === 'values' ? { ...d, values: applyValues([{ ...d, family: null, state: '', gatewayStatus: '', lastGoodAt: null }], gateway, device, e.data.values)[0]?.values ?? d.values } : d),
  });
  const [point, setPoint] = useState<string | null>(null);
  const [range, setRange] = useState<RangeId>('1h');
  const [mode, setMode] = useState<Mode>('raw');
  const [reloadKey, setReloadKey] = useState(0);
  // By default the first measured quantity (a number without an enum label), else any number.
  const values = info.data?.values ?? [];
  const chosen = point ?? (values.find((v) => typeof v.value === 'number' && !v.label) ?? values.find((v) => typeof v.value === 'number') ?? values[0])?.point ?? null;
  const series = useLoad(() => (chosen === null ? Promise.resolve(null) : loadSeries(gateway, device, chosen, range, mode)), [gateway, device, chosen, range, mode, reloadKey], {
    accepts: (e) => e.type === 'values' && e.data.gateway === gateway && e.data.device === device,
    apply: (h, e) => (h !== null && h.live && e.type === 'values' ? appendReadings(h, e.data.values, h.point, Date.now()) : h),
  });
  // A quiet device still sees its window move on (and old readings leave it) once a minute.
  const minute = useMinute();
  useEffect(() => series.set((h) => (h !== null && h.live ? slideTo(h, Date.now()) : h)), [minute]);

  useReconnect(() => {
    void info.reload();
    setReloadKey((k) => k + 1);
  });
  useEffect(() => setPoint(null), [gateway, device]);
  // The default is kept once shown: live values carry no enum label, so recomputing it would
  // switch the chart to another point at the first update.
  useEffect(() => {
    if (point === null && chosen !== null) setPoint(chosen);
  }, [point, chosen]);

  const d = info.data;
  const title = d?.name ?? device;
  const current = d?.values.find((v) => v.point === chosen);
  return (
    <>
      <p class="muted">
        <GatewayLink gateway={gateway} />
        {d?.location ? ` · ${d.location}` : ''}
      </p>
      <h1>{title}</h1>
      {info.error !== null && <p role="alert">Could not load the device: {info.error}</p>}
      {d !== null && (
        <>
          <div class="controls">
            <label>
              Point
              <select value={chosen ?? ''} onChange={(e) => setPoint(e.currentTarget.value)}>
                {d.values.map((v) => (
                  <option key={v.point} value={v.point}>
                    {v.name ?? v.point}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Range
              <select value={range} onChange={(e) => setRange(e.currentTarget.value as RangeId)}>
                {RANGES.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Mode
              <select value={mode} onChange={(e) => setMode(e.currentTarget.value as Mode)}>
                <option value="raw">Raw readings</option>
                <option value="rollup">Hourly rollup (average)</option>
              </select>
            </label>
          </div>
          <figure class="chart">
            <figcaption>
              {current?.name ?? chosen ?? 'No point'} — {RANGES.find((r) => r.id === range)?.label}, {mode === 'raw' ? 'raw readings' : 'hourly averages'}
              {series.data?.truncated === true && ' (first 10000 readings only)'}
            </figcaption>
            <p class="muted">
              {mode === 'rollup'
                ? 'Hourly rollups do not update live: an hour appears once it has ended, when the chart is loaded again.'
                : series.data?.truncated === true
                  ? 'Too many readings to follow live: choose a shorter range.'
                  : 'Live: new readings are added as they arrive.'}
            </p>
            {series.error !== null ? (
              <p role="alert">Could not load the history: {series.error}</p>
            ) : series.data === null ? (
              <p>Loading…</p>
            ) : series.data.series.xs.length === 0 ? (
              <p>No readings in this range.</p>
            ) : (
              <>
                <LineChart data={series.data.series} window={series.data.window} label={current?.name ?? chosen ?? ''} unit={current?.unit ?? null} stepped={mode === 'raw' && typeof current?.value !== 'number'} />
                <p class="chart-summary">{describeSeries(series.data.series, current?.unit ?? null, (ts) => formatTime(ts))}</p>
              </>
            )}
          </figure>
          <h2 id="latest-values">Latest values</h2>
          {/* WCAG 2.1.1: a phone scrolls the table sideways, so its wrapper takes focus (arrow keys scroll it) and is named. */}
          <div class="table-wrap" role="region" aria-labelledby="latest-values" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Point</th>
                  <th scope="col">Value</th>
                  <th scope="col">Quality</th>
                  <th scope="col">Read at</th>
                </tr>
              </thead>
              <tbody>
                {d.values.map((v) => (
                  <tr key={v.point}>
                    <th scope="row">{v.name ?? v.point}</th>
                    <td>{v.label ?? formatValue(v.value, { unit: v.unit })}</td>
                    <td>{v.quality}</td>
                    <td>{formatTime(v.ts)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
