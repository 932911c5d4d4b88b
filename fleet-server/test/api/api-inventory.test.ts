import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectGateway, countHandled, publishJson, telemetryBatch } from '../server/server-helpers.js';
import { startApiServer } from './api-helpers.js';
import type { ApiTestServer } from './api-helpers.js';

interface Item { id: string; site?: string }
interface AuditItem { actor: string; action: string; target: string; details: Record<string, unknown> }

let api: ApiTestServer;
let engineer: string;
let north: string;
let gwA: MqttClient;
beforeAll(async () => {
  api = await startApiServer();
  engineer = await api.userToken({ id: 'erin', role: 'engineer' });
  north = await api.userToken({ id: 'mona', role: 'manager', sites: ['north'] });
  gwA = await connectGateway(api.server.brokerPort, 'gw-a');
  const handled = countHandled(api.server);
  const ts = api.clock.now - 5_000;
  await publishJson(gwA, 'gw-a', 'telemetry', telemetryBatch('gw-a', [
    { seq: 1, device: 'lift-1', point: 'floor', ts, value: 4, quality: 'good' },
    { seq: 2, device: 'lift-1', point: 'door-state', ts, value: 'closed', quality: 'good' },
    { seq: 3, device: 'meter-9', point: 'volume', ts, value: 12.5, quality: 'stale' },
  ]));
  await handled.until(1);
});
afterAll(async () => {
  gwA.end(true);
  await api.cleanup();
});

describe('sites and contacts', () => {
  it('lists every site for admins and engineers, only its own for a manager', async () => {
    for (const token of [api.adminToken, engineer]) {
      const all = await api.call<{ items: Item[] }>('GET', '/sites', token);
      expect(all.body.items.map((s) => s.id).sort()).toEqual(['north', 'south']);
    }
    const mine = await api.call<{ items: Item[] }>('GET', '/sites', north);
    expect(mine.body.items).toEqual([{ id: 'north', name: 'North garage', timezone: 'Europe/Berlin' }]);
  });

  it('answers a manager 404 for another site, exactly as for a site that does not exist', async () => {
    expect((await api.call('GET', '/sites/north', north)).status).toBe(200);
    const other = await api.call('GET', '/sites/south', north);
    const missing = await api.call('GET', '/sites/nowhere', north);
    expect(other.status).toBe(404);
    expect(other.body.error?.code).toBe('NOT_FOUND');
    expect(other.body.error?.message).toBe('site south not found');
    expect(missing.body.error?.message).toBe('site nowhere not found');
    expect((await api.call('GET', '/sites/south/contacts', north)).status).toBe(404);
    expect((await api.call('GET', '/sites/south/car-parks', north)).status).toBe(404);
  });

  it('creates sites for admins and engineers (audited), not for managers', async () => {
    const created = await api.call('POST', '/sites', engineer, { id: 'east', name: 'East deck', timezone: 'Asia/Tokyo' });
    expect(created.status).toBe(201);
    expect((await api.call('GET', '/sites/east', engineer)).body).toEqual({ id: 'east', name: 'East deck', timezone: 'Asia/Tokyo' });
    expect((await api.call('POST', '/sites', engineer, { id: 'east', name: 'Again' })).status).toBe(409);
    const refused = await api.call('POST', '/sites', north, { id: 'west', name: 'West' });
    expect(refused.status).toBe(403);
    const badZone = await api.call('POST', '/sites', engineer, { id: 'west', name: 'West', timezone: 'Mars/Olympus' });
    expect(badZone.body.error?.message).toMatch(/^body\.timezone: /);
    const audit = await api.call<{ items: AuditItem[] }>('GET', '/audit?target=site:east', api.adminToken);
    expect(audit.body.items).toMatchObject([{ actor: 'user:erin', action: 'site.create', details: { timezone: 'Asia/Tokyo' } }]);
  });

  it('adds contacts with an E.164 phone, naming the field when it is not', async () => {
    const bad = await api.call('POST', '/sites/north/contacts', engineer, { id: 'c-1', name: 'Ann', phone: '0151 1234567' });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toMatch(/^body\.phone: must be an E\.164 number/);
    const ok = await api.call('POST', '/sites/north/contacts', engineer, { id: 'c-1', name: 'Ann', phone: '+4915112345678', escalationOrder: 2 });
    expect(ok.status).toBe(201);
    const list = await api.call<{ items: unknown[] }>('GET', '/sites/north/contacts', north);
    expect(list.body.items).toEqual([{ id: 'c-1', site: 'north', name: 'Ann', phone: '+4915112345678', role: 'technician', escalationOrder: 2 }]);
    expect((await api.call('POST', '/sites/north/contacts', north, { id: 'c-2', name: 'B', phone: '+4915112345679' })).status).toBe(403);
    expect((await api.call('POST', '/sites/nowhere/contacts', engineer, { id: 'c-3', name: 'B', phone: '+4915112345679' })).status).toBe(404);
    const audit = await api.call<{ items: AuditItem[] }>('GET', '/audit?target=contact:c-1', api.adminToken);
    expect(audit.body.items).toMatchObject([{ actor: 'user:erin', action: 'contact.create', details: { site: 'north' } }]);
    expect(JSON.stringify(audit.body)).not.toContain('+4915112345678');
  });
});

describe('gateways and devices', () => {
  it('lists gateways without secrets, scoped for managers', async () => {
    const all = await api.call<{ items: (Item & { summary: unknown })[] }>('GET', '/gateways', engineer);
    expect(all.body.items.map((g) => g.id)).toEqual(['gw-a', 'gw-b']);
    // gw-a reported no health yet; its devices come from the telemetry it sent (the inventory).
    expect(all.body.items.map((g) => g.summary)).toEqual([
      { devices: expect.any(Number), devicesDown: 0, health: null, config: { desiredVersion: null, reportedVersion: 0, inSync: null } },
      { devices: 0, devicesDown: 0, health: null, config: { desiredVersion: null, reportedVersion: 0, inSync: null } },
    ]);
    expect(JSON.stringify(all.body)).not.toContain('scrypt');
    const south = await api.call<{ items: Item[] }>('GET', '/gateways?site=south', engineer);
    expect(south.body.items.map((g) => g.id)).toEqual(['gw-b']);
    const mine = await api.call<{ items: Item[] }>('GET', '/gateways', north);
    expect(mine.body.items.map((g) => g.id)).toEqual(['gw-a']);
    expect((await api.call('GET', '/gateways?site=south', north)).status).toBe(404);
    expect((await api.call('GET', '/gateways?site=BAD', engineer)).body.error?.message).toMatch(/^query\.site: /);
  });

  it('shows a gateway with status, last seen, config state and health', async () => {
    const gw = await api.call('GET', '/gateways/gw-a', north);
    expect(gw.status).toBe(200);
    expect(gw.body).toMatchObject({ id: 'gw-a', site: 'north', config: { desiredVersion: null, reported: { version: 0 } }, health: null });
    expect(gw.body).toHaveProperty('status');
    expect(gw.body).toHaveProperty('lastSeenAt');
    expect(gw.body).not.toHaveProperty('secretHash');
  });

  it("answers a manager 404 for another site's gateway and devices, like an unknown gateway", async () => {
    for (const route of ['/gateways/gw-b', '/gateways/gw-b/devices', '/gateways/gw-b/devices/lift-1', '/gateways/gw-b/devices/lift-1/telemetry?point=x']) {
      const reply = await api.call('GET', route, north);
      expect(reply.status, route).toBe(404);
      expect(reply.body.error?.message).toBe('gateway gw-b not found');
    }
    expect((await api.call('GET', '/gateways/gw-zz', north)).body.error?.message).toBe('gateway gw-zz not found');
    expect((await api.call('GET', '/gateways/gw-b', engineer)).status).toBe(200);
  });

  it('lists reported devices, registers one with a known profile, and shows its latest values', async () => {
    const before = await api.call<{ items: { device: string; registered: boolean; lastReadingAt: number }[] }>('GET', '/gateways/gw-a/devices', north);
    expect(before.body.items.map((d) => [d.device, d.registered])).toEqual([['lift-1', false], ['meter-9', false]]);
    expect(before.body.items[0]?.lastReadingAt).toBe(api.clock.now - 5_000);

    const badProfile = await api.call('PUT', '/gateways/gw-a/devices/lift-1', engineer, { profile: 'no-such-lift' });
    expect(badProfile.status).toBe(400);
    expect(badProfile.body.error?.message).toMatch(/^body\.profile: unknown profile "no-such-lift"/);
    expect((await api.call('PUT', '/gateways/gw-a/devices/lift-1', north, { profile: 'liftronic-lmi-200' })).status).toBe(403);
    const put = await api.call('PUT', '/gateways/gw-a/devices/lift-1', engineer, { profile: 'liftronic-lmi-200', name: 'Lift 1', location: 'Core A' });
    expect(put.status).toBe(200);

    const lift = await api.call<{ registered: boolean; profile: string; values: Record<string, unknown>[] }>('GET', '/gateways/gw-a/devices/lift-1', north);
    expect(lift.status).toBe(200);
    expect(lift.body).toMatchObject({ device: 'lift-1', name: 'Lift 1', location: 'Core A', profile: 'liftronic-lmi-200', registered: true });
    expect(lift.body.values.map((v) => [v.point, v.value, v.quality])).toEqual([['door-state', 'closed', 'good'], ['floor', 4, 'good']]);
    expect(lift.body.values[1]).toMatchObject({ name: 'Current floor', unit: 'floor', ts: api.clock.now - 5_000, seq: 1 });
    const meter = await api.call<{ values: Record<string, unknown>[] }>('GET', '/gateways/gw-a/devices/meter-9', north);
    expect(meter.body.values).toMatchObject([{ point: 'volume', value: 12.5, quality: 'stale', name: null, unit: null }]);
    expect((await api.call('GET', '/gateways/gw-a/devices/ghost', north)).status).toBe(404);

    const audit = await api.call<{ items: AuditItem[] }>('GET', '/audit?target=device:gw-a/lift-1', api.adminToken);
    expect(audit.body.items).toMatchObject([{ actor: 'user:erin', action: 'device.upsert', details: { profile: 'liftronic-lmi-200' } }]);
  });

  it('deletes a registered device (audited); its readings keep it listed as unregistered', async () => {
    await api.call('PUT', '/gateways/gw-a/devices/meter-9', engineer, { profile: 'aquametrix-um50' });
    expect((await api.call('DELETE', '/gateways/gw-a/devices/meter-9', north)).status).toBe(403);
    expect((await api.call('DELETE', '/gateways/gw-a/devices/meter-9', engineer)).status).toBe(204);
    expect((await api.call('DELETE', '/gateways/gw-a/devices/meter-9', engineer)).status).toBe(404);
    const meter = await api.call('GET', '/gateways/gw-a/devices/meter-9', engineer);
    expect(meter.body).toMatchObject({ registered: false, profile: null });
    const audit = await api.call<{ items: AuditItem[] }>('GET', '/audit?target=device:gw-a/meter-9', api.adminToken);
    expect(audit.body.items.map((e) => e.action)).toEqual(['device.delete', 'device.upsert']);
  });
});
