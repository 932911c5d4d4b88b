import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverConfigSchema, startServer } from '@edgefleet/fleet-server';
import type { RunningServer } from '@edgefleet/fleet-server';
import { topicFor } from '@edgefleet/protocol';

// The outcomes a real gateway rarely produces on cue — a rejected config, a silent gateway, a
// failed command — played by an mqtt.js client enrolled like a box, against the real CLI.
const FLEET = fileURLToPath(new URL('../bin/fleet.js', import.meta.url));
const GW = 'fake-gw';

let dir: string;
let server: RunningServer;
let serverUrl: string;
let adminToken: string;
let gw: MqttClient;
/** What the fake gateway answers to the next desired config it receives. */
let answer: (version: number) => Record<string, unknown> | undefined = (version) => ({ version, appliedAt: Date.now() });
let commandAnswer: (id: string, device: string) => Record<string, unknown> | undefined = () => undefined;
let eventSeq = 0;

const env = (): NodeJS.ProcessEnv => {
  const { EDGEFLEET_SERVER: _s, EDGEFLEET_TOKEN: _t, ...rest } = process.env;
  return { ...rest, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), EDGEFLEET_SERVER: serverUrl, EDGEFLEET_TOKEN: adminToken };
};

function fleet(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [FLEET, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

async function call<T>(method: string, route: string, body?: unknown, token: string | undefined = adminToken): Promise<T> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${serverUrl}/api/v1${route}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return (await res.json()) as T;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-wait-'));
  server = await startServer(
    serverConfigSchema.parse({ dataDir: dir, broker: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 }, log: { level: 'silent' } }),
    { logger: pino({ level: 'silent' }) },
  );
  serverUrl = `http://127.0.0.1:${server.httpPort}`;
  adminToken = (await readFile(path.join(dir, 'admin-token'), 'utf8')).trim();
  await call('POST', '/sites', { id: 'yard', name: 'Yard' });
  const { token } = await call<{ token: string }>('POST', '/gateways/provision', { site: 'yard', name: 'Fake', id: GW });
  const enrolled = await call<{ secret: string; mqtt: { url: string } }>('POST', '/enroll', { token }, undefined);
  gw = await mqtt.connectAsync(enrolled.mqtt.url, { protocolVersion: 4, clientId: GW, username: GW, password: enrolled.secret, reconnectPeriod: 0 });
  gw.on('message', (topic, payload) => {
    if (payload.length === 0) return;
    const body = JSON.parse(payload.toString('utf8')) as { version: number; id: string; device: string };
    const reply = topic === topicFor(GW, 'config') ? answer(body.version) : undefined;
    if (reply) void gw.publishAsync(topicFor(GW, 'status'), JSON.stringify({ v: 1, gateway: GW, state: 'online', ts: Date.now(), config: reply }), { qos: 1 });
    const result = topic === topicFor(GW, 'cmd') ? commandAnswer(body.id, body.device) : undefined;
    if (result) {
      eventSeq += 1;
      void gw.publishAsync(topicFor(GW, 'cmd-result'), JSON.stringify({ v: 1, gateway: GW, stream: 'events', seq: eventSeq, id: body.id, device: body.device, ts: Date.now(), ...result }), { qos: 1 });
    }
  });
  await gw.subscribeAsync([topicFor(GW, 'config'), topicFor(GW, 'cmd')], { qos: 1 });
}, 120_000);

afterAll(async () => {
  await gw?.endAsync();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('fleet device add / cmd send: rejected, pending, failed', () => {
  it('says which version the gateway rejected and why, exits 9, and takes the device out again', async () => {
    const bus = await fleet(['bus', 'add', '--gateway', GW, '--id', 'plc', '--tcp', '10.0.0.9']);
    expect(bus.code, bus.stderr).toBe(0);

    const reason = 'devices answering before the change stopped answering after it: lift-1; version 1 restored';
    answer = (version) => ({ version: version - 1, rejected: { version, reason, ts: Date.now() } });
    const run = await fleet(['device', 'add', '--gateway', GW, '--bus', 'plc', '--unit', '3', '--profile', 'liftronic-lmi-200', '--name', 'Lift B']);
    expect(run.code).toBe(9);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      `fleet: gateway ${GW} rejected config v2 (add device lift-b): ${reason}; removed it from the desired config again (hint: check --bus, --unit and --profile)`,
    ]);
    const config = await call<{ desired: { version: number; config: { devices: unknown[] } } }>('GET', `/gateways/${GW}/config`);
    expect(config.desired.version).toBe(3);
    expect(config.desired.config.devices).toEqual([]);
  }, 120_000);

  it('exits 10 when the gateway does not answer within --wait, leaving the version pending', async () => {
    answer = () => undefined;
    const run = await fleet(['device', 'add', '--gateway', GW, '--bus', 'plc', '--unit', '4', '--profile', 'liftronic-lmi-200', '--name', 'Lift C', '--wait', '1s']);
    expect(run.code).toBe(10);
    expect(run.stderr).toMatch(/^fleet: gateway fake-gw has not reported config v4 \(add device lift-c\) within 1s; it stays pending/);
    const config = await call<{ desired: { version: number }; outcome: { state: string } }>('GET', `/gateways/${GW}/config`);
    expect(config).toMatchObject({ desired: { version: 4 }, outcome: { state: 'pending' } });
  }, 120_000);

  it('reports a failed command with its reason (exit 9), and an ok one with the values read back', async () => {
    commandAnswer = () => ({ status: 'failed', reason: 'MODBUS_TIMEOUT: no reply from unit 4' });
    const failed = await fleet(['cmd', 'send', '--device', `${GW}/lift-c`, '--command', 'out-of-service']);
    expect(failed.code).toBe(9);
    expect(failed.stderr).toMatch(/^fleet: command [0-9a-f-]{36} failed on fake-gw\/lift-c: MODBUS_TIMEOUT: no reply from unit 4\n$/);

    commandAnswer = () => ({ status: 'ok', readBack: { mode: 'out-of-service' } });
    const ok = await fleet(['cmd', 'send', '--gateway', GW, '--device', 'lift-c', '--command', 'out-of-service']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^command [0-9a-f-]{36} ok on fake-gw\/lift-c; read back mode="out-of-service"\n$/);

    const badParam = await fleet(['cmd', 'send', '--device', `${GW}/lift-c`, '--command', 'no-such-command']);
    expect(badParam.code).toBe(2);
  }, 120_000);
});
