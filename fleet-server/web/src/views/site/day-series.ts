// Today's readings of one point (from the site's midnight, in the site's zone), extended live:
// when the device's latest value of the point gets newer (a values event), it is appended instead
// of re-fetched. The window is midnight → now (moving once a minute); a new day fetches afresh.
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../../api/client.js';
import { rawReadings } from '../../api/telemetry.js';
import type { SiteDevice } from '../../api/types.js';
import type { Series } from '../../charts/line-chart.js';
import { todayWindow, type ChartWindow } from '../../lib/chart-window.js';
import { finiteOrNull, valueOf } from '../../lib/device-values.js';
import { useMinute } from '../../live/hooks.js';

export interface DaySeries {
  series: Series | null;
  error: string | null;
  window: ChartWindow;
}

/** `timeZone`: the site's (GET /sites/:id `timezone`), whose midnight starts "today". */
export function useDaySeries(device: SiteDevice, point: string, reloadKey: number, timeZone: string): DaySeries {
  const [series, setSeries] = useState<Series | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lastTs = useRef(0);
  const window = todayWindow(useMinute(), timeZone);

  useEffect(() => {
    let live = true;
    rawReadings(device.gateway, device.device, point, window.from, Date.now() + 60_000).then(
      (t) => {
        if (!live) return;
        lastTs.current = t.items.at(-1)?.ts ?? 0;
        setSeries({ xs: t.items.map((r) => r.ts), ys: t.items.map((r) => (r.quality === 'good' ? finiteOrNull(r.value) : null)) });
        setError(null);
      },
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [device.gateway, device.device, point, reloadKey, window.from]);

  const latest = valueOf(device, point);
  useEffect(() => {
    if (latest === undefined || series === null || latest.ts <= lastTs.current || latest.ts < window.from) return;
    lastTs.current = latest.ts;
    setSeries({ xs: [...series.xs, latest.ts], ys: [...series.ys, latest.quality === 'good' ? finiteOrNull(latest.value) : null] });
  }, [latest?.ts]);

  return { series, error, window };
}
