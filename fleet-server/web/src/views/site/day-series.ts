// Today's readings of one point (from local midnight), extended live: when the device's latest
// value of the point gets newer (a values event), it is appended instead of re-fetched.
import { useEffect, useRef, useState } from 'preact/hooks';
import { rawReadings } from '../../api/telemetry.js';
import type { SiteDevice } from '../../api/types.js';
import type { Series } from '../../charts/line-chart.js';
import { valueOf } from '../../lib/device-values.js';
import { localMidnight } from '../../lib/format.js';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function useDaySeries(device: SiteDevice, point: string, reloadKey: number): { series: Series | null; error: string | null } {
  const [series, setSeries] = useState<Series | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lastTs = useRef(0);

  useEffect(() => {
    let live = true;
    const from = localMidnight(Date.now());
    rawReadings(device.gateway, device.device, point, from, Date.now() + 60_000).then(
      (t) => {
        if (!live) return;
        lastTs.current = t.items.at(-1)?.ts ?? 0;
        setSeries({ xs: t.items.map((r) => r.ts), ys: t.items.map((r) => (r.quality === 'good' ? num(r.value) : null)) });
        setError(null);
      },
      (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
  }, [device.gateway, device.device, point, reloadKey]);

  const latest = valueOf(device, point);
  useEffect(() => {
    if (latest === undefined || series === null || latest.ts <= lastTs.current) return;
    lastTs.current = latest.ts;
    setSeries({ xs: [...series.xs, latest.ts], ys: [...series.ys, latest.quality === 'good' ? num(latest.value) : null] });
  }, [latest?.ts]);

  return { series, error };
}
