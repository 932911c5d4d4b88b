import type { GatewayHealth } from '@edgefleet/protocol';

/** A gateway's health report naming only what the dashboard reads: its devices' states. */
export function healthReport(gateway: string, ts: number, devices: GatewayHealth['devices']): GatewayHealth {
  return {
    v: 1, gateway, bootId: 'boot-1', seq: 1, ts, uptimeS: 600,
    outbox: { events: { depth: 0 }, telemetry: { depth: 0, dropped: 0 }, bytes: 0, maxBytes: 1_000_000 },
    buses: [], devices, clock: { source: 'ntp' }, config: { version: 0 },
  };
}

/** A scrypt-shaped hash for gateways added straight to the store (they never connect). */
export const UNUSED_SECRET_HASH = 'scrypt$1024$8$1$c2FsdA$aGFzaA';
