// A water meter (family `water-meter`, aquametrix-um50): today's flow chart, today's
// consumption from the totaliser, and leak and freeze indicators.
import { useEffect, useState } from 'preact/hooks';
import { rawReadings } from '../../api/telemetry.js';
import type { Alert, SiteDevice } from '../../api/types.js';
import { LineChart } from '../../charts/line-chart.js';
import { todaysConsumption, type TotalReading } from '../../lib/consumption.js';
import { valueOf } from '../../lib/device-values.js';
import { formatValue, localMidnight } from '../../lib/format.js';
import { useDaySeries } from './day-series.js';
import { DeviceCard } from './device-card.js';
import type { PointFormat } from './point-format.js';

/** The first good totaliser reading since local midnight (raw readings come oldest first). */
function useFirstTotalToday(device: SiteDevice, reloadKey: number): TotalReading[] | null {
  const [first, setFirst] = useState<TotalReading[] | null>(null);
  useEffect(() => {
    let live = true;
    rawReadings(device.gateway, device.device, 'total-volume', localMidnight(Date.now()), Date.now() + 60_000, 20).then(
      (t) => live && setFirst(t.items),
      () => live && setFirst([]),
    );
    return () => {
      live = false;
    };
  }, [device.gateway, device.device, reloadKey]);
  return first;
}

function Indicator({ label, on, detail }: { label: string; on: boolean; detail: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <span class={`indicator ${on ? 'on' : 'off'}`}>{on ? detail : 'no'}</span>
      </dd>
    </>
  );
}

export function Water({ device, fmt, alerts, reloadKey }: { device: SiteDevice; fmt: PointFormat; alerts: readonly Alert[]; reloadKey: number }) {
  const { series, error } = useDaySeries(device, 'flow-rate', reloadKey);
  const firstToday = useFirstTotalToday(device, reloadKey);
  const latest = valueOf(device, 'total-volume');
  const used = firstToday === null ? null : todaysConsumption(firstToday, latest ?? null);
  const mine = alerts.filter((a) => a.gateway === device.gateway && a.device === device.device);
  const leak = mine.find((a) => /leak|burst/i.test(a.rule));
  const temp = fmt.num(device, 'water-temp');
  const freeze = mine.find((a) => /freeze/i.test(a.rule));
  const freezing = freeze !== undefined || (temp !== null && temp <= 2);
  return (
    <DeviceCard device={device} alarm={leak !== undefined || freezing}>
      <dl class="kv">
        <dt>Flow now</dt>
        <dd>{fmt.text(device, 'flow-rate')}</dd>
        <dt>Used today</dt>
        <dd>{used === null ? '—' : formatValue(used, { unit: 'm³' })}</dd>
        <dt>Total</dt>
        <dd>{fmt.text(device, 'total-volume')}</dd>
        <dt>Water temperature</dt>
        <dd>{fmt.text(device, 'water-temp')}</dd>
        <Indicator label="Leak" on={leak !== undefined} detail={leak === undefined ? '' : `yes — ${leak.message}`} />
        <Indicator label="Freeze risk" on={freezing} detail={freeze?.message ?? `yes — ${fmt.text(device, 'water-temp')}`} />
      </dl>
      <figure class="chart">
        <figcaption>Flow today (m³/h)</figcaption>
        {error !== null ? <p role="alert">Could not load the flow: {error}</p> : series === null ? <p>Loading…</p> : series.xs.length === 0 ? <p>No readings today.</p> : <LineChart data={series} xFrom={localMidnight(Date.now())} label="Flow" unit="m³/h" height={160} />}
      </figure>
    </DeviceCard>
  );
}
