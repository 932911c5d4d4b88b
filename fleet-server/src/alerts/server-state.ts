import type { Store } from '../store/store.js';
import type { DeviceState, GatewayState, ServerRulesConfig, ServerRulesState } from './server-rules.js';

/** Reads what evaluateServerRules needs from the store: status, last health, newest telemetry per device. */
export async function collectServerState(store: Store, config: ServerRulesConfig): Promise<ServerRulesState> {
  const gateways: GatewayState[] = [];
  const devices: DeviceState[] = [];
  for (const gw of await store.listGateways()) {
    const health = await store.latestHealth(gw.id);
    gateways.push({ id: gw.id, status: gw.status, lastSeenAt: gw.lastSeenAt, lastHealthAt: health?.receivedAt ?? null });
    if (config.staleDataMs === undefined) continue;
    const newest = new Map<string, number>();
    for (const v of await store.latestValues(gw.id)) newest.set(v.device, Math.max(newest.get(v.device) ?? -Infinity, v.ts));
    for (const [device, ts] of newest) devices.push({ gateway: gw.id, device, lastTelemetryAt: ts });
  }
  return { config, gateways, devices };
}
