import type { GatewayConfigSync } from '../store/store-read-model.js';
import type { Device, Gateway, StoredHealth } from '../store/store-types.js';
import { DeviceHealthIndex, isDeviceDown } from './device-health.js';

/** GET /gateways `summary`: what a fleet list shows per gateway without a request per gateway. */
export interface GatewaySummary {
  /** Devices in the inventory of this gateway. */
  devices: number;
  /** Of those, down as on the overview (device-health.ts isDeviceDown). */
  devicesDown: number;
  /** From the gateway's newest health report; null without one. */
  health: {
    at: number; outboxDepth: number; outboxBytes: number; outboxMaxBytes: number; dropped: number;
    /**
     * Ids the report says offline, sorted; unlike devicesDown, devices the gateway polls without
     * being registered count, and an offline gateway's devices are not all listed (its STATUS
     * already says so): what `fleet status` shows an engineer as DEVICES DOWN.
     */
    devicesOffline: string[];
  } | null;
  config: { desiredVersion: number | null; reportedVersion: number; inSync: boolean | null };
}

/** null while no desired config was ever stored: the gateway runs its local gateway.yaml by choice. */
export function isConfigInSync(desiredVersion: number | null, reportedVersion: number): boolean | null {
  return desiredVersion === null ? null : reportedVersion === desiredVersion;
}

/** One read each of the inventory, the latest health reports and the config sync, for the listed gateways. */
export interface SummaryReads {
  gateways: readonly Gateway[];
  devices: readonly Device[];
  reports: readonly StoredHealth[];
  configs: readonly GatewayConfigSync[];
}

/** Summaries by gateway id. */
export function gatewaySummaries({ gateways, devices, reports, configs }: SummaryReads): Map<string, GatewaySummary> {
  const index = new DeviceHealthIndex(reports);
  const status = new Map(gateways.map((g) => [g.id, g.status]));
  const byId = new Map<string, GatewaySummary>(gateways.map((g) => [g.id, {
    devices: 0, devicesDown: 0, health: null,
    // A gateway created between the reads has no config row yet: what listGateways says it runs.
    config: { desiredVersion: null, reportedVersion: g.configVersion ?? 0, inSync: null },
  }]));
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
      devicesOffline: health.devices.filter((d) => d.state === 'offline').map((d) => d.id).sort(),
    };
  }
  for (const { gateway, desiredVersion, reported } of configs) {
    const s = byId.get(gateway);
    if (s) s.config = { desiredVersion, reportedVersion: reported.version, inSync: isConfigInSync(desiredVersion, reported.version) };
  }
  return byId;
}
