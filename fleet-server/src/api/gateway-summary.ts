import type { Device, Gateway, StoredHealth } from '../store/store-types.js';
import { DeviceHealthIndex, isDeviceDown } from './device-health.js';

/** GET /gateways `summary`: what a fleet list shows per gateway without a request per gateway. */
export interface GatewaySummary {
  /** Devices in the inventory of this gateway. */
  devices: number;
  /** Of those, down as on the overview (device-health.ts isDeviceDown). */
  devicesDown: number;
  /** From the gateway's newest health report; null without one. */
  health: { at: number; outboxDepth: number; outboxBytes: number; outboxMaxBytes: number; dropped: number } | null;
}

/** Summaries by gateway id, from one read of the inventory and one of the latest health reports. */
export function gatewaySummaries(gateways: readonly Gateway[], devices: readonly Device[], reports: readonly StoredHealth[]): Map<string, GatewaySummary> {
  const index = new DeviceHealthIndex(reports);
  const status = new Map(gateways.map((g) => [g.id, g.status]));
  const byId = new Map<string, GatewaySummary>(gateways.map((g) => [g.id, { devices: 0, devicesDown: 0, health: null }]));
  for (const d of devices) {
    const s = byId.get(d.gateway);
    if (!s) continue;
    s.devices += 1;
    if (isDeviceDown(status.get(d.gateway), index.of(d.gateway, d.device).state)) s.devicesDown += 1;
  }
  for (const { health, receivedAt } of reports) {
    const s = byId.get(health.gateway);
    if (!s) continue;
    const { outbox } = health;
    s.health = {
      at: receivedAt, outboxDepth: outbox.events.depth + outbox.telemetry.depth, outboxBytes: outbox.bytes,
      outboxMaxBytes: outbox.maxBytes, dropped: outbox.telemetry.dropped,
    };
  }
  return byId;
}
