// The frame every device article shares: its name (the article's accessible name), where it
// is, whether it is reachable, its open alerts (linked to the alert board) and the "History"
// link to the device view.
import type { ComponentChildren } from 'preact';
import type { Alert, SiteDevice } from '../../api/types.js';
import { formatTime } from '../../lib/format.js';
import { href } from '../../lib/router.js';

export function deviceTitle(d: SiteDevice): string {
  return d.name ?? d.device;
}

export function isDown(d: SiteDevice): boolean {
  return d.gatewayStatus === 'offline' || d.state === 'offline';
}

/** Critical and major alerts mark the card like a fault; minor and info ones are only listed. */
export function isAlarming(alerts: readonly Alert[]): boolean {
  return alerts.some((a) => a.severity === 'critical' || a.severity === 'major');
}

export function DeviceCard({ device, alerts, alarm = false, children }: { device: SiteDevice; alerts: readonly Alert[]; alarm?: boolean; children: ComponentChildren }) {
  const id = `dev-${device.gateway}-${device.device}`;
  const down = isDown(device);
  return (
    <article class={`device${down || alarm || isAlarming(alerts) ? ' down' : ''}`} aria-labelledby={id}>
      <header>
        <h3 id={id}>{deviceTitle(device)}</h3>
        <a href={href.device(device.gateway, device.device)} aria-describedby={id}>
          History
        </a>
      </header>
      <p class="muted">
        {device.location ?? device.device} · {device.gateway}
        {down && <span class="stale"> · not reachable{device.lastGoodAt !== null && ` since ${formatTime(device.lastGoodAt)}`}</span>}
      </p>
      {alerts.length > 0 && (
        <ul class="device-alerts" aria-label={`Alerts on ${deviceTitle(device)}`}>
          {alerts.map((a) => (
            <li key={a.id}>
              <span class={`badge sev-${a.severity}`}>{a.severity}</span>{' '}
              <a href={href.alerts}>
                {a.message}
                <span class="sr-only"> (on the alert board)</span>
              </a>
              {a.state === 'acknowledged' && <span class="muted"> (acknowledged)</span>}
            </li>
          ))}
        </ul>
      )}
      {children}
    </article>
  );
}
