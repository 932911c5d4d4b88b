import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reading } from '@edgefleet/protocol';
import { startApiServer } from './api-helpers.js';
import type { ApiTestServer } from './api-helpers.js';
import { UNUSED_SECRET_HASH, healthReport } from './read-model-fixtures.js';

interface Item {
  gateway: string; device: string; name: string; location: string | null; profile: string; family: string | null;
  state: string; gatewayStatus: string; lastGoodAt: number | null; values: Record<string, unknown>[];
}
interface SiteDevices { site: { id: string; name: string; timezone: string }; items: Item[] }

let api: ApiTestServer;
let engineer: string;
let north: string;
let south: string;

beforeAll(async () => {
  api = await startApiServer();
  engineer = await api.userToken({ id: 'erin', role: 'engineer' });
  north = await api.userToken({ id: 'mona', role: 'manager', sites: ['north'] });
  south = await api.userToken({ id: 'sam', role: 'manager', sites: ['south'] });
  const now = api.clock.now;
  await api.store.upsertGateway({ id: 'gw-c', site: 'north', name: 'Deck C', secretHash: UNUSED_SECRET_HASH });
  await api.store.setGatewayStatus('gw-a', 'online', now);
  await api.store.setGatewayStatus('gw-c', 'online', now - 60_000);
  await api.store.setGatewayStatus('gw-c', 'offline', now - 30_000);
  await api.store.upsertDevice({ gateway: 'gw-a', device: 'lift-1', profile: 'liftronic-lmi-200', name: 'Lift 1', location: 'Core A' });
  await api.store.upsertDevice({ gateway: 'gw-a', device: 'old-1', profile: 'retired-model', name: 'Old', location: null });
  await api.store.upsertDevice({ gateway: 'gw-c', device: 'sig-1', profile: 'semaforo-tsc-8', name: 'Signal 1', location: null });
  await api.store.upsertDevice({ gateway: 'gw-b', device: 'lift-9', profile: 'liftronic-lmi-200', name: 'Lift 9', location: null });
  const readings: Reading[] = [
    { seq: 1, device: 'lift-1', point: 'floor', ts: now - 5_000, value: 4, quality: 'good' },
    { seq: 2, device: 'lift-1', point: 'door-state', ts: now - 4_000, value: 2, quality: 'good' },
    { seq: 3, device: 'old-1', point: 'x', ts: now - 4_000, value: 1, quality: 'stale' },
    // Reported but never registered: not on the dashboard (GET /gateways/:id/devices lists it).
    { seq: 4, device: 'ghost', point: 'x', ts: now - 4_000, value: 1, quality: 'good' },
  ];
  await api.store.ingestTelemetry('gw-a', readings, now);
  await api.store.recordHealth(healthReport('gw-a', now - 10_000, [
    { id: 'lift-1', bus: 'rs485', state: 'online', polls: 10, failures: 0, lastGoodAt: now - 11_000 },
    { id: 'old-1', bus: 'rs485', state: 'offline', polls: 10, failures: 10 },
  ]), now);
});
afterAll(async () => {
  await api.cleanup();
});

describe('GET /sites/:id/devices', () => {
  it('lists every registered device of every gateway of the site with state, family and labelled values', async () => {
    const reply = await api.call<SiteDevices>('GET', '/sites/north/devices', north);
    expect(reply.status).toBe(200);
    expect(reply.body.site).toEqual({ id: 'north', name: 'North garage', timezone: 'Europe/Berlin' });
    expect(reply.body.items.map((i) => `${i.gateway}/${i.device}`)).toEqual(['gw-a/lift-1', 'gw-a/old-1', 'gw-c/sig-1']);
    const [lift, old, sig] = reply.body.items;
    expect(lift).toMatchObject({
      name: 'Lift 1', location: 'Core A', profile: 'liftronic-lmi-200', family: 'elevator',
      state: 'online', gatewayStatus: 'online', lastGoodAt: api.clock.now - 11_000,
    });
    expect(lift?.values).toEqual([
      { point: 'door-state', value: 2, quality: 'good', ts: api.clock.now - 4_000, seq: 2, name: 'Car door state', unit: null, label: 'open' },
      { point: 'floor', value: 4, quality: 'good', ts: api.clock.now - 5_000, seq: 1, name: 'Current floor', unit: 'floor', label: null },
    ]);
    // A profile the server does not know: no family, values unlabelled.
    expect(old).toMatchObject({ family: null, state: 'offline', lastGoodAt: null, values: [{ point: 'x', quality: 'stale', name: null, label: null }] });
    // No health report from gw-c: unknown, whatever its gateway's status.
    expect(sig).toMatchObject({ family: 'signal-cabinet', state: 'unknown', gatewayStatus: 'offline', lastGoodAt: null, values: [] });
  });

  it('answers another site exactly like a missing one, for a manager', async () => {
    const other = await api.call('GET', '/sites/south/devices', north);
    const missing = await api.call('GET', '/sites/nowhere/devices', north);
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ error: { code: 'NOT_FOUND', message: 'site south not found' } });
    expect(missing.body).toEqual({ error: { code: 'NOT_FOUND', message: 'site nowhere not found' } });
    const own = await api.call<SiteDevices>('GET', '/sites/south/devices', south);
    expect(own.body.items.map((i) => [i.device, i.state, i.gatewayStatus])).toEqual([['lift-9', 'unknown', 'unknown']]);
  });

  it('lets an engineer see any site and refuses bad ids and missing tokens', async () => {
    expect((await api.call<SiteDevices>('GET', '/sites/south/devices', engineer)).body.items).toHaveLength(1);
    expect((await api.call('GET', '/sites/No_Such/devices', engineer)).body.error?.code).toBe('INVALID_REQUEST');
    expect((await api.call('GET', '/sites/north/devices')).status).toBe(401);
  });
});
