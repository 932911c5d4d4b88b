// A water meter (family `water-meter`, aquametrix-um50): today's flow chart, today's
// consumption from the totaliser, and leak and freeze indicators.
import { rawReadings } from '../../api/telemetry.js';
import type { Alert, SiteDevice } from '../../api/types.js';
import { todaysConsumption, type TotalReading } from '../../lib/consumption.js';
import { valueOf } from '../../lib/device-values.js';
import { formatValue } from '../../lib/format.js';
import { todayIn } from '../../lib/zoned-day.js';
import { DayChart } from './day-chart.js';
import { useDaySeries } from './day-series.js';
import { DeviceCard } from './device-card.js';
import type { PointFormat } from './point-format.js';
import { useLoad } from '../use-load.js';

/** The first good totaliser readings since the site's midnight `from` (raw readings come oldest first); none on an error. */
function useFirstTotalToday(device: SiteDevice, from: number, reloadKey: number): TotalReading[] | null {
  const loaded = useLoad(
    () => rawReadings(device.gateway, device.device, 'total-volume', from, Date.now() + 60_000, 20).then((t) => t.items, (): TotalReading[] => []),
    [device.gateway, device.device, from, reloadKey],
  );
  return loaded.data;
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

/** `timeZone`: the site's; "today" (the chart and the consumption) is the site's day. */
export function Water({ device, fmt, alerts, reloadKey, timeZone }: { device: SiteDevice; fmt: PointFormat; alerts: readonly Alert[]; reloadKey: number; timeZone: string }) {
  const day = useDaySeries(device, 'flow-rate', reloadKey, timeZone);
  const today = todayIn(timeZone);
  const firstToday = useFirstTotalToday(device, day.window.from, reloadKey);
  const latest = valueOf(device, 'total-volume');
  const used = firstToday === null ? null : todaysConsumption(firstToday, latest ?? null);
  const leak = alerts.find((a) => /leak|burst/i.test(a.rule));
  const temp = fmt.num(device, 'water-temp');
  const freeze = alerts.find((a) => /freeze/i.test(a.rule));
  const freezing = freeze !== undefined || (temp !== null && temp <= 2);
  return (
    <DeviceCard device={device} alerts={alerts} alarm={leak !== undefined || freezing}>
      <dl class="kv">
        <dt>Flow now</dt>
        <dd>{fmt.text(device, 'flow-rate')}</dd>
        <dt>Used {today}</dt>
        <dd>{used === null ? '—' : formatValue(used, { unit: 'm³' })}</dd>
        <dt>Total</dt>
        <dd>{fmt.text(device, 'total-volume')}</dd>
        <dt>Water temperature</dt>
        <dd>{fmt.text(device, 'water-temp')}</dd>
        <Indicator label="Leak" on={leak !== undefined} detail={leak === undefined ? '' : `yes — ${leak.message}`} />
        <Indicator label="Freeze risk" on={freezing} detail={freeze?.message ?? `yes — ${fmt.text(device, 'water-temp')}`} />
      </dl>
      <DayChart caption={`Flow (m³/h) ${today}`} what="the flow" day={day} label="Flow" unit="m³/h" />
    </DeviceCard>
  );
}
