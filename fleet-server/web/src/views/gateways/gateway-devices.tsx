// The gateway page's devices: each linked to its device view, with the gateway's poll state
// (from its last health report) and the time of its newest reading (live).
import type { DeviceRow } from '../../lib/gateway-devices.js';
import { deviceStateText, devicesSummary } from '../../lib/gateway-devices.js';
import { formatTime } from '../../lib/format.js';
import { href } from '../../lib/router.js';

export function GatewayDevices({ gateway, rows, healthAt }: { gateway: string; rows: DeviceRow[]; healthAt: number | null }) {
  return (
    <section class="site-section" aria-labelledby="gw-devices-title">
      <h2 id="gw-devices-title">Devices</h2>
      <p class="summary">
        {devicesSummary(rows)}. State: the gateway's poll state {healthAt === null ? '(no health report yet)' : `in its health report of ${formatTime(healthAt)}`}; last
        reading: live.
      </p>
      {rows.length > 0 && (
        <table class="gw-devices" aria-labelledby="gw-devices-title">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">State</th>
              <th scope="col">Last reading</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.device} class={r.state === 'offline' ? 'down' : ''}>
                <th scope="row">
                  <a href={href.device(gateway, r.device)}>{r.name}</a>
                  {!r.registered && <span class="muted"> (not registered)</span>}
                </th>
                <td>
                  <span class={`dev-state dev-state-${r.state ?? 'none'}`}>{deviceStateText(r.state)}</span>
                </td>
                <td>{r.lastReadingAt === null ? 'none yet' : formatTime(r.lastReadingAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
