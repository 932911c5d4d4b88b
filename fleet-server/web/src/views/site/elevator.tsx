// An elevator (family `elevator`, e.g. liftronic-lmi-200): floor, direction, doors, mode,
// fault (the code, else an open alert: lib/lift-fault.ts); the safety and alarm inputs that are
// active listed in red.
import type { Alert, SiteDevice } from '../../api/types.js';
import { liftFault } from '../../lib/lift-fault.js';
import { DeviceCard } from './device-card.js';
import type { PointFormat } from './point-format.js';

const ALARM_POINTS = ['alarm-button', 'safety-circuit-open', 'door-lock-open', 'power-failure', 'overtravel-top', 'overtravel-bottom', 'overspeed'];

/** The door-lock circuit is open whenever a door is; only with the doors closed is it a fault (as the profile's rule). */
function isAlarm(fmt: PointFormat, device: SiteDevice, point: string): boolean {
  if (fmt.bool(device, point) !== true) return false;
  return point !== 'door-lock-open' || fmt.label(device, 'door-state') === 'closed';
}

export function Elevator({ device, fmt, alerts }: { device: SiteDevice; fmt: PointFormat; alerts: readonly Alert[] }) {
  const active = ALARM_POINTS.filter((p) => isAlarm(fmt, device, p));
  const fault = liftFault(fmt.label(device, 'fault-code'), fmt.text(device, 'fault-code'), alerts);
  const doorFault = fmt.label(device, 'door-state') === 'fault';
  return (
    <DeviceCard device={device} alerts={alerts} alarm={active.length > 0 || fault.alarm}>
      <dl class="kv">
        <dt>Floor</dt>
        <dd>{fmt.num(device, 'floor') ?? '—'}</dd>
        <dt>Direction</dt>
        <dd>{fmt.text(device, 'direction')}</dd>
        <dt>Doors</dt>
        <dd class={doorFault ? 'alarm' : ''}>{fmt.text(device, 'door-state')}</dd>
        <dt>Mode</dt>
        <dd>{fmt.text(device, 'mode')}</dd>
        <dt>Fault</dt>
        <dd class={fault.alarm ? 'alarm' : ''}>
          {fault.text}
          {fault.fromAlert && <span class="note"> (open alert)</span>}
        </dd>
      </dl>
      {active.length > 0 && (
        <ul class="alarm-list" aria-label="Active alarms">
          {active.map((p) => (
            <li key={p}>{fmt.name(device, p)}</li>
          ))}
        </ul>
      )}
    </DeviceCard>
  );
}
