import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/index.js';
import type { Store } from '../../src/store/index.js';
import { seedInventory } from './store-fixtures.js';

const isCode = (code: string) => (e: unknown): boolean => e instanceof StoreError && e.code === code;

/** Sites, contacts, gateways and devices; `store` is read per test (beforeEach replaces it). */
export function describeInventoryContract(store: () => Store): void {
  describe('inventory', () => {
    it('upserts and lists sites', async () => {
      await store().upsertSite({ id: 'b', name: 'B', timezone: 'UTC' });
      await store().upsertSite({ id: 'a', name: 'A', timezone: 'UTC' });
      await store().upsertSite({ id: 'b', name: 'B renamed', timezone: 'Europe/Paris' });
      expect(await store().listSites()).toEqual([
        { id: 'a', name: 'A', timezone: 'UTC' },
        { id: 'b', name: 'B renamed', timezone: 'Europe/Paris' },
      ]);
      expect(await store().getSite('zz')).toBeUndefined();
    });

    it('lists contacts in escalation order and refuses a phone that is not E.164', async () => {
      await seedInventory(store());
      const base = { site: 'site-a', role: 'technician' };
      await store().upsertContact({ ...base, id: 'c2', name: 'Bo', phone: '+4915100000002', escalationOrder: 2 });
      await store().upsertContact({ ...base, id: 'c1', name: 'Al', phone: '+4915100000001', escalationOrder: 1 });
      expect((await store().listContacts('site-a')).map((c) => c.id)).toEqual(['c1', 'c2']);
      expect(await store().getContact('c2')).toEqual({ ...base, id: 'c2', name: 'Bo', phone: '+4915100000002', escalationOrder: 2 });
      await expect(store().upsertContact({ ...base, id: 'c3', name: 'X', phone: '015100000003', escalationOrder: 1 }))
        .rejects.toSatisfy(isCode('STORE_INVALID'));
      await expect(store().upsertContact({ ...base, id: 'c3', name: 'X', phone: '+4915100000003', escalationOrder: 0 }))
        .rejects.toSatisfy(isCode('STORE_INVALID'));
    });

    it('refuses a contact or gateway on an unknown site and a device on an unknown gateway', async () => {
      await expect(store().upsertContact({ id: 'c', site: 'nowhere', name: 'X', phone: '+15550100', role: 'r', escalationOrder: 1 }))
        .rejects.toSatisfy(isCode('STORE_INVALID'));
      await expect(store().upsertGateway({ id: 'g', site: 'nowhere', name: 'G', secretHash: 'h' }))
        .rejects.toSatisfy(isCode('STORE_INVALID'));
      await expect(store().upsertDevice({ gateway: 'nogw', device: 'd', profile: 'p', name: 'D', location: null }))
        .rejects.toSatisfy(isCode('STORE_INVALID'));
    });

    it('creates gateways as unknown and tracks status and last seen', async () => {
      await seedInventory(store());
      expect(await store().getGateway('gw-1')).toEqual({
        id: 'gw-1', site: 'site-a', name: 'Tower A lift room', secretHash: 'scrypt$abc',
        status: 'unknown', lastSeenAt: null, configVersion: null,
      });
      await store().setGatewayStatus('gw-1', 'online', 1_000);
      await store().setGatewayStatus('gw-1', 'offline', 2_000);
      // Offline keeps the time the gateway was last heard from.
      expect(await store().getGateway('gw-1')).toMatchObject({ status: 'offline', lastSeenAt: 1_000 });
      // A re-enrolment (new secret) keeps the status.
      await store().upsertGateway({ id: 'gw-1', site: 'site-a', name: 'Renamed', secretHash: 'scrypt$new' });
      expect(await store().getGateway('gw-1')).toMatchObject({ name: 'Renamed', secretHash: 'scrypt$new', status: 'offline' });
    });

    it('lists gateways overall and per site', async () => {
      await seedInventory(store());
      await store().upsertSite({ id: 'site-b', name: 'B', timezone: 'UTC' });
      await store().upsertGateway({ id: 'gw-0', site: 'site-b', name: 'B', secretHash: 'h' });
      expect((await store().listGateways()).map((g) => g.id)).toEqual(['gw-0', 'gw-1']);
      expect((await store().listGateways('site-a')).map((g) => g.id)).toEqual(['gw-1']);
    });

    it('upserts, gets and lists devices per gateway', async () => {
      await seedInventory(store());
      await store().upsertDevice({ gateway: 'gw-1', device: 'car-0', profile: 'p', name: 'Car 0', location: null });
      await store().upsertDevice({ gateway: 'gw-1', device: 'car-1', profile: 'elevator-v2', name: 'Car 1', location: 'Shaft B' });
      expect((await store().listDevices('gw-1')).map((d) => d.device)).toEqual(['car-0', 'car-1']);
      expect(await store().getDevice('gw-1', 'car-1')).toEqual({
        gateway: 'gw-1', device: 'car-1', profile: 'elevator-v2', name: 'Car 1', location: 'Shaft B',
      });
      expect(await store().getDevice('gw-1', 'car-9')).toBeUndefined();
    });
  });
}
