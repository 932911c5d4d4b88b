// A device without a known family: its latest values as a plain list.
import type { SiteDevice } from '../../api/types.js';
import { DeviceCard } from './device-card.js';
import type { PointFormat } from './point-format.js';

export function OtherDevice({ device, fmt }: { device: SiteDevice; fmt: PointFormat }) {
  return (
    <DeviceCard device={device}>
      <dl class="kv">
        {device.values.slice(0, 12).map((v) => (
          <>
            <dt key={`${v.point}-t`}>{fmt.name(device, v.point)}</dt>
            <dd key={`${v.point}-d`}>{fmt.text(device, v.point)}</dd>
          </>
        ))}
      </dl>
    </DeviceCard>
  );
}
