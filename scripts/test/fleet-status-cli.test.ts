import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedConfig, type GatewayHealth } from '@edgefleet/protocol';
import { ADMIN_TOKEN_FILE, serverConfigSchema, startServer, type RunningServer } from '@edgefleet/fleet-server';
import type { GatewayStatusLine } from '../src/cli/commands/status.js';
import { startCountingProxy, type CountingProxy } from '../src/bench/counting-proxy.js';
import { lines } from './cli/user-cli-server.js';
import { runFleet } from './cli/run-fleet.js';

// `fleet status` (docs/cli.md): the real binary against a real server (SQLite in a temp dir)
// through a proxy that counts its requests: one list call and one alerts call, however many
// gateways, with every column filled from GET /gateways' summary.

const HOUR = 3_600_000;
const HASH = 'scrypt$1024$8$1$c2FsdA$aGFzaA';

let dir: string;
let server: RunningServer;
let proxy: CountingProxy;
let token: string;

function health(gateway: string, devices: [string, 'online' | 'offline'][], depth = { events: 0, telemetry: 0 }): GatewayHealth {
  return {
    v: 1, gateway, bootId: 'boot-1', seq: 1, ts: Date.now(), uptimeS: 600,
    outbox: { events: { depth: depth.events }, telemetry: { depth: depth.telemetry, dropped: 0 }, bytes: 0, maxBytes: 1_000_000 },
    buses: [], devices: devices.map(([id, state]) => ({ id, bus: 'rs485', state, polls: 10, failures: state === 'offline' ? 10 : 0 })),
    clock: { source: 'ntp' }, config: { version: 0 },
  };
}

/**
 * north: gw-1 online with two devices offline, a backlog, a pending config and an open alert;
 * gw-2 online and in sync; gw-3 never connected. south: gw-4 offline, running its local config.
 */
async function seed(): Promise<void> {
  const { store } = server;
  const at = Date.now() - 3 * HOUR;
  await store.upsertSite({ id: 'north', name: 'North', timezone: 'UTC' });
  await store.upsertSite({ id: 'south', name: 'South', timezone: 'UTC' });
  for (const [id, site] of [['gw-1', 'north'], ['gw-2', 'north'], ['gw-3', 'north'], ['gw-4', 'south']] as const) {
    await store.upsertGateway({ id, site, name: id, secretHash: HASH });
  }
  await store.setGatewayStatus('gw-1', 'online', at);
  await store.setGatewayStatus('gw-2', 'online', at);
  // An offline report keeps the last time the gateway was heard from.
  await store.setGatewayStatus('gw-4', 'online', at);
  await store.setGatewayStatus('gw-4', 'offline', at + 1);
  await store.recordHealth(health('gw-1', [['lift-3', 'offline'], ['lift-1', 'online'], ['lift-2', 'offline']], { events: 2, telemetry: 40 }), at);
  await store.recordHealth(health('gw-2', [['meter-1', 'online']]), at);
  await store.recordHealth(health('gw-4', [['bay-1', 'offline']]), at);
  const config = ManagedConfig.parse({});
  for (const gw of ['gw-1', 'gw-1', 'gw-2']) await store.putDesiredConfig(gw, config, at, 'user:admin');
  await store.setGatewayConfigState('gw-1', { version: 1, appliedAt: at });
  await store.setGatewayConfigState('gw-2', { version: 1, appliedAt: at });
  await store.setGatewayConfigState('gw-4', { version: 3, appliedAt: at });
  await store.openAlert({ gateway: 'gw-1', device: 'lift-2', rule: 'comm-fail' }, { severity: 'major', message: 'lift-2 not answering', at });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-status-cli-'));
  server = await startServer(
    // No alert tick during the test: the seed's health reports are 3 h old, so the first tick (5 s
    // by default) opened "gateway silent" alerts for gw-1 and gw-2, and the open-alert counts below
    // came out 2 and 1 instead of 1 and 0 when the file took 7.9 s on a loaded box.
    serverConfigSchema.parse({ dataDir: path.join(dir, 'server'), broker: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 }, log: { level: 'silent' }, alerts: { tickIntervalMs: 3_600_000 } }),
    { logger: pino({ level: 'silent' }) },
  );
  token = (await readFile(path.join(dir, 'server', ADMIN_TOKEN_FILE), 'utf8')).trim();
  proxy = await startCountingProxy(`http://127.0.0.1:${server.httpPort}`);
  await seed();
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 60_000);

async function fleetStatus(args: string[]): Promise<{ stdout: string; requests: string[] }> {
  const { EDGEFLEET_SERVER: _s, EDGEFLEET_TOKEN: _t, ...env } = process.env;
  const before = proxy.requests.length;
  const run = await runFleet(['status', ...args], {
    env: { ...env, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), NO_COLOR: '1', EDGEFLEET_SERVER: proxy.url, EDGEFLEET_TOKEN: token }, cwd: dir,
  });
  expect(run.code, run.stderr).toBe(0);
  return { stdout: run.stdout, requests: proxy.requests.slice(before).sort() };
}

describe('fleet status', () => {
  it('prints every gateway from one list request and one alerts request', async () => {
    const { stdout, requests } = await fleetStatus(['--json']);
    // A request per gateway (GET /gateways/:id) would show up here.
    expect(requests).toEqual(['GET /api/v1/alerts?state=open&limit=10000', 'GET /api/v1/gateways']);
    const byGateway = (JSON.parse(stdout) as GatewayStatusLine[]).sort((a, b) => a.gateway.localeCompare(b.gateway));
    expect(byGateway).toEqual([
      // The report's offline devices, sorted, including one nobody registered.
      { gateway: 'gw-1', site: 'north', status: 'online', lastSeenAt: expect.any(Number), outboxDepth: 42, devicesDown: ['lift-2', 'lift-3'], openAlerts: 1, config: 'v1/2 pending' },
      { gateway: 'gw-2', site: 'north', status: 'online', lastSeenAt: expect.any(Number), outboxDepth: 0, devicesDown: [], openAlerts: 0, config: 'v1/1' },
      { gateway: 'gw-3', site: 'north', status: 'unknown', lastSeenAt: null, outboxDepth: null, devicesDown: null, openAlerts: 0, config: 'v0 (local)' },
      // Offline: the last report's list, not every device of the gateway.
      { gateway: 'gw-4', site: 'south', status: 'offline', lastSeenAt: expect.any(Number), outboxDepth: 0, devicesDown: ['bay-1'], openAlerts: 0, config: 'v3 (local)' },
    ]);
  }, 60_000);

  it('prints the table of one site, still in two requests', async () => {
    const { stdout, requests } = await fleetStatus(['--site', 'north']);
    expect(requests).toEqual(['GET /api/v1/alerts?state=open&limit=10000&site=north', 'GET /api/v1/gateways?site=north']);
    const rows = lines(stdout).map((l) => l.trim().split(/\s{2,}/));
    expect(rows[0]).toEqual(['GATEWAY', 'SITE', 'STATUS', 'LAST SEEN', 'OUTBOX', 'DEVICES DOWN', 'OPEN ALERTS', 'CONFIG']);
    expect(rows.slice(1).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''))).toEqual([
      ['gw-1', 'north', 'online', '3h ago', '42', '2 (lift-2, lift-3)', '1', 'v1/2 pending'],
      ['gw-2', 'north', 'online', '3h ago', '0', '0', '0', 'v1/1'],
      ['gw-3', 'north', 'unknown', 'never', '-', '-', '0', 'v0 (local)'],
    ]);
  }, 60_000);
});
