// #/gateways/:id: one gateway — status and last seen, its site, its last health report (outbox
// backlog, buses), its devices with their health, and for admins and engineers its desired
// config outcome and recent commands (managers' API refuses those, so they are not asked for).
// Live: `gateway` events change the status, `values` events move a device's last reading.
import { api } from '../../api/client.js';
import type { GatewayDetail, GatewayDevice, GatewayHealth } from '../../api/gateway-types.js';
import type { LiveEvent, Me, Site } from '../../api/types.js';
import { formatTime } from '../../lib/format.js';
import { applyDeviceReadings, deviceRows, outboxText, type DeviceRow } from '../../lib/gateway-devices.js';
import { applyGatewayStatus, gatewayStatusText, lastHeardAt, runningConfigText } from '../../lib/gateways.js';
import { href } from '../../lib/router.js';
import { useReconnect } from '../../live/hooks.js';
import { useLoad } from '../use-load.js';
import { GatewayCommands } from './gateway-commands.js';
import { GatewayConfigSection } from './gateway-config.js';
import { GatewayDevices } from './gateway-devices.js';
import { LastSeen } from './last-seen.js';

interface PageData {
  gateway: GatewayDetail;
  devices: DeviceRow[];
}

function isPageEvent(gateway: string, e: LiveEvent): boolean {
  return (e.type === 'gateway' || e.type === 'values') && e.data.gateway === gateway;
}

function applyPageEvent(data: PageData, e: LiveEvent): PageData {
  if (e.type === 'gateway') {
    const next = applyGatewayStatus(data.gateway, e.data);
    return next === data.gateway ? data : { ...data, gateway: next };
  }
  if (e.type !== 'values') return data;
  const devices = applyDeviceReadings(data.devices, e.data.device, e.data.values.map((v) => v.ts));
  return devices === data.devices ? data : { ...data, devices };
}

export function GatewayView({ gateway, me }: { gateway: string; me: Me }) {
  const id = encodeURIComponent(gateway);
  const loaded = useLoad<PageData>(
    async () => {
      const [g, d] = await Promise.all([api<GatewayDetail>(`/gateways/${id}`), api<{ items: GatewayDevice[] }>(`/gateways/${id}/devices`)]);
      return { gateway: g, devices: deviceRows(d.items, g.health) };
    },
    [gateway],
    { accepts: (e) => isPageEvent(gateway, e), apply: applyPageEvent },
  );
  useReconnect(() => void loaded.reload());
  const data = loaded.data;
  if (data === null) {
    return (
      <>
        <h1>Gateway {gateway}</h1>
        {loaded.error !== null ? <p role="alert">Could not load gateway {gateway}: {loaded.error}</p> : <p role="status">Loading…</p>}
      </>
    );
  }
  const g = data.gateway;
  const engineer = me.user.role !== 'manager';
  return (
    <>
      <p class="crumbs">
        <a href={href.gateways}>Gateways</a> › {g.name}
      </p>
      <h1>{g.name}</h1>
      {loaded.error !== null && <p role="alert">Could not refresh the gateway: {loaded.error}</p>}
      <dl class="stats gateway-facts">
        <div class={g.status === 'offline' ? 'bad' : ''}>
          <dt>Status</dt>
          <dd>
            <span class={`gw-status gw-status-${g.status}`}>{gatewayStatusText(g.status)}</span>
          </dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>
            <LastSeen status={g.status} at={lastHeardAt(g, g.health?.receivedAt ?? null)} />
          </dd>
        </div>
        <div>
          <dt>Site</dt>
          <dd>
            <SiteLink site={g.site} />
          </dd>
        </div>
        {g.name !== g.id && (
          <div>
            <dt>Id</dt>
            <dd>{g.id}</dd>
          </div>
        )}
        <HealthFacts health={g.health} />
        {engineer && (
          <div>
            <dt>Config running</dt>
            <dd>{runningConfigText(g.configVersion)}</dd>
          </div>
        )}
      </dl>
      <GatewayDevices gateway={g.id} rows={data.devices} healthAt={g.health?.receivedAt ?? null} />
      {engineer && <GatewayConfigSection gateway={g.id} />}
      {engineer && <GatewayCommands gateway={g.id} />}
    </>
  );
}

function HealthFacts({ health }: { health: GatewayHealth | null }) {
  if (health === null) {
    return (
      <div>
        <dt>Health report</dt>
        <dd>none received yet</dd>
      </div>
    );
  }
  const backlog = health.outbox.events.depth + health.outbox.telemetry.depth > 0;
  return (
    <>
      <div>
        <dt>Health report</dt>
        <dd>of {formatTime(health.receivedAt)} (as loaded)</dd>
      </div>
      <div class={backlog ? 'warn' : ''}>
        <dt>Outbox backlog</dt>
        <dd>
          {outboxText(health.outbox)}
          {health.outbox.telemetry.dropped > 0 && <span class="unacked">{health.outbox.telemetry.dropped} readings dropped (outbox full or too old)</span>}
        </dd>
      </div>
      <div class={health.buses.some((b) => b.state !== 'up') ? 'bad' : ''}>
        <dt>Buses</dt>
        <dd>{health.buses.length === 0 ? 'none' : health.buses.map((b) => `${b.id} (${b.kind}) ${b.state}`).join(', ')}</dd>
      </div>
    </>
  );
}

/** The site's name once loaded (its id until then, or if the read fails), linked to the site view. */
function SiteLink({ site }: { site: string }) {
  const loaded = useLoad(() => api<Site>(`/sites/${encodeURIComponent(site)}`), [site]);
  return <a href={href.site(site)}>{loaded.data?.name ?? site}</a>;
}
