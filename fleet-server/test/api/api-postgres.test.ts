import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedConfig, type Reading } from '@edgefleet/protocol';
import { connectGateway, countHandled, publishJson, telemetryBatch } from '../server/server-helpers.js';
import { startApiServer } from './api-helpers.js';
import type { ApiTestServer } from './api-helpers.js';
import { healthReport } from './read-model-fixtures.js';

/**
 * The same API on a PostgreSQL store: one pass through the routes whose SQL differs by store
 * (users/tokens, scoping joins, telemetry, rollups, latest values, audit). The route logic
 * itself is covered on SQLite by the other api-*.test.ts files.
 */
const url = process.env.EDGEFLEET_TEST_PG;
if (!url) console.log('API-on-PostgreSQL tests skipped: set EDGEFLEET_TEST_PG (e.g. postgres://postgres@127.0.0.1:5432/test) to run them');

const HOUR = 3_600_000;
const T8 = Date.parse('2026-11-28T08:00:00Z');
const schema = `edgefleet_api_${randomBytes(6).toString('hex')}`;

describe.skipIf(!url)('API on PostgreSQL', () => {
  let api: ApiTestServer;
  let manager: string;
  let gw: MqttClient;

  beforeAll(async () => {
    api = await startApiServer(undefined, { url: url ?? '', schema });
    manager = await api.userToken({ id: 'mona', role: 'manager', sites: ['north'] });
    gw = await connectGateway(api.server.brokerPort, 'gw-a');
    const handled = countHandled(api.server);
    const readings: Reading[] = Array.from({ length: 12 }, (_, i) => ({
      seq: i + 1, device: 'zone-1', point: 'free-count', ts: T8 + i * 600_000, value: 100 - i, quality: 'good',
    }));
    await publishJson(gw, 'gw-a', 'telemetry', telemetryBatch('gw-a', readings));
    await handled.until(1);
  });
  afterAll(async () => {
    gw?.end(true);
    await api?.cleanup();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await admin.end();
    }
  });

  it('bootstraps the admin, issues and revokes tokens', async () => {
    const me = await api.call<{ user: { id: string } }>('GET', '/me', api.adminToken);
    expect(me.body.user.id).toBe('admin');
    const t = await api.call<{ id: string; token: string }>('POST', '/users/mona/tokens', api.adminToken, { ttl: '1h' });
    expect((await api.call('GET', '/me', t.body.token)).status).toBe(200);
    await api.call('DELETE', `/tokens/${t.body.id}`, api.adminToken);
    expect((await api.call('GET', '/me', t.body.token)).status).toBe(401);
  });

  it("scopes a manager to its site and hides the other site's gateway", async () => {
    const gws = await api.call<{ items: { id: string }[] }>('GET', '/gateways', manager);
    expect(gws.body.items.map((g) => g.id)).toEqual(['gw-a']);
    expect((await api.call('GET', '/gateways/gw-b/devices', manager)).status).toBe(404);
  });

  it('serves car-park free spaces, raw telemetry and rollups from the stored readings', async () => {
    expect((await api.call('PUT', '/gateways/gw-a/devices/zone-1', api.adminToken, { profile: 'parksense-pgc-128' })).status).toBe(200);
    const parks = await api.call<{ items: { free: number; ts: number; stale: boolean }[] }>('GET', '/sites/north/car-parks', manager);
    expect(parks.body.items).toMatchObject([{ free: 89, ts: T8 + 11 * 600_000, stale: true }]);

    const raw = await api.call<{ items: { value: number }[] }>('GET', `/gateways/gw-a/devices/zone-1/telemetry?point=free-count&from=${T8}&to=${T8 + HOUR}`, manager);
    expect(raw.body.items.map((r) => r.value)).toEqual([100, 99, 98, 97, 96, 95]);
    await api.store.rollupHours(T8, T8 + 2 * HOUR);
    const rollup = await api.call<{ items: unknown[] }>('GET', `/gateways/gw-a/devices/zone-1/telemetry?point=free-count&mode=rollup&from=${T8}&to=${T8 + 2 * HOUR}`, manager);
    expect(rollup.body.items).toMatchObject([
      { hour: T8, count: 6, min: 95, max: 100, avg: 97.5, last: 95 },
      { hour: T8 + HOUR, count: 6, min: 89, max: 94, avg: 91.5, last: 89 },
    ]);
  });

  it('serves the dashboard reads (site devices, overview) from the same store', async () => {
    const now = api.clock.now;
    await api.store.recordHealth(healthReport('gw-a', now, [{ id: 'zone-1', bus: 'rs485', state: 'offline', polls: 3, failures: 3 }]), now);
    const { alert } = await api.store.openAlert({ gateway: 'gw-a', device: 'zone-1', rule: 'pg-check' }, { severity: 'major', message: 'm', at: now - 120_000 });
    await api.store.transitionAlert(alert.id, 'acknowledged', now - 60_000, 'user:test');
    const devices = await api.call<{ items: Record<string, unknown>[] }>('GET', '/sites/north/devices', manager);
    expect(devices.body.items).toMatchObject([{ device: 'zone-1', family: 'parking', state: 'offline', values: expect.arrayContaining([expect.objectContaining({ point: 'free-count', value: 89 })]) }]);
    const overview = await api.call<{ sites: { id: string }[]; totals: Record<string, unknown> }>('GET', '/overview', manager);
    expect(overview.body.sites.map((s) => s.id)).toEqual(['north']);
    expect(overview.body.totals).toMatchObject({
      devices: { total: 1, down: 1 }, alerts: { open: { major: 1, total: 1 }, unacknowledged: 0 },
      timeToAck: { count: 1, medianMs: 60_000, worstMs: 60_000 }, timeToResolve: { count: 0, medianMs: null },
    });
  });

  it("lists gateways with a summary of each: devices down, the newest report's outbox and offline devices, config sync", async () => {
    const now = api.clock.now;
    // Newer than the report of the test before (an older or equal ts is ignored).
    const report = healthReport('gw-a', now + 1, [
      { id: 'zone-1', bus: 'rs485', state: 'offline', polls: 3, failures: 3 },
      { id: 'unregistered', bus: 'rs485', state: 'offline', polls: 3, failures: 3 },
    ]);
    report.outbox = { events: { depth: 1 }, telemetry: { depth: 5, dropped: 0 }, bytes: 600, maxBytes: 1_000_000 };
    await api.store.recordHealth(report, now + 1);
    await api.store.putDesiredConfig('gw-a', ManagedConfig.parse({}), now, 'user:test');
    await api.store.putDesiredConfig('gw-a', ManagedConfig.parse({}), now, 'user:test');
    await api.store.setGatewayConfigState('gw-a', { version: 1, appliedAt: now });
    const list = await api.call<{ items: { id: string; summary: unknown }[] }>('GET', '/gateways', manager);
    expect(list.body.items).toEqual([expect.objectContaining({
      id: 'gw-a',
      summary: {
        devices: 1, devicesDown: 1,
        health: { at: now + 1, outboxDepth: 6, outboxBytes: 600, outboxMaxBytes: 1_000_000, dropped: 0, devicesOffline: ['unregistered', 'zone-1'] },
        config: { desiredVersion: 2, reportedVersion: 1, inSync: false },
      },
    })]);
  });

  it('audits the mutations', async () => {
    const audit = await api.call<{ items: { action: string }[] }>('GET', '/audit?actor=user:admin', api.adminToken);
    expect(audit.body.items.map((e) => e.action)).toEqual(['device.upsert', 'token.revoke', 'token.create', 'token.create', 'user.create']);
  });
});
