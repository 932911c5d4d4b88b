// A gateway's devices as its page lists them: the inventory (GET /gateways/:id/devices) joined
// with the gateway's last health report (each device's poll state), newest readings applied
// from live `values` events. No DOM here, so it is unit-tested in node.
import type { DeviceHealth, GatewayDevice, GatewayHealth } from '../api/gateway-types.js';

export interface DeviceRow {
  device: string;
  name: string;
  /** The gateway's poll state; null when its health report does not name the device (not polled, or no report yet). */
  state: DeviceHealth['state'] | null;
  lastReadingAt: number | null;
  registered: boolean;
}

/**
 * Every device of either source: the inventory's, and a device the health report names that the
 * inventory does not have yet (so a device the gateway polls is never hidden). By name.
 */
export function deviceRows(devices: readonly GatewayDevice[], health: GatewayHealth | null): DeviceRow[] {
  const polled = new Map((health?.devices ?? []).map((d) => [d.id, d]));
  const rows: DeviceRow[] = devices.map((d) => ({
    device: d.device,
    name: d.name,
    state: polled.get(d.device)?.state ?? null,
    lastReadingAt: d.lastReadingAt,
    registered: d.registered,
  }));
  const listed = new Set(devices.map((d) => d.device));
  for (const h of polled.values()) {
    if (!listed.has(h.id)) rows.push({ device: h.id, name: h.id, state: h.state, lastReadingAt: h.lastGoodAt ?? null, registered: false });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name) || a.device.localeCompare(b.device));
}

/** "5 devices, 1 down" (down: the gateway reports it offline). */
export function devicesSummary(rows: readonly DeviceRow[]): string {
  const down = rows.filter((r) => r.state === 'offline').length;
  const total = `${rows.length} ${rows.length === 1 ? 'device' : 'devices'}`;
  return down > 0 ? `${total}, ${down} down` : total;
}

export function deviceStateText(state: DeviceRow['state']): string {
  return state === null ? 'not in the last health report' : state;
}

/** A `values` event of one device: its last reading moves forward (never back). Same array when nothing changed. */
export function applyDeviceReadings(rows: DeviceRow[], device: string, ts: readonly number[]): DeviceRow[] {
  const newest = Math.max(...ts);
  const i = rows.findIndex((r) => r.device === device);
  const row = rows[i];
  if (row === undefined || !Number.isFinite(newest) || (row.lastReadingAt !== null && row.lastReadingAt >= newest)) return rows;
  const next = [...rows];
  next[i] = { ...row, lastReadingAt: newest };
  return next;
}

/** The outbox backlog in words: "12 events, 340 readings waiting (3% of 64 MiB)", or "empty". */
export function outboxText(outbox: GatewayHealth['outbox']): string {
  const waiting = outbox.events.depth + outbox.telemetry.depth;
  const share = outbox.maxBytes > 0 ? ` (${Math.round((100 * outbox.bytes) / outbox.maxBytes)}% of ${mib(outbox.maxBytes)})` : '';
  if (waiting === 0) return `empty${share}`;
  return `${outbox.events.depth} ${outbox.events.depth === 1 ? 'event' : 'events'}, ${outbox.telemetry.depth} ${outbox.telemetry.depth === 1 ? 'reading' : 'readings'} waiting${share}`;
}

function mib(bytes: number): string {
  const m = bytes / 1_048_576;
  return m >= 1 ? `${Number(m.toFixed(m >= 10 ? 0 : 1))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
