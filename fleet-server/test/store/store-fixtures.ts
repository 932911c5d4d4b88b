import type { GatewayEvent, Reading, WireValue } from '@edgefleet/protocol';
import type { Store } from '../../src/store/index.js';

export type ClosableStore = Store & { close(): Promise<void> };

/** A reading with the given seq; value and ts default to values derived from seq so rows differ. */
export function reading(seq: number, over: Partial<Reading> = {}): Reading {
  return { seq, device: 'car-1', point: 'floor', ts: 1_000 * seq, value: seq as WireValue, quality: 'good', ...over };
}

export function alarm(seq: number, state: 'raise' | 'clear' = 'raise'): GatewayEvent {
  return {
    seq, ts: 5_000 + seq, type: 'alarm', device: 'car-1', rule: 'entrapment', state,
    severity: 'critical', message: 'passenger trapped', values: { door: false },
  };
}

/** A site, a gateway on it and one device: the inventory most tests need. */
export async function seedInventory(store: Store): Promise<void> {
  await store.upsertSite({ id: 'site-a', name: 'Tower A', timezone: 'Europe/Berlin' });
  await store.upsertGateway({ id: 'gw-1', site: 'site-a', name: 'Tower A lift room', secretHash: 'scrypt$abc' });
  await store.upsertDevice({ gateway: 'gw-1', device: 'car-1', profile: 'elevator-generic', name: 'Car 1', location: 'Shaft A' });
}
