import type { Severity } from '@edgefleet/protocol';
import type { AlertKey, GatewayStatusValue } from '../store/store-types.js';

/** Alerts about a whole gateway carry this device id. */
export const GATEWAY_DEVICE = '-';
export const RULE_GATEWAY_SILENT = 'gateway-silent';
export const RULE_STALE_DATA = 'stale-data';

export interface ServerRulesConfig {
  /** The interval at which gateways send health. */
  readonly healthIntervalMs: number;
  /** Silent after this many missed health intervals (K). */
  readonly silentAfterIntervals: number;
  /** A device with no telemetry for this long is stale; absent: the rule is off. */
  readonly staleDataMs?: number;
}

export const DEFAULT_SERVER_RULES: ServerRulesConfig = { healthIntervalMs: 60_000, silentAfterIntervals: 3, staleDataMs: 15 * 60_000 };

export interface GatewayState {
  readonly id: string;
  readonly status: GatewayStatusValue;
  /** Last time the gateway was seen online (status or health), null: never. */
  readonly lastSeenAt: number | null;
  readonly lastHealthAt: number | null;
}

export interface DeviceState {
  readonly gateway: string;
  readonly device: string;
  /** Newest telemetry timestamp, null: none yet. */
  readonly lastTelemetryAt: number | null;
}

export interface ServerRulesState {
  readonly config: ServerRulesConfig;
  readonly gateways: readonly GatewayState[];
  readonly devices: readonly DeviceState[];
}

export interface ServerCondition {
  readonly key: AlertKey;
  readonly severity: Severity;
  readonly message: string;
}

/**
 * The server-side conditions active at `now`. The caller raises each and resolves every open
 * alert of these rules that is no longer listed. A gateway that never reported is not judged
 * (nothing to compare against); devices of a silent gateway are not also reported stale.
 */
export function evaluateServerRules(state: ServerRulesState, now: number): ServerCondition[] {
  const { config } = state;
  const silentMs = config.healthIntervalMs * config.silentAfterIntervals;
  const silent = new Set<string>();
  const out: ServerCondition[] = [];
  for (const gw of state.gateways) {
    const last = Math.max(gw.lastSeenAt ?? -Infinity, gw.lastHealthAt ?? -Infinity);
    const quiet = Number.isFinite(last) && now - last > silentMs;
    if (gw.status !== 'offline' && !quiet) continue;
    silent.add(gw.id);
    const why = gw.status === 'offline' ? 'reported offline' : `no health for ${Math.round((now - last) / 1000)} s`;
    out.push({ key: { gateway: gw.id, device: GATEWAY_DEVICE, rule: RULE_GATEWAY_SILENT }, severity: 'major', message: `Gateway silent: ${why}` });
  }
  const staleMs = config.staleDataMs;
  if (staleMs === undefined) return out;
  for (const d of state.devices) {
    if (silent.has(d.gateway) || d.lastTelemetryAt === null || now - d.lastTelemetryAt <= staleMs) continue;
    const minutes = Math.round((now - d.lastTelemetryAt) / 60_000);
    out.push({ key: { gateway: d.gateway, device: d.device, rule: RULE_STALE_DATA }, severity: 'minor', message: `No data for ${minutes} min` });
  }
  return out;
}
