// A car-park zone (family `parking`, parksense-pgc-128): the bays as a grid from the
// bay-occupied / bay-sensor-fault bitfields, the free count, and occupancy over the day.
import type { Alert, SiteDevice } from '../../api/types.js';
import { decodeBays, freeBays } from '../../lib/bays.js';
import { valueOf } from '../../lib/device-values.js';
import { todayIn } from '../../lib/zoned-day.js';
import { DayChart } from './day-chart.js';
import { useDaySeries } from './day-series.js';
import { DeviceCard, isDown } from './device-card.js';
import type { PointFormat } from './point-format.js';

/** `timeZone`: the site's; "today" is the site's day. */
export function CarPark({ device, fmt, alerts, reloadKey, timeZone }: { device: SiteDevice; fmt: PointFormat; alerts: readonly Alert[]; reloadKey: number; timeZone: string }) {
  const bays = decodeBays(valueOf(device, 'bay-occupied')?.value, valueOf(device, 'bay-sensor-fault')?.value, valueOf(device, 'bays-configured')?.value ?? undefined);
  const count = fmt.num(device, 'free-count');
  const free = count ?? (bays.length > 0 ? freeBays(bays) : null);
  const faulty = bays.filter((b) => b.fault).length;
  const day = useDaySeries(device, 'occupied-count', reloadKey, timeZone);
  return (
    <DeviceCard device={device} alerts={alerts}>
      <p>
        <span class="big">{free ?? '—'}</span> free{bays.length > 0 && ` of ${bays.length} bays`}
        {faulty > 0 && <span class="stale"> · {faulty} sensors faulty (their bays read free)</span>}
      </p>
      {bays.length > 0 && (
        <>
          <ul class="legend" aria-hidden="true">
            <li>
              <span class="bay-free" />
              free
            </li>
            <li>
              <span class="bay-occupied" />
              occupied
            </li>
            <li>
              <span class="bay-fault" />
              sensor fault
            </li>
          </ul>
          <ul class="bays" aria-label="Bays">
            {bays.map((b) => {
              const state = b.fault ? 'sensor fault' : b.occupied === null ? 'unknown' : b.occupied ? 'occupied' : 'free';
              const cls = b.fault ? 'fault' : b.occupied === null ? 'unknown' : b.occupied ? 'occupied' : 'free';
              return (
                <li key={b.number} class={`bay bay-${cls}`} title={`Bay ${b.number}: ${state}`}>
                  {b.number}
                  <span class="sr-only"> {state}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {/* The count is reported on change, so it holds until now, unless the controller is not reachable. */}
      <DayChart caption={`Occupied bays ${todayIn(timeZone)}`} what="the occupancy" day={day} label="Occupied bays" unit="bays" stepped hold={!isDown(device)} />
    </DeviceCard>
  );
}
