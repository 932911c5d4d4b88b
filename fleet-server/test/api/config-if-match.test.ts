import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PushResult } from '../../src/api/desired-config-push.js';
import type { ApiStore } from '../../src/store/store-api.js';
import type { Store } from '../../src/store/store.js';
import { API_TEST_STORES, startApiTestServer } from './downlink-fixtures.js';
import type { ApiTestServer, ErrorBody } from './downlink-fixtures.js';

const rtu = { id: 'rs485', kind: 'rtu', path: '/dev/ttyUSB0' };
const sig = (id: string, unit: number) => ({ id, bus: 'rs485', unit, profile: 'semaforo-tsc-8' });
const ifMatch = (version: number | string) => ({ 'if-match': typeof version === 'number' ? `"${version}"` : version });
type Mismatch = ErrorBody & { error: { details: { latest: number } } };

// Two engineers changing one gateway's config at once: neither change may silently undo the other.
describe.each(API_TEST_STORES)('/api/v1 desired config: If-Match and concurrent changes (%s store)', (storeKind) => {
  let t: ApiTestServer;
  let store: Store & ApiStore;

  beforeAll(async () => {
    t = await startApiTestServer(storeKind);
    store = t.server.store as Store & ApiStore;
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  const versions = async (): Promise<number[]> => (await store.listDesiredConfigs('gw-a', 100)).map((d) => d.version);

  it('PUT with If-Match stores the change only while the named version is still the latest', async () => {
    const first = await t.call<PushResult>('eng', 'PUT', '/gateways/gw-a/config', { config: { buses: [rtu], devices: [sig('sig-1', 1)] } }, ifMatch(0));
    expect(first.status).toBe(202);
    expect(first.body.desired.version).toBe(1);
    // Another engineer read "none yet" too: their PUT loses, names the latest, stores nothing.
    const stale = await t.call<Mismatch>('root', 'PUT', '/gateways/gw-a/config', { config: { buses: [rtu], devices: [] } }, ifMatch(0));
    expect(stale.status).toBe(412);
    expect(stale.body.error).toMatchObject({ code: 'VERSION_MISMATCH', details: { latest: 1 } });
    expect(stale.body.error.message).toMatch(/gw-a's desired config is at version 1, not 0/);
    const fresh = await t.call<PushResult>('eng', 'PUT', '/gateways/gw-a/config', { config: { buses: [rtu], devices: [sig('sig-1', 1), sig('sig-2', 2)] } }, ifMatch(1));
    expect(fresh.body.desired.version).toBe(2);
    expect(await versions()).toEqual([2, 1]);
    // Only accepted changes are audited.
    expect((await store.listAudit({ target: 'gateway:gw-a' })).filter((e) => e.action === 'config.put')).toHaveLength(2);
  });

  it('device add and remove honour If-Match, and refuse a malformed one naming the header', async () => {
    const stale = await t.call<Mismatch>('eng', 'POST', '/gateways/gw-a/config/devices', sig('sig-3', 3), ifMatch(1));
    expect([stale.status, stale.body.error.details.latest]).toEqual([412, 2]);
    const removed = await t.call<PushResult>('eng', 'DELETE', '/gateways/gw-a/config/devices/sig-2', undefined, ifMatch(2));
    expect(removed.body.desired).toMatchObject({ version: 3 });
    for (const bad of ['3', 'W/"3"', '"abc"', '*']) {
      const res = await t.call('eng', 'PUT', '/gateways/gw-a/config', { config: { buses: [rtu], devices: [] } }, ifMatch(bad));
      expect([res.status, res.body.error.message]).toEqual([400, expect.stringMatching(/^headers\.if-match: must be the desired config's version in quotes/)]);
    }
    expect(await versions()).toEqual([3, 2, 1]);
  });

  it('merges concurrent device adds without If-Match: every device ends up in the latest version', async () => {
    const ids = ['sig-10', 'sig-11', 'sig-12', 'sig-13', 'sig-14', 'sig-15'];
    const replies = await Promise.all(ids.map((id, i) => t.call<PushResult>('eng', 'POST', '/gateways/gw-a/config/devices', sig(id, 10 + i))));
    expect(replies.map((r) => r.status)).toEqual(ids.map(() => 202));
    // One new version each, none lost: the latest holds sig-1 and all six.
    expect(replies.map((r) => r.body.desired.version).sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8, 9]);
    const latest = await store.latestDesiredConfig('gw-a');
    expect(latest?.config.devices.map((d) => d.id).sort()).toEqual(['sig-1', ...ids].sort());
  });
});
