// A device without a known family: its latest values as a plain list.
import { Fragment } from 'preact';
import type { Alert, SiteDevice } from '../../api/types.js';
import { DeviceCard } from './device-card.js';
import type { PointFormat } from './point-format.js';

export function OtherDevice({ device, fmt, alerts }: { device: SiteDevice; fmt: PointFormat; alerts: readonly Alert[] }) {
  return (
    <DeviceCard device={device} alerts={alerts}>
      <dl class="kv">
        {device.values.slice(0, 12).map((v) => (
          <Fragment key={v.point}>
            <dt>{fmt.name(device, v.point)}</dt>
            <dd>{fmt.text(device, v.point)}</dd>
          </Fragment>
        ))}
      </dl>
    </DeviceCard>
  );
}
