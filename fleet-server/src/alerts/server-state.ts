import type { Store } from '../store/store.js';
import type { LatestValue } from '../store/store-types.js';
import type { DeviceState, GatewayState, ServerRulesConfig, ServerRulesState } from './server-rules.js';

/**
 * Reads what evaluateServerRules needs from the store: status, last health, newest telemetry per
 * device. The latest values are read once per gateway (when the stale-data rule or `withLatest`
 * needs them) and returned, so the threshold rules of the same tick do not read them again.
 */
export async function collectServerState(
  store: Store, config: ServerRulesConfig, withLatest = false,
): Promise<{ state: ServerRulesState; latest: Map<string, LatestValue[]> }> {
  const gateways: GatewayState[] = [];
  const devices: DeviceState[] = [];
  const latest = new Map<string, LatestValue[]>();
  for (const gw of await store.listGateways()) {
    const health = await store.latestHealth(gw.id);
    gateways.push({ id: gw.id, status: gw.status, lastSeenAt: gw.lastSeenAt, lastHealthAt: health?.receivedAt ?? null });
    if (config.staleDataMs === undefined && !withLatest) continue;
    const values = await store.latestValues(gw.id);
    latest.set(gw.id, values);
    if (config.staleDataMs === undefined) continue;
    const newest = new Map<string, number>();
    for (const v of values) newest.set(v.device, Math.max(newest.get(v.device) ?? -Infinity, v.ts));
    for (const [device, ts] of newest) devices.push({ gateway: gw.id, device, lastTelemetryAt: ts });
  }
  return { state: { config, gateways, devices }, latest };
}
