// The gateway reads of the HTTP API (docs/api.md "Gateways and devices", "Commands", "Desired
// config") as the gateways views use them. Kept apart from types.ts, which the other views share.
import type { Command, Gateway } from './types.js';

/** GET /gateways `summary`: devices (down as on the overview), the newest health report's outbox, config sync. */
export interface GatewaySummary {
  devices: number;
  devicesDown: number;
  health: { at: number; outboxDepth: number; outboxBytes: number; outboxMaxBytes: number; dropped: number; devicesOffline: string[] } | null;
  /** inSync null: no desired config stored (the gateway runs its local gateway.yaml). */
  config: { desiredVersion: number | null; reportedVersion: number; inSync: boolean | null };
}

/** GET /gateways items: the gateway row. `configVersion` is the version it last reported running. */
export interface GatewayRow extends Gateway {
  configVersion: number | null;
  /** Absent from a server older than the summary. */
  summary?: GatewaySummary;
}

export interface ReportedConfig {
  /** 0: none from the server yet (it runs its local gateway.yaml). */
  version: number;
  appliedAt: number | null;
  rejected: { version: number; reason: string; ts: number } | null;
}

export interface DeviceHealth {
  id: string;
  bus: string;
  state: 'online' | 'offline' | 'unknown';
  polls: number;
  failures: number;
  lastGoodAt?: number;
}

export interface BusHealth {
  id: string;
  kind: 'rtu' | 'tcp';
  state: 'up' | 'down' | 'connecting';
}

/** The gateway's newest health report (protocol GatewayHealth) plus when the server got it. */
export interface GatewayHealth {
  receivedAt: number;
  ts: number;
  uptimeS: number;
  outbox: {
    events: { depth: number; oldestTs?: number };
    telemetry: { depth: number; oldestTs?: number; dropped: number };
    bytes: number;
    maxBytes: number;
  };
  buses: BusHealth[];
  devices: DeviceHealth[];
}

/** GET /gateways/:id (any role within its sites). */
export interface GatewayDetail extends GatewayRow {
  config: { desiredVersion: number | null; reported: ReportedConfig; inSync: boolean | null };
  health: GatewayHealth | null;
}

/** GET /gateways/:id/devices items. */
export interface GatewayDevice {
  gateway: string;
  device: string;
  profile: string | null;
  name: string;
  location: string | null;
  registered: boolean;
  lastReadingAt: number | null;
}

export type ConfigOutcome =
  | { state: 'applied'; version: number; appliedAt: number }
  | { state: 'rejected'; version: number; reason: string; ts: number }
  | { state: 'pending'; version: number };

/** GET /gateways/:id/config (admin and engineer). */
export interface GatewayConfig {
  gateway: string;
  desired: { version: number; createdAt: number; createdBy: string } | null;
  reported: ReportedConfig;
  outcome: ConfigOutcome | null;
}

/** GET /gateways/:id/commands items (admin and engineer): the command as stored. */
export interface CommandRecord extends Command {
  request: Command['request'] & { write?: { point: string; value: unknown } };
  createdAt: number;
  createdBy: string;
  completedAt: number | null;
}
