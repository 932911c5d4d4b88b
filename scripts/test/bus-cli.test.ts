import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileRegistry, loadBuiltinProfiles, parseProfile } from '@edgefleet/device-profiles';
import { SimSite, SiteConfig } from '@edgefleet/firmware-sim';

// `fleet scan/read/write/decode` as an engineer runs them: the real binary in its own process,
// against firmware-sim over Modbus TCP and over RTU on a socat PTY pair (paced like a real line).
const run = promisify(execFile);
const FLEET = fileURLToPath(new URL('../bin/fleet.js', import.meta.url));
/** The CPU is shared: tsx start-up alone can take seconds. */
const SLOW = 240_000;

interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

async function fleet(...args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [FLEET, ...args], { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 << 20 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

const registry = new ProfileRegistry(loadBuiltinProfiles());
/** 2026-01-15 10:00 UTC: any fixed instant will do, as long as it does not move. */
const FROZEN_CLOCK = Date.UTC(2026, 0, 15, 10);
let site: SimSite;
let tcpHost: string;
let rtuPath: string;

beforeAll(async () => {
  site = await SimSite.start(
    SiteConfig.parse({
      name: 'bus cli',
      tick: '100ms',
      transports: [
        { id: 'tcp-a', kind: 'tcp', port: 0 },
        { id: 'rs485', kind: 'rtu', baud: 19200, parity: 'even', turnaround: '1ms' },
      ],
      devices: [
        { id: 'cab-1', profile: 'semaforo-tsc-8', transport: 'tcp-a', unit: 5 },
        { id: 'park-1', profile: 'parksense-pgc-128', transport: 'tcp-a', unit: 9 },
        { id: 'lift-a', profile: 'liftronic-lmi-200', transport: 'rs485', unit: 1 },
        { id: 'water', profile: 'aquametrix-um50', transport: 'rs485', unit: 17 },
      ],
    }),
    // Models advance only when told, so what the CLI reads can equal the truth exactly. The
    // clock stands still too: the water temperature drifts with the time of day, and for about a
    // third of the values in 9..13 °C another order also gives a plausible float, so `fleet decode`
    // rightly answers "read again" — the decode test needs a value only one order explains.
    { profile: (id) => registry.get(id), autoTick: false, now: () => FROZEN_CLOCK },
  );
  for (const e of site.endpoints()) {
    if (e.kind === 'tcp') tcpHost = `${e.host}:${e.port}`;
    else rtuPath = e.masterPath ?? e.path;
  }
}, SLOW);

afterAll(async () => {
  await site?.stop();
});

const rtu = (): string[] => ['--port', rtuPath, '--baud', '19200', '--parity', 'even'];
/**
 * For reads and writes the sim answers: the profiles' response timeouts (500 ms for the lift)
 * are for real devices, and the sim runs in this test process, which a loaded CI box can starve
 * for longer; then the CLI reports comm-fail or no reply although nothing was wrong.
 */
const ANSWERED = ['--timeout', '5s'];

interface ScanJson {
  units: Array<{ unit: number; match?: { profile: string; confidence: number }; fc43: string }>;
  timing: { probes: number; lineMinimumMs?: number; elapsedMs: number };
}

describe('fleet scan', () => {
  it('finds exactly the TCP units among all 247 ids and matches each to its profile', async () => {
    const res = await fleet('scan', '--host', tcpHost, '--json');
    expect(res.code, res.stderr).toBe(0);
    const scan = JSON.parse(res.stdout) as ScanJson;
    expect(scan.timing.probes).toBe(247);
    expect(scan.units.map((u) => [u.unit, u.match?.profile])).toEqual([[5, 'semaforo-tsc-8'], [9, 'parksense-pgc-128']]);
    expect(scan.units.every((u) => (u.match?.confidence ?? 0) >= 0.9)).toBe(true);
  }, SLOW);

  it('finds exactly the RTU units on the PTY line and matches each to its profile', async () => {
    // A generous timeout: the sim shares a busy CPU with this test.
    const res = await fleet('scan', ...rtu(), '--units', '1-24', '--timeout', '150ms', '--json');
    expect(res.code, res.stderr).toBe(0);
    const scan = JSON.parse(res.stdout) as ScanJson;
    expect(scan.units.map((u) => [u.unit, u.match?.profile])).toEqual([[1, 'liftronic-lmi-200'], [17, 'aquametrix-um50']]);
    expect(scan.timing.lineMinimumMs).toBeGreaterThan(0);
  }, SLOW);

  it('prints a table and exits 4 when no unit answers', async () => {
    const found = await fleet('scan', '--host', tcpHost, '--units', '1-10');
    expect(found.stdout).toMatch(/^5\s+Semaforo Systems\s+TSC-8\s+5\.1\.2\s+semaforo-tsc-8\s+100%/m);
    const none = await fleet('scan', '--host', tcpHost, '--units', '100-102');
    expect(none.code).toBe(4);
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
  }, SLOW);
});

interface Reading {
  point: string;
  value: unknown;
  quality: string;
  raw?: number[];
}

describe('fleet read', () => {
  it('equals the ground truth over TCP', async () => {
    const res = await fleet('read', '--host', tcpHost, '--unit', '9', '--profile', 'parksense-pgc-128', ...ANSWERED, '--json');
    expect(res.code, res.stderr).toBe(0);
    const readings = JSON.parse(res.stdout) as Reading[];
    const truth = site.truth('park-1').values;
    expect(readings.every((r) => r.quality === 'good')).toBe(true);
    expect(Object.fromEntries(readings.map((r) => [r.point, r.value]))).toEqual(truth);
  }, SLOW);

  it('equals the ground truth over RTU, with the raw words on request', async () => {
    const res = await fleet('read', ...rtu(), '--unit', '1', '--profile', 'liftronic-lmi-200', ...ANSWERED, '--raw', '--json');
    expect(res.code, res.stderr).toBe(0);
    const readings = JSON.parse(res.stdout) as Reading[];
    expect(Object.fromEntries(readings.map((r) => [r.point, r.value]))).toEqual(site.truth('lift-a').values);
    expect(readings.every((r) => Array.isArray(r.raw) && r.raw.length > 0)).toBe(true);
  }, SLOW);

  it('--watch reads again each interval, one JSON line a round, until Ctrl-C', async () => {
    const child = spawn(process.execPath, [FLEET, 'read', '--host', tcpHost, '--unit', '5', '--profile', 'semaforo-tsc-8', '--points', 'mode', ...ANSWERED, '--watch', '200ms', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = once(child, 'exit');
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.split('\n').filter((l) => l !== '').length >= 2) resolve();
      });
      child.once('exit', (code) => reject(new Error(`fleet read --watch exited early with ${code}: ${out}`)));
    });
    child.kill('SIGINT');
    const [code] = await exited;
    expect(code).toBe(0);
    const rounds = out.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Reading[]);
    expect(rounds.length).toBeGreaterThanOrEqual(2);
    for (const round of rounds) expect(round).toEqual([expect.objectContaining({ point: 'mode', quality: 'good' })]);
  }, SLOW);

  it('prints a table with units for a subset of points', async () => {
    const res = await fleet('read', '--host', tcpHost, '--unit', '5', '--profile', 'semaforo-tsc-8', '--points', 'mode,cycle-length', ...ANSWERED);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^mode\s+\S+ \(\d\)\s+good$/m);
    expect(res.stdout).toMatch(/^cycle-length\s+\d+ s\s+good$/m);
  }, SLOW);
});

describe('fleet decode', () => {
  it('picks the word order of a word-swapped float read from the device', async () => {
    site.injectFault('water', 'word-swap');
    try {
      const read = await fleet('read', ...rtu(), '--unit', '17', '--profile', 'aquametrix-um50', '--points', 'water-temp', ...ANSWERED, '--raw', '--json');
      expect(read.code, read.stderr).toBe(0);
      const raw = (JSON.parse(read.stdout) as Reading[])[0]?.raw ?? [];
      expect(raw).toHaveLength(2);
      const words = raw.map((w) => `0x${w.toString(16)}`).join(',');
      const res = await fleet('decode', '--words', words, '--profile', 'aquametrix-um50', '--point', 'water-temp', '--json');
      expect(res.code, res.stderr).toBe(0);
      const decoded = JSON.parse(res.stdout) as { verdict: { order: string }; interpretations: Array<{ value: number; declared?: boolean }> };
      // The profile says low word first; the swapped device sends high word first.
      expect(decoded.verdict.order).toBe('big/big');
      expect(decoded.interpretations[0]?.value).toBe(site.truth('water').values['water-temp']);
      expect(decoded.interpretations[0]?.declared).toBeUndefined();
    } finally {
      site.clearFault('water', 'word-swap');
    }
  }, SLOW);

  it('lists every order and type for bare words', async () => {
    const res = await fleet('decode', '--words', '0x4148,0x0000', '--type', 'float32');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^float32\s+ABCD\s+big\/big\s+12\.5$/m);
    expect(res.stdout.trim().split('\n')).toHaveLength(5);
  }, SLOW);
});

describe('fleet write', () => {
  it('writes, reads back and the device holds the value', async () => {
    const res = await fleet('write', '--host', tcpHost, '--unit', '5', '--profile', 'semaforo-tsc-8', '--point', 'timing-plan', '--value', '4', ...ANSWERED, '--yes', '--json');
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ point: 'timing-plan', written: 4, readBack: 4, matches: true });
    site.step();
    expect(site.truth('cab-1').values['timing-plan']).toBe(4);
  }, SLOW);

  it('refuses read-only points, out-of-range values and unconfirmed writes', async () => {
    const base = ['write', '--host', tcpHost, '--unit', '5', '--profile', 'semaforo-tsc-8'];
    const readOnly = await fleet(...base, '--point', 'current-phase', '--value', '1', '--yes');
    expect([readOnly.code, readOnly.stderr]).toEqual([2, expect.stringContaining('read-only')]);
    const outOfRange = await fleet(...base, '--point', 'timing-plan', '--value', '9', '--yes');
    expect([outOfRange.code, outOfRange.stderr]).toEqual([2, expect.stringContaining('outside its limits 1..8')]);
    const unconfirmed = await fleet(...base, '--point', 'timing-plan', '--value', '2');
    expect([unconfirmed.code, unconfirmed.stderr]).toEqual([6, expect.stringContaining('pass --yes')]);
  }, SLOW);
});

describe('fleet profile new --from-scan', () => {
  it('scaffolds a valid profile from the identification and a register dump, and never overwrites', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-profile-new-'));
    try {
      const out = path.join(dir, 'tsc.yaml');
      const args = ['profile', 'new', '--from-scan', '--host', tcpHost, '--unit', '5', '--id', 'tsc-scaffold', '--family', 'signal-cabinet', '--registers', 'holding:0-3', '--out', out];
      const res = await fleet(...args);
      expect(res.code, res.stderr).toBe(0);
      const profile = parseProfile(await readFile(out, 'utf8'), out);
      expect(profile.identification).toMatchObject({ vendorName: 'Semaforo Systems', productCode: 'TSC-8', revision: '5.1.2' });
      const truthMode = site.truth('cab-1').values.mode;
      expect(profile.points.map((p) => p.id)).toEqual(['holding-0', 'holding-1', 'holding-2', 'holding-3']);
      expect(await readFile(out, 'utf8')).toContain(`type: uint16 # read ${String(truthMode)} `);
      const again = await fleet(...args);
      expect([again.code, again.stderr]).toEqual([2, expect.stringContaining('exists; not overwriting')]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, SLOW);
});

describe('bad input: one line on stderr, a documented non-zero exit code', () => {
  it.concurrent.each([
    ['unknown profile', ['read', '--host', '127.0.0.1:1', '--unit', '1', '--profile', 'no-such-model'], 2, 'unknown profile "no-such-model"'],
    ['unit 0', ['read', '--port', '/dev/null', '--unit', '0', '--profile', 'liftronic-lmi-200'], 2, '--unit must be a unit id 1..247, got "0"'],
    ['unit 248', ['write', '--port', '/dev/null', '--unit', '248', '--profile', 'semaforo-tsc-8', '--point', 'mode', '--value', '1'], 2, 'got "248"'],
    ['units 0 in a scan range', ['scan', '--port', '/dev/null', '--units', '0-5'], 2, 'got "0"'],
    ['a serial port that does not exist', ['read', '--port', '/dev/ttyEDGEFLEET-NONE', '--unit', '1', '--profile', 'liftronic-lmi-200'], 3, 'serial port /dev/ttyEDGEFLEET-NONE does not exist'],
    ['a scan of a port that does not exist', ['scan', '--port', '/dev/ttyEDGEFLEET-NONE'], 3, 'does not exist'],
    ['a TCP port nobody listens on', ['scan', '--host', '127.0.0.1:1'], 3, 'cannot connect to Modbus TCP 127.0.0.1:1'],
    ['words that are not registers', ['decode', '--words', '0x12345'], 2, 'is not a 16-bit register'],
  ])('%s', async (_name, args, code, message) => {
    const res = await fleet(...args);
    expect(res.code).toBe(code);
    expect(res.stderr).toContain(message);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  }, SLOW);
});
