import { describe, expect, it } from 'vitest';
import { ManagedConfig, type GatewayHealth } from '@edgefleet/protocol';
import type { Store } from '../../src/store/index.js';

function health(gateway: string, devices: GatewayHealth['devices']): GatewayHealth {
  return {
    v: 1, gateway, bootId: 'boot-a', seq: 1, ts: 60_000, uptimeS: 60,
    outbox: { events: { depth: 0 }, telemetry: { depth: 0, dropped: 0 }, bytes: 0, maxBytes: 1_000_000 },
    buses: [], devices, clock: { source: 'ntp' }, config: { version: 1 },
  };
}

/** Two sites: north (gw-n1, gw-n2) and south (gw-s1), with devices on each gateway. */
async function seedSites(s: Store): Promise<void> {
  await s.upsertSite({ id: 'north', name: 'North', timezone: 'UTC' });
  await s.upsertSite({ id: 'south', name: 'South', timezone: 'UTC' });
  for (const [id, site] of [['gw-n1', 'north'], ['gw-n2', 'north'], ['gw-s1', 'south']] as const) {
    await s.upsertGateway({ id, site, name: id, secretHash: 'scrypt$abc' });
  }
  for (const [gateway, device] of [['gw-n2', 'b'], ['gw-n1', 'z'], ['gw-n1', 'a'], ['gw-s1', 'a']] as const) {
    await s.upsertDevice({ gateway, device, profile: 'p', name: device, location: null });
  }
}

/** The dashboard's whole-site reads; `store` is read per test (beforeEach replaces it). */
export function describeReadModelContract(store: () => Store): void {
  describe('dashboard read model', () => {
    it('lists the devices of the asked sites only, by gateway then device', async () => {
      await seedSites(store());
      const ids = (list: { gateway: string; device: string }[]) => list.map((d) => `${d.gateway}/${d.device}`);
      expect(ids(await store().listSiteDevices(['north']))).toEqual(['gw-n1/a', 'gw-n1/z', 'gw-n2/b']);
      expect(ids(await store().listSiteDevices(undefined))).toEqual(['gw-n1/a', 'gw-n1/z', 'gw-n2/b', 'gw-s1/a']);
      expect(await store().listSiteDevices([])).toEqual([]);
      expect(await store().listSiteDevices(['south'])).toEqual([{ gateway: 'gw-s1', device: 'a', profile: 'p', name: 'a', location: null }]);
    });

    it('lists the newest health report of each gateway of the asked sites', async () => {
      await seedSites(store());
      const north = health('gw-n1', [{ id: 'a', bus: 'rs485', state: 'offline', polls: 3, failures: 3, lastGoodAt: 50_000 }]);
      await store().recordHealth(north, 61_000);
      await store().recordHealth(health('gw-s1', []), 62_000);
      expect(await store().listLatestHealth(['north'])).toEqual([{ health: north, receivedAt: 61_000 }]);
      expect((await store().listLatestHealth(undefined)).map((h) => h.health.gateway)).toEqual(['gw-n1', 'gw-s1']);
      expect(await store().listLatestHealth([])).toEqual([]);
    });

    it('lists the newest desired version and the reported config state of every gateway of the asked sites', async () => {
      await seedSites(store());
      const empty = ManagedConfig.parse({});
      for (let i = 0; i < 3; i++) await store().putDesiredConfig('gw-n1', empty, 1_000 + i, 'user:ann');
      await store().putDesiredConfig('gw-s1', empty, 1_000, 'user:ann');
      await store().setGatewayConfigState('gw-n1', { version: 2, appliedAt: 5_000, rejected: { version: 3, reason: 'bus gone', ts: 6_000 } });
      await store().setGatewayConfigState('gw-s1', { version: 1, appliedAt: 4_000 });
      expect(await store().listConfigSync(['north'])).toEqual([
        { gateway: 'gw-n1', desiredVersion: 3, reported: { version: 2, appliedAt: 5_000, rejected: { version: 3, reason: 'bus gone', ts: 6_000 } } },
        // Never reported, no desired config: runs its local gateway.yaml.
        { gateway: 'gw-n2', desiredVersion: null, reported: { version: 0, appliedAt: null, rejected: null } },
      ]);
      expect(await store().listConfigSync(undefined)).toEqual([
        expect.objectContaining({ gateway: 'gw-n1' }), expect.objectContaining({ gateway: 'gw-n2' }),
        { gateway: 'gw-s1', desiredVersion: 1, reported: { version: 1, appliedAt: 4_000, rejected: null } },
      ]);
      expect(await store().listConfigSync([])).toEqual([]);
    });

    it('counts open alerts per site, severity and state, never resolved ones', async () => {
      await seedSites(store());
      const raise = async (gateway: string, device: string, rule: string, severity: 'critical' | 'minor') =>
        (await store().openAlert({ gateway, device, rule }, { severity, message: 'm', at: 1_000 })).alert.id;
      await raise('gw-n1', 'a', 'r1', 'critical');
      const acked = await raise('gw-n2', 'b', 'r1', 'critical');
      await raise('gw-n1', 'z', 'r1', 'minor');
      const gone = await raise('gw-n1', 'a', 'r2', 'minor');
      await raise('gw-s1', 'a', 'r1', 'critical');
      await store().transitionAlert(acked, 'acknowledged', 2_000, 'user:ann');
      await store().transitionAlert(gone, 'resolved', 2_000);
      expect(await store().countOpenAlerts(['north'])).toEqual([
        { site: 'north', severity: 'critical', state: 'acknowledged', count: 1 },
        { site: 'north', severity: 'critical', state: 'raised', count: 1 },
        { site: 'north', severity: 'minor', state: 'raised', count: 1 },
      ]);
      expect((await store().countOpenAlerts(undefined)).map((r) => r.site)).toEqual(['north', 'north', 'north', 'south']);
      expect(await store().countOpenAlerts([])).toEqual([]);
    });

    it('lists alerts acknowledged or resolved in [from, to) with their times', async () => {
      await seedSites(store());
      const raise = async (gateway: string, rule: string, at: number) =>
        (await store().openAlert({ gateway, device: 'a', rule }, { severity: 'major', message: 'm', at })).alert.id;
      const ackedIn = await raise('gw-n1', 'r1', 1_000);
      await store().transitionAlert(ackedIn, 'acknowledged', 10_000, 'user:ann');
      // Acknowledged before the window, resolved inside it: listed with both times.
      const resolvedIn = await raise('gw-n1', 'r2', 2_000);
      await store().transitionAlert(resolvedIn, 'acknowledged', 5_000, 'user:ann');
      await store().transitionAlert(resolvedIn, 'resolved', 19_999);
      const before = await raise('gw-n1', 'r3', 3_000);
      await store().transitionAlert(before, 'resolved', 7_000);
      const atEnd = await raise('gw-n1', 'r4', 3_000);
      await store().transitionAlert(atEnd, 'acknowledged', 20_000, 'user:ann');
      await raise('gw-n1', 'r5', 12_000);
      const south = await raise('gw-s1', 'r1', 1_000);
      await store().transitionAlert(south, 'resolved', 11_000);

      expect(await store().listAlertResponses({ sites: ['north'], from: 8_000, to: 20_000 })).toEqual([
        { id: ackedIn, site: 'north', raisedAt: 1_000, acknowledgedAt: 10_000, resolvedAt: null },
        { id: resolvedIn, site: 'north', raisedAt: 2_000, acknowledgedAt: 5_000, resolvedAt: 19_999 },
      ]);
      expect((await store().listAlertResponses({ sites: undefined, from: 8_000, to: 20_000 })).map((r) => r.id)).toEqual([ackedIn, resolvedIn, south]);
      expect(await store().listAlertResponses({ sites: [], from: 0, to: 1e12 })).toEqual([]);
    });
  });
}
