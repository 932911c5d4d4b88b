// The gateways list: status words, the order problems come first in, grouping by site, and a
// live `gateway` event applied. No DOM here, so it is unit-tested in node.
import type { GatewayRow, GatewaySummary } from '../api/gateway-types.js';
import type { Gateway, GatewayEvent, Site } from '../api/types.js';

/** "unknown" is a gateway that never connected: saying so is what a person needs to act on. */
export function gatewayStatusText(status: Gateway['status']): string {
  return status === 'unknown' ? 'never connected' : status;
}

const STATUS_ORDER: Record<Gateway['status'], number> = { offline: 0, unknown: 1, online: 2 };

/** Offline first, then never connected, then online; by name (then id) within each. */
export function compareGateways(a: GatewayRow, b: GatewayRow): number {
  return STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}

export interface SiteGroup {
  site: string;
  name: string;
  gateways: GatewayRow[];
  offline: number;
}

/**
 * One group per site that has gateways, by site name; a gateway of a site missing from `sites`
 * (created after they were read) is grouped under its id rather than dropped.
 */
export function groupBySite(gateways: readonly GatewayRow[], sites: readonly Pick<Site, 'id' | 'name'>[]): SiteGroup[] {
  const names = new Map(sites.map((s) => [s.id, s.name]));
  const groups = new Map<string, SiteGroup>();
  for (const g of gateways) {
    let group = groups.get(g.site);
    if (group === undefined) {
      group = { site: g.site, name: names.get(g.site) ?? g.site, gateways: [], offline: 0 };
      groups.set(g.site, group);
    }
    group.gateways.push(g);
    if (g.status === 'offline') group.offline++;
  }
  for (const group of groups.values()) group.gateways.sort(compareGateways);
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name) || a.site.localeCompare(b.site));
}

/** "3 gateways, 1 offline" for a site's heading. */
export function groupSummary(group: Pick<SiteGroup, 'gateways' | 'offline'>): string {
  const n = group.gateways.length;
  const total = `${n} ${n === 1 ? 'gateway' : 'gateways'}`;
  return group.offline > 0 ? `${total}, ${group.offline} offline` : total;
}

/**
 * A gateway's status change. The last event wins: events arrive (and are replayed) in the
 * server's order, and each carries the state the server stored. `lastSeenAt` follows the
 * server's rule: an online report moves it forward, an offline one keeps the last time the
 * gateway was heard from. Returns the same object when nothing changed.
 */
export function applyGatewayStatus<T extends Gateway>(gateway: T, e: GatewayEvent): T {
  if (gateway.id !== e.gateway) return gateway;
  const lastSeenAt = e.status === 'online' ? Math.max(gateway.lastSeenAt ?? 0, e.at) : gateway.lastSeenAt;
  if (gateway.status === e.status && gateway.lastSeenAt === lastSeenAt) return gateway;
  return { ...gateway, status: e.status, lastSeenAt };
}

export function applyGatewayEvent(list: readonly GatewayRow[], e: GatewayEvent): GatewayRow[] {
  return list.map((g) => applyGatewayStatus(g, e));
}

/**
 * When a gateway was last heard from: the newer of its last online report and (on the gateway
 * page) its last health report; null when never.
 */
export function lastHeardAt(gateway: Pick<Gateway, 'lastSeenAt'>, healthAt: number | null = null): number | null {
  if (gateway.lastSeenAt === null) return healthAt;
  return healthAt === null ? gateway.lastSeenAt : Math.max(gateway.lastSeenAt, healthAt);
}

/** The config version a gateway reported running: 0 is its local gateway.yaml; null, nothing reported yet. */
export function runningConfigText(version: number | null): string {
  if (version === null) return 'not reported yet';
  return version === 0 ? 'local gateway.yaml' : `version ${version}`;
}

/** After the running version on the list: " (version 5 pending)" while the gateway has not applied the desired config; else nothing. */
export function pendingConfigText(config: GatewaySummary['config'] | undefined): string {
  return config?.inSync === false && config.desiredVersion !== null ? ` (version ${config.desiredVersion} pending)` : '';
}

/** The list's devices line: "5 devices, 1 down", "5 devices", "no devices". */
export function summaryDevicesText(s: Pick<GatewaySummary, 'devices' | 'devicesDown'>): string {
  if (s.devices === 0) return 'no devices';
  const devices = `${s.devices} ${s.devices === 1 ? 'device' : 'devices'}`;
  return s.devicesDown > 0 ? `${devices}, ${s.devicesDown} down` : devices;
}

/** The list's outbox line from the newest health report: "42 waiting (9% full)", "empty", "no report yet". */
export function summaryOutboxText(health: GatewaySummary['health']): string {
  if (health === null) return 'no report yet';
  const full = health.outboxMaxBytes > 0 ? ` (${Math.round((100 * health.outboxBytes) / health.outboxMaxBytes)}% full)` : '';
  const dropped = health.dropped > 0 ? `, ${health.dropped} readings dropped` : '';
  return health.outboxDepth === 0 ? `empty${dropped}` : `${health.outboxDepth} waiting${full}${dropped}`;
}
