import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigFileError, Profile, ProfileRegistry, loadBuiltinProfiles } from '@edgefleet/device-profiles';
import { GatewayError } from '../../src/errors.js';
import { loadGatewayConfig } from '../../src/config/load-gateway-config.js';

/** A profile whose points are all polled "normal", beside the built-in ones (which use every class). */
const normalOnly = Profile.parse({
  version: 1, id: 'normal-only', vendor: 'Acme', model: 'N1', family: 'generic', source: 'inline test profile',
  points: [{ id: 'level', name: 'Level', table: 'holding', address: 0, type: 'uint16' }],
});
const registry = new ProfileRegistry([...loadBuiltinProfiles(), normalOnly]);

const GOOD = `gateway:
  id: depot-north
uplink:
  url: mqtts://broker.example.com:8883
  credentialsFile: secrets/credentials.yaml
  tls: { ca: certs/ca.pem }
outbox:
  maxSize: 32MB
  maxAge: 3d
buses:
  - id: rs485-1
    kind: rtu
    path: /dev/ttyUSB0
    baud: 19200
  - id: plant
    kind: tcp
    host: 127.0.0.1
devices:
  - id: lift-a
    bus: rs485-1
    unit: 1
    profile: liftronic-lmi-200
  - id: lift-b
    bus: rs485-1
    unit: 2
    profile: liftronic-lmi-200
    poll: { fast: 500ms }
  - id: meter
    bus: plant
    unit: 0
    profile: aquametrix-um50
  - id: tank
    bus: plant
    unit: 7
    profile: normal-only
schedules:
  - id: nightly
    cron: "0 0 * * *"
    action: snapshot
    devices: [meter]
    points: [total-volume]
`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-gwcfg-'));
  await mkdir(path.join(dir, 'secrets'));
  await mkdir(path.join(dir, 'certs'));
  await writeFile(path.join(dir, 'secrets/credentials.yaml'), 'username: depot-north\npassword: s3cret\n');
  await writeFile(path.join(dir, 'certs/ca.pem'), '-----BEGIN CERTIFICATE-----\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let fileCounter = 0;
async function writeConfig(text: string): Promise<string> {
  const file = path.join(dir, `gateway-${++fileCounter}.yaml`);
  await writeFile(file, text);
  return file;
}

async function loadError(text: string): Promise<ConfigFileError> {
  const file = await writeConfig(text);
  const err = await loadGatewayConfig(file, registry).then(() => undefined, (e: unknown) => e);
  if (!(err instanceof ConfigFileError)) throw new Error(`expected a ConfigFileError, got ${String(err)}`);
  return err;
}

describe('loadGatewayConfig: a good file', () => {
  it('resolves paths against the file, parses sizes and durations, reads the credentials, applies defaults', async () => {
    const file = await writeConfig(GOOD);
    const config = await loadGatewayConfig(file, registry);
    expect(config.file).toBe(file);
    expect(config.uplink).toEqual({
      url: 'mqtts://broker.example.com:8883',
      clientId: 'depot-north',
      credentials: { username: 'depot-north', password: 's3cret' },
      credentialsFile: path.join(dir, 'secrets/credentials.yaml'),
      tls: { ca: path.join(dir, 'certs/ca.pem') },
      keepaliveSeconds: 60,
    });
    expect(config.dataDir).toBe(path.join(dir, 'data'));
    expect(config.outbox).toEqual({ path: path.join(dir, 'data', 'outbox.sqlite'), maxBytes: 32 * 1024 * 1024, maxAgeMs: 3 * 86_400_000 });
    expect(config.log.level).toBe('info');
    expect(config.health.intervalMs).toBe(60_000);
    expect(config.managed.buses[0]).toMatchObject({ id: 'rs485-1', kind: 'rtu', baud: 19200, parity: 'even', timeout: '500ms' });
    expect(config.managed.devices.map((d) => d.id)).toEqual(['lift-a', 'lift-b', 'meter', 'tank']);
    expect(config.managed.polling.fast).toBe('1s');
    expect(config.managed.schedules).toHaveLength(1);
  });

  it('is deeply frozen', async () => {
    const config = await loadGatewayConfig(await writeConfig(GOOD), registry);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.managed.devices[0])).toBe(true);
    expect(Object.isFrozen(config.uplink.credentials)).toBe(true);
  });

  it('loads the shipped example (with its referenced files present)', async () => {
    const example = path.resolve(import.meta.dirname, '../../examples/gateway.yaml');
    const copyDir = await mkdtemp(path.join(dir, 'example-'));
    const { readFile } = await import('node:fs/promises');
    await writeFile(path.join(copyDir, 'gateway.yaml'), await readFile(example, 'utf8'));
    await writeFile(path.join(copyDir, 'credentials.yaml'), '{"username": "u", "password": "p"}');
    await mkdir(path.join(copyDir, 'certs'));
    await writeFile(path.join(copyDir, 'certs/fleet-ca.pem'), 'x');
    const config = await loadGatewayConfig(path.join(copyDir, 'gateway.yaml'), registry);
    expect(config.gateway.id).toBe('depot-north');
    expect(config.uplink.credentials).toEqual({ username: 'u', password: 'p' });
  });
});

/**
 * Each case edits one line of GOOD; the edited line ends with "#!", and the error must point at
 * that line (found by the marker, not hard-coded) with the expected field path.
 */
const BROKEN: Array<{ name: string; from: string; to: string; path: string; message: RegExp }> = [
  { name: 'unknown key', from: '    baud: 19200\n', to: '    baudrate: 19200 #!\n', path: 'buses[0].baudrate', message: /unknown field/ },
  { name: 'unknown top-level key', from: 'outbox:\n', to: 'outbx: #!\n  maxSize: 1MB\noutbox:\n', path: 'outbx', message: /unknown field/ },
  { name: 'unknown bus', from: '    bus: plant\n', to: '    bus: plantroom #!\n', path: 'devices[2].bus', message: /unknown bus "plantroom"/ },
  { name: 'unknown profile', from: '    profile: aquametrix-um50\n', to: '    profile: aquametrix-um99 #!\n', path: 'devices[2].profile', message: /unknown profile "aquametrix-um99"/ },
  { name: 'duplicate unit on an RTU bus', from: '    unit: 2\n', to: '    unit: 1 #!\n', path: 'devices[1].unit', message: /already device "lift-a"/ },
  { name: 'unit 0 on RTU', from: '    unit: 1\n', to: '    unit: 0 #!\n', path: 'devices[0].unit', message: /1\.\.247/ },
  { name: 'duplicate device id', from: '  - id: lift-b\n', to: '  - id: lift-a #!\n', path: 'devices[1].id', message: /duplicate device id/ },
  { name: 'bad cron', from: '    cron: "0 0 * * *"\n', to: '    cron: "61 0 * * *" #!\n', path: 'schedules[0].cron', message: /invalid cron/ },
  { name: 'schedule point no device has', from: '    points: [total-volume]\n', to: '    points: [floor] #!\n', path: 'schedules[0].points[0]', message: /point "floor"/ },
  { name: 'poll override for a class the profile does not use', from: '    profile: normal-only\n', to: '    profile: normal-only\n    poll: { slow: 5m } #!\n', path: 'devices[3].poll.slow', message: /no "slow" points/ },
  { name: 'bad URL scheme', from: '  url: mqtts://broker.example.com:8883\n', to: '  url: http://broker.example.com #!\n', path: 'uplink.url', message: /mqtt:\/\/ or mqtts:\/\// },
  { name: 'missing credentials file', from: '  credentialsFile: secrets/credentials.yaml\n', to: '  credentialsFile: secrets/nope.yaml #!\n', path: 'uplink.credentialsFile', message: /file not found: .*nope\.yaml/ },
  { name: 'tls with mqtt://', from: '  url: mqtts://broker.example.com:8883\n  credentialsFile: secrets/credentials.yaml\n  tls: { ca: certs/ca.pem }\n', to: '  url: mqtt://broker.example.com\n  credentialsFile: secrets/credentials.yaml\n  tls: { ca: certs/ca.pem } #!\n', path: 'uplink.tls', message: /not mqtts/ },
  { name: 'bad size', from: '  maxSize: 32MB\n', to: '  maxSize: 32 megs #!\n', path: 'outbox.maxSize', message: /size/ },
  { name: 'missing gateway id', from: '  id: depot-north\n', to: '  name: depot-north #!\n', path: 'gateway.name', message: /unknown field/ },
];

describe('loadGatewayConfig: broken files name file, line and field', () => {
  it.each(BROKEN)('$name', async ({ from, to, path: field, message }) => {
    expect(GOOD).toContain(from);
    const text = GOOD.replace(from, to);
    const line = text.split('\n').findIndex((l) => l.endsWith('#!')) + 1;
    const err = await loadError(text);
    expect(err.code).toBe('CONFIG_INVALID');
    const issue = err.issues.find((i) => i.path === field);
    expect(issue, `issues were: ${err.message}`).toBeDefined();
    expect(issue?.line).toBe(line);
    expect(issue?.message).toMatch(message);
    expect(issue?.file).toMatch(/gateway-\d+\.yaml$/);
    expect(err.message).toContain(`${issue?.file}:${line}:`);
  });

  it('reports a missing required field at its parent', async () => {
    const err = await loadError(GOOD.replace('  id: depot-north\n', '  {}\n').replace('gateway:\n  {}\n', 'gateway: {}\n'));
    expect(err.issues.map((i) => [i.path, i.line, i.message])).toContainEqual(['gateway.id', 1, 'required field is missing']);
  });

  it('reports every issue at once, in line order', async () => {
    const text = GOOD.replace('    bus: plant\n', '    bus: nowhere\n').replace('    cron: "0 0 * * *"\n', '    cron: "nope"\n');
    const err = await loadError(text);
    expect(err.issues.map((i) => i.path)).toEqual(['devices[2].bus', 'schedules[0].cron']);
  });

  it('names the credentials file, with its line, when its content is invalid', async () => {
    await writeFile(path.join(dir, 'secrets/bad.yaml'), 'username: x\npasswd: y\n');
    const err = await loadError(GOOD.replace('secrets/credentials.yaml', 'secrets/bad.yaml'));
    expect(err.issues.map((i) => [path.basename(i.file), i.path, i.line])).toEqual([
      ['bad.yaml', 'password', 1],
      ['bad.yaml', 'passwd', 2],
    ]);
  });

  it('refuses a file that is not YAML with CONFIG_YAML and a line', async () => {
    const err = await loadError('gateway:\n  id: [unclosed\n');
    expect(err.code).toBe('CONFIG_YAML');
    expect(err.issues[0]?.line).toBeGreaterThan(0);
  });

  it('refuses a missing config file with CONFIG_UNREADABLE naming it', async () => {
    const missing = path.join(dir, 'absent.yaml');
    const err = await loadGatewayConfig(missing, registry).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe('CONFIG_UNREADABLE');
    expect((err as GatewayError).message).toContain(missing);
  });
});
