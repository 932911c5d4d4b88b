import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { SimSite, SiteConfig } from '@edgefleet/firmware-sim';
import { serverConfigSchema, startServer } from '@edgefleet/fleet-server';
import type { RunningServer } from '@edgefleet/fleet-server';
import { FLEET, runFleet, type FleetRun } from './cli/run-fleet.js';

// Acceptance of issue 5 (provisioning): the real `fleet` binary against a real fleet server,
// a gateway process started from the files `fleet gateway enroll` wrote, and a simulated lift.
const GW = 'depot-north-gw';

let dir: string;
let server: RunningServer;
let site: SimSite;
let simPort: number;
let serverUrl: string;
let adminToken: string;
let gateway: ChildProcess | undefined;
let gatewayLog = '';

/** No EDGEFLEET_* from the caller's shell; config and HOME inside the temp dir, never the real ones. */
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const { EDGEFLEET_SERVER: _s, EDGEFLEET_TOKEN: _t, ...rest } = process.env;
  return { ...rest, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), NO_COLOR: '1', ...extra };
};

type Run = FleetRun;

function fleet(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Run> {
  return runFleet(args, { env: env(options.env), cwd: options.cwd ?? dir, ...(options.stdin === undefined ? {} : { stdin: options.stdin }) });
}

/** The same command logged in (the token from the credentials file `fleet login` wrote). */
const ok = async (args: string[]): Promise<string> => {
  const run = await fleet(args);
  expect(run.stderr, `fleet ${args.join(' ')}`).not.toMatch(/^fleet: /m);
  expect(run.code, `fleet ${args.join(' ')}: ${run.stderr}`).toBe(0);
  return run.stdout;
};

async function api<T>(route: string): Promise<T> {
  const res = await fetch(`${serverUrl}/api/v1${route}`, { headers: { authorization: `Bearer ${adminToken}` } });
  return (await res.json()) as T;
}

/** Polls `check` (every 200 ms) until it returns a value, for at most `ms`. */
async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; gateway log:\n${gatewayLog.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  probe.close();
  await once(probe, 'close');
  return port;
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-provisioning-'));
  const registry = new ProfileRegistry(loadBuiltinProfiles());
  site = await SimSite.start(
    SiteConfig.parse({ name: 'depot', tick: '100ms', transports: [{ id: 'tcp-a', kind: 'tcp', port: 0 }], devices: [{ id: 'lift-1', profile: 'liftronic-lmi-200', transport: 'tcp-a', unit: 7 }] }),
    { profile: (id) => registry.get(id) },
  );
  simPort = (site.endpoints()[0] as { port: number }).port;
  server = await startServer(
    serverConfigSchema.parse({ dataDir: path.join(dir, 'server'), broker: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 }, log: { level: 'silent' } }),
    { logger: pino({ level: 'silent' }) },
  );
  serverUrl = `http://127.0.0.1:${server.httpPort}`;
  adminToken = (await readFile(path.join(dir, 'server', 'admin-token'), 'utf8')).trim();
}, 120_000);

afterAll(async () => {
  if (gateway && gateway.exitCode === null) {
    gateway.kill('SIGTERM');
    await once(gateway, 'exit');
  }
  await server?.stop();
  await site?.stop();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

describe('fleet: provision → enroll → gateway → device add → values through the API', () => {
  it('logs in with the admin token from stdin and keeps it 0600 under XDG_CONFIG_HOME', async () => {
    const refused = await fleet(['login', '--server', serverUrl], { stdin: 'ef_not-a-token\n' });
    expect(refused.code).toBe(8);
    expect(lines(refused.stderr)).toEqual([expect.stringMatching(/^fleet: unknown, expired or revoked token \(hint: fleet login/)]);

    const run = await fleet(['login', '--server', serverUrl], { stdin: `${adminToken}\n` });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('as admin (admin)');
    const file = path.join(dir, 'config', 'edgefleet', 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ server: serverUrl, token: adminToken, user: 'admin' });
  }, 120_000);

  it('creates a site and its contacts; a phone number not in E.164 is refused on one line', async () => {
    expect(await ok(['site', 'create', '--name', 'Depot North', '--timezone', 'Europe/Berlin'])).toContain('site depot-north created');
    const sites = JSON.parse(await ok(['site', 'list', '--json'])) as { id: string }[];
    expect(sites.map((s) => s.id)).toContain('depot-north');

    const bad = await fleet(['contact', 'add', '--site', 'depot-north', '--name', 'Ann Berger', '--phone', '+49 151 1234 5678']);
    expect(bad.code).toBe(2);
    expect(lines(bad.stderr)).toEqual(['fleet: --phone must be an E.164 number such as +4915112345678, got "+49 151 1234 5678" (hint: without spaces or punctuation: +4915112345678)']);
    expect(await ok(['contact', 'add', '--site', 'depot-north', '--name', 'Ann Berger', '--phone', '+4915112345678', '--role', 'caretaker', '--order', '1']))
      .toContain('contact depot-north-ann-berger added to site depot-north');
    const contacts = JSON.parse(await ok(['contact', 'list', '--site', 'depot-north', '--json'])) as { phone: string; escalationOrder: number }[];
    expect(contacts).toEqual([expect.objectContaining({ phone: '+4915112345678', escalationOrder: 1, role: 'caretaker' })]);
  }, 120_000);

  it('refuses expired and reused tokens and an unreachable server, writing nothing', async () => {
    const unreachable = await fleet(['gateway', 'enroll', '--server', `http://127.0.0.1:${await closedPort()}`, '--token', 'efe_x', '--config', 'nowhere/gateway.yaml']);
    expect(unreachable.code).toBe(7);
    expect(lines(unreachable.stderr)).toEqual([expect.stringMatching(/^fleet: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED \(hint: /)]);

    const expiring = JSON.parse(await ok(['gateway', 'provision', '--site', 'depot-north', '--name', 'Spare', '--ttl', '1ms', '--json'])) as { token: string };
    const expired = await fleet(['gateway', 'enroll', '--server', serverUrl, '--token', expiring.token, '--config', 'expired/gateway.yaml']);
    expect(expired.code).toBe(8);
    expect(lines(expired.stderr)).toEqual([expect.stringMatching(/^fleet: enrollment token for gateway spare expired at .+ \(hint: ask for a new one: fleet gateway provision/)]);

    const once1 = JSON.parse(await ok(['gateway', 'provision', '--site', 'depot-north', '--name', 'Once', '--json'])) as { token: string };
    await ok(['gateway', 'enroll', '--server', serverUrl, '--token', once1.token, '--config', 'first/gateway.yaml']);
    const reused = await fleet(['gateway', 'enroll', '--server', serverUrl, '--token', once1.token, '--config', 'second/gateway.yaml']);
    expect(reused.code).toBe(8);
    expect(lines(reused.stderr)).toEqual([expect.stringMatching(/^fleet: enrollment token for gateway once was already used at /)]);

    // An existing gateway.yaml is refused before the token is spent.
    const spare = JSON.parse(await ok(['gateway', 'provision', '--site', 'depot-north', '--name', 'Spare 2', '--json'])) as { token: string };
    const exists = await fleet(['gateway', 'enroll', '--server', serverUrl, '--token', spare.token, '--config', 'first/gateway.yaml']);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain('already exists; nothing written and the token is still unused');
    expect((await fetch(`${serverUrl}/api/v1/gateways/spare-2`, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(404);

    const entries = await readdir(dir);
    for (const nothing of ['nowhere', 'expired', 'second']) {
      expect(entries.includes(nothing) ? await readdir(path.join(dir, nothing)) : []).toEqual([]);
    }
  }, 180_000);

  it('provisions with a QR code, enrolls the box, and the gateway starts from the written files', async () => {
    const provision = await fleet(['gateway', 'provision', '--site', 'depot-north', '--name', 'Depot North GW', '--qr']);
    expect(provision.code, provision.stderr).toBe(0);
    const token = /^\s+(efe_[A-Za-z0-9_-]{43})$/m.exec(provision.stdout)?.[1];
    expect(token).toBeDefined();
    expect(provision.stdout).toContain(`fleet gateway enroll --server ${serverUrl} --token ${token ?? ''}`);
    expect(provision.stdout).toMatch(/[█▀▄]{7}/);

    const enroll = await fleet(['gateway', 'enroll', '--server', serverUrl, '--token', token ?? '', '--config', 'box/gateway.yaml']);
    expect(enroll.code, enroll.stderr).toBe(0);
    expect(enroll.stdout).toContain(`enrolled as gateway ${GW} (site depot-north)`);
    const configFile = path.join(dir, 'box', 'gateway.yaml');
    const credentialsFile = path.join(dir, 'box', 'credentials.yaml');
    expect((await stat(credentialsFile)).mode & 0o777).toBe(0o600);
    expect(parse(await readFile(configFile, 'utf8'))).toEqual({
      gateway: { id: GW }, uplink: { url: `mqtt://127.0.0.1:${server.brokerPort}`, credentialsFile: 'credentials.yaml' }, dataDir: 'data',
    });
    expect(parse(await readFile(credentialsFile, 'utf8'))).toEqual({ username: GW, password: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect((await readdir(path.join(dir, 'box'))).sort()).toEqual(['credentials.yaml', 'gateway.yaml']);

    gateway = spawn(process.execPath, [FLEET, 'gateway', '--config', configFile], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    gateway.stdout?.on('data', (d: Buffer) => (gatewayLog += d.toString()));
    gateway.stderr?.on('data', (d: Buffer) => (gatewayLog += d.toString()));
    await until('the gateway online', async () => ((await api<{ status?: string }>(`/gateways/${GW}`)).status === 'online' ? true : undefined));
    const status = JSON.parse(await ok(['status', '--json'])) as { gateway: string; status: string; openAlerts: number }[];
    expect(status).toContainEqual(expect.objectContaining({ gateway: GW, status: 'online', openAlerts: 0 }));
  }, 180_000);

  it('adds a bus and a device; the gateway applies them and the values appear through the API', async () => {
    const noBus = await fleet(['device', 'add', '--gateway', GW, '--bus', 'lifts', '--unit', '7', '--profile', 'liftronic-lmi-200', '--name', 'Lift A']);
    expect(noBus.code).toBe(1);
    expect(lines(noBus.stderr)).toEqual([expect.stringMatching(/^fleet: gateway depot-north-gw has no bus lifts yet .*\(hint: add the bus first: fleet bus add/)]);

    expect(await ok(['bus', 'add', '--gateway', GW, '--id', 'lifts', '--tcp', `127.0.0.1:${simPort}`])).toMatch(/bus lifts added to gateway depot-north-gw: config v1 applied/);
    const badProfile = await fleet(['device', 'add', '--gateway', GW, '--bus', 'lifts', '--unit', '7', '--profile', 'no-such-lift', '--name', 'Lift A']);
    expect(badProfile.code).toBe(2);
    expect(lines(badProfile.stderr)).toEqual([expect.stringMatching(/^fleet: body\.profile: .*no-such-lift/)]);

    const added = await fleet(['device', 'add', '--gateway', GW, '--bus', 'lifts', '--unit', '7', '--profile', 'liftronic-lmi-200', '--name', 'Lift A', '--json']);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ gateway: GW, device: 'lift-a', desired: { version: 2 }, outcome: { state: 'applied', version: 2 } });

    const device = await until('values of lift-a', async () => {
      const view = await api<{ registered?: boolean; values?: { point: string; name: string | null; quality: string }[] }>(`/gateways/${GW}/devices/lift-a`);
      return view.values !== undefined && view.values.length > 0 ? view : undefined;
    });
    expect(device.registered).toBe(true);
    expect(device.values?.some((v) => v.quality === 'good' && v.name !== null)).toBe(true);

    const listed = JSON.parse(await ok(['device', 'list', '--gateway', GW, '--json'])) as { device: string; bus: string; unit: number; inDesiredConfig: boolean }[];
    expect(listed).toEqual([expect.objectContaining({ device: 'lift-a', bus: 'lifts', unit: 7, profile: 'liftronic-lmi-200', inDesiredConfig: true })]);
  }, 180_000);

  it('sends a command and waits for its result; alerts list and a refused ack', async () => {
    const sent = await fleet(['cmd', 'send', '--device', `${GW}/lift-a`, '--command', 'out-of-service', '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ state: 'ok', result: { status: 'ok' } });

    expect(JSON.parse(await ok(['alerts', '--open', '--site', 'depot-north', '--json']))).toBeInstanceOf(Array);
    const ack = await fleet(['alerts', 'ack', '999']);
    expect(ack.code).toBe(1);
    expect(lines(ack.stderr)).toEqual(['fleet: alert 999 not found']);
  }, 120_000);

  it('removes the device again once the gateway applied it', async () => {
    expect(await ok(['device', 'remove', '--gateway', GW, 'lift-a'])).toContain('device lift-a removed from gateway depot-north-gw: config v3 applied');
    expect((await fetch(`${serverUrl}/api/v1/gateways/${GW}/config`, { headers: { authorization: `Bearer ${adminToken}` } }).then((r) => r.json()) as { desired: { config: { devices: unknown[] } } }).desired.config.devices).toEqual([]);
  }, 120_000);
});
