// The frame every device article shares: its name (the article's accessible name), where it
// is, whether it is reachable, and the "History" link to the device view.
import type { ComponentChildren } from 'preact';
import type { SiteDevice } from '../../api/types.js';
import { formatTime } from '../../lib/format.js';
import { href } from '../../lib/router.js';

export function deviceTitle(d: SiteDevice): string {
  return d.name ?? d.device;
}

export function isDown(d: SiteDevice): boolean {
  return d.gatewayStatus === 'offline' || d.state === 'offline';
}

export function DeviceCard({ device, alarm = false, children }: { device: SiteDevice; alarm?: boolean; children: ComponentChildren }) {
  const id = `dev-${device.gateway}-${device.device}`;
  const down = isDown(device);
  return (
    <article class={`device${down || alarm ? ' down' : ''}`} aria-labelledby={id}>
      <header>
        <h3 id={id}>{deviceTitle(device)}</h3>
        <a href={href.device(device.gateway, device.device)}>History</a>
      </header>
      <p class="muted">
        {device.location ?? device.device} · {device.gateway}
        {down && <span class="stale"> · not reachable{device.lastGoodAt !== null && ` since ${formatTime(device.lastGoodAt)}`}</span>}
      </p>
      {children}
    </article>
  );
}
