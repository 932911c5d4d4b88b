import type { GatewayHealth } from '@edgefleet/protocol';
import type { Store } from '../store/store.js';
import type { Device } from '../store/store-types.js';

/**
 * Keeps the device inventory in step with what a gateway reports polling: devices configured in
 * its own gateway.yaml reach the API (point names, car parks) without anyone registering them.
 * Only adds and updates: a device missing from one report may be briefly disabled, and its
 * history stays addressable; removal is an explicit API call. Reports from gateways too old to
 * name a device's profile change nothing.
 */
export async function learnDevices(store: Pick<Store, 'listDevices' | 'upsertDevice'>, health: GatewayHealth): Promise<number> {
  const known = new Map((await store.listDevices(health.gateway)).map((d) => [d.device, d]));
  let changed = 0;
  for (const h of health.devices) {
    if (h.profile === undefined) continue;
    const next: Device = { gateway: health.gateway, device: h.id, profile: h.profile, name: h.name ?? h.id, location: h.location ?? null };
    const before = known.get(h.id);
    if (before && before.profile === next.profile && before.name === next.name && before.location === next.location) continue;
    await store.upsertDevice(next);
    changed += 1;
  }
  return changed;
}
