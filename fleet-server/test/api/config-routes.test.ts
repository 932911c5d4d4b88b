import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DesiredConfig } from '@edgefleet/protocol';
import type { PushResult } from '../../src/api/desired-config-push.js';
import type { ConfigOutcome } from '../../src/downlink/config-states.js';
import type { ApiStore } from '../../src/store/store-api.js';
import type { DesiredConfigRecord, GatewayConfigState } from '../../src/store/store-api-types.js';
import type { Store } from '../../src/store/store.js';
import { ActingGateway, API_TEST_STORES, startApiTestServer } from './downlink-fixtures.js';
import type { ApiTestServer } from './downlink-fixtures.js';

interface ConfigView {
  gateway: string;
  desired: DesiredConfigRecord | null;
  reported: GatewayConfigState;
  outcome: ConfigOutcome | null;
}

const rtu = { id: 'rs485', kind: 'rtu', path: '/dev/ttyUSB0' };
const sig = (id: string, unit: number) => ({ id, bus: 'rs485', unit, profile: 'semaforo-tsc-8' });

describe.each(API_TEST_STORES)('/api/v1 desired config (%s store)', (storeKind) => {
  let t: ApiTestServer;
  let store: Store & ApiStore;
  const gateways: ActingGateway[] = [];

  beforeAll(async () => {
    t = await startApiTestServer(storeKind);
    store = t.server.store as Store & ApiStore;
  });

  afterAll(async () => {
    for (const g of gateways) await g.close();
    await t?.cleanup();
  });

  it('PUT stores version 1 and publishes it retained: a gateway subscribing later gets it, its applied report shows in GET', async () => {
    const put = await t.call<PushResult>('eng', 'PUT', '/gateways/gw-a/config', { config: { buses: [rtu], devices: [sig('sig-1', 1)] } });
    expect(put.status).toBe(202);
    expect(put.body.desired).toMatchObject({ gateway: 'gw-a', version: 1, createdBy: 'user:eng' });
    expect(put.body.outcome).toEqual({ state: 'pending', version: 1 });

    const gw = await ActingGateway.connect(t.server.brokerPort, 'gw-a');
    gateways.push(gw);
    const { packet, body } = await gw.next('config');
    expect(packet.retain).toBe(true);
    expect(packet.qos).toBe(1);
    const desired = DesiredConfig.parse(body);
    expect(desired.version).toBe(1);
    expect(desired.config.devices).toEqual([expect.objectContaining(sig('sig-1', 1))]);
    expect(desired.config.buses[0]).toMatchObject({ id: 'rs485', baud: 9600, parity: 'even' });

    const appliedAt = Date.now();
    await gw.status({ version: 1, appliedAt });
    const view = await vi.waitFor(async () => {
      const res = await t.call<ConfigView>('eng', 'GET', '/gateways/gw-a/config');
      if (res.body.reported.version !== 1) throw new Error('not reported yet');
      return res.body;
    }, { timeout: 15_000, interval: 25 });
    expect(view.desired?.version).toBe(1);
    expect(view.reported).toEqual({ version: 1, appliedAt, rejected: null });
    expect(view.outcome).toEqual({ state: 'applied', version: 1, appliedAt });
    expect(await store.listAudit({ target: 'gateway:gw-a', actor: 'user:eng' })).toEqual([
      expect.objectContaining({ action: 'config.put', details: expect.objectContaining({ version: 1 }) }),
    ]);
  });

  it('PUT ?wait returns the rejection the gateway reports, and GET keeps its reason', async () => {
    const gw = gateways[0]!;
    const put = t.call<PushResult>('root', 'PUT', '/gateways/gw-a/config?wait=5s', { config: { buses: [rtu], devices: [sig('sig-1', 1), sig('sig-2', 2)] } });
    const desired = DesiredConfig.parse((await gw.next('config')).body);
    expect(desired.version).toBe(2);
    const reason = 'devices answering before the change stopped answering after it: sig-1; version 1 restored';
    await gw.status({ version: 1, rejected: { version: 2, reason, ts: Date.now() } });

    const res = await put;
    expect(res.status).toBe(200);
    expect(res.body.outcome).toMatchObject({ state: 'rejected', version: 2, reason });
    const view = await t.call<ConfigView>('eng', 'GET', '/gateways/gw-a/config');
    expect(view.body.desired?.version).toBe(2);
    expect(view.body.reported).toMatchObject({ version: 1, rejected: { version: 2, reason } });
    expect(view.body.outcome).toMatchObject({ state: 'rejected', reason });
  });

  it('PUT ?wait returns applied when the gateway reports the version', async () => {
    const gw = gateways[0]!;
    const put = t.call<PushResult>('eng', 'PUT', '/gateways/gw-a/config?wait=5s', { config: { buses: [rtu], devices: [sig('sig-1', 1)], polling: { fast: '500ms' } } });
    const desired = DesiredConfig.parse((await gw.next('config')).body);
    expect(desired).toMatchObject({ version: 3, config: { polling: { fast: '500ms', normal: '10s' } } });
    await gw.status({ version: 3, appliedAt: Date.now() });
    const res = await put;
    expect(res.status).toBe(200);
    expect(res.body.outcome).toMatchObject({ state: 'applied', version: 3 });
  });

  it('history is newest first', async () => {
    const res = await t.call<{ items: DesiredConfigRecord[] }>('eng', 'GET', '/gateways/gw-a/config/history');
    expect(res.body.items.map((r) => [r.version, r.createdBy])).toEqual([[3, 'user:eng'], [2, 'user:root'], [1, 'user:eng']]);
    expect((await t.call<{ items: DesiredConfigRecord[] }>('eng', 'GET', '/gateways/gw-a/config/history?limit=1')).body.items.map((r) => r.version)).toEqual([3]);
  });

  it.each([
    ['a unit used twice on one RTU bus', { buses: [rtu], devices: [sig('a', 1), sig('b', 1)] }, 'body.config.devices.1.unit', /already device "a"/],
    ['an unknown bus', { buses: [rtu], devices: [{ ...sig('a', 1), bus: 'can' }] }, 'body.config.devices.0.bus', /unknown bus "can"/],
    ['an unknown profile', { buses: [rtu], devices: [{ ...sig('a', 1), profile: 'acme-9000' }] }, 'body.config.devices.0.profile', /unknown profile "acme-9000"/],
    ['a schema violation', { buses: [{ ...rtu, baud: 1234 }], devices: [] }, 'body.config.buses.0.baud', /standard baud rate/],
    ['no config at all', undefined, 'body.config', /required/],
  ])('refuses %s with 400 naming the field; no version is stored', async (_name, config, field, message) => {
    const res = await t.call('eng', 'PUT', '/gateways/gw-a/config', config === undefined ? {} : { config });
    expect(res.status).toBe(400);
    expect(res.body.error.message.startsWith(`${field}: `)).toBe(true);
    expect(res.body.error.message).toMatch(message);
    expect((await store.latestDesiredConfig('gw-a'))?.version).toBe(3);
  });

  it('adds and removes one device as new versions', async () => {
    const gw = gateways[0]!;
    const added = await t.call<PushResult>('eng', 'POST', '/gateways/gw-a/config/devices', sig('sig-2', 2));
    expect(added.status).toBe(202);
    expect(added.body.desired.version).toBe(4);
    expect(added.body.desired.config.devices.map((d) => d.id)).toEqual(['sig-1', 'sig-2']);
    expect(added.body.desired.config.polling.fast).toBe('500ms');
    expect(DesiredConfig.parse((await gw.next('config')).body).version).toBe(4);

    const duplicate = await t.call('eng', 'POST', '/gateways/gw-a/config/devices', sig('sig-2', 3));
    expect(duplicate.status).toBe(409);
    const clash = await t.call('eng', 'POST', '/gateways/gw-a/config/devices', sig('sig-3', 2));
    expect(clash.status).toBe(400);
    expect(clash.body.error.message).toMatch(/^body\.unit: unit 2 on bus "rs485" is already device "sig-2"/);

    const removed = await t.call<PushResult>('eng', 'DELETE', '/gateways/gw-a/config/devices/sig-1');
    expect(removed.status).toBe(202);
    expect(removed.body.desired).toMatchObject({ version: 5 });
    expect(removed.body.desired.config.devices.map((d) => d.id)).toEqual(['sig-2']);
    expect(DesiredConfig.parse((await gw.next('config')).body).version).toBe(5);
    expect((await t.call('eng', 'DELETE', '/gateways/gw-a/config/devices/sig-1')).status).toBe(404);

    const actions = (await store.listAudit({ target: 'gateway:gw-a' })).map((e) => e.action);
    expect(actions.slice(0, 2)).toEqual(['config.device.remove', 'config.device.add']);
  });

  it('refuses a device add before any desired config exists (409), and managers (403)', async () => {
    const first = await t.call('eng', 'POST', '/gateways/gw-b/config/devices', sig('sig-1', 1));
    expect(first.status).toBe(409);
    expect(first.body.error.message).toMatch(/PUT \/gateways\/gw-b\/config first/);
    expect((await t.call('mgr-south', 'GET', '/gateways/gw-a/config')).status).toBe(403);
    expect((await t.call('mgr-south', 'PUT', '/gateways/gw-a/config', { config: {} })).status).toBe(403);
    expect((await t.call('eng', 'GET', '/gateways/gw-z/config')).status).toBe(404);
    const none = await t.call<ConfigView>('eng', 'GET', '/gateways/gw-b/config');
    expect(none.body).toEqual({ gateway: 'gw-b', desired: null, reported: { version: 0, appliedAt: null, rejected: null }, outcome: null });
  });

  it('republishes the latest desired config retained after a server restart (the embedded broker forgets retained messages)', async () => {
    for (const g of gateways.splice(0)) await g.close();
    await t.restart();
    const gw = await ActingGateway.connect(t.server.brokerPort, 'gw-a');
    gateways.push(gw);
    const { packet, body } = await gw.next('config');
    expect(packet.retain).toBe(true);
    const desired = DesiredConfig.parse(body);
    expect(desired.version).toBe(5);
    expect(desired.config.devices.map((d) => d.id)).toEqual(['sig-2']);
    // gw-b never had a desired config: nothing was published for it.
    const other = await ActingGateway.connect(t.server.brokerPort, 'gw-b');
    gateways.push(other);
    await expect(other.next('config', 300)).rejects.toThrow(/no config message/);
  });
});
