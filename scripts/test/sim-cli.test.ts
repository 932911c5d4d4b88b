import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const FLEET = fileURLToPath(new URL('../bin/fleet.js', import.meta.url));

const SITE = `name: cli test site
tick: 100ms
transports:
  - { id: tcp-a, kind: tcp, port: 0 }
  - { id: rs485, kind: rtu, baud: 115200, turnaround: 1ms }
devices:
  - { id: cab-1, profile: semaforo-tsc-8, transport: tcp-a, unit: 5 }
  - { id: lift-a, profile: liftronic-lmi-200, transport: rs485, unit: 1 }
`;

let dir: string;
let sim: ChildProcess;
let output = '';
const env = (): NodeJS.ProcessEnv => ({ ...process.env, XDG_RUNTIME_DIR: dir, FLEET_SIM_URL: '' });

/** Resolves once the sim has printed its "Ctrl-C" line, i.e. everything is listening. */
async function startSim(siteFile: string): Promise<void> {
  sim = spawn(process.execPath, [FLEET, 'sim', '--site', siteFile], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  sim.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise<void>((resolve, reject) => {
    sim.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('Ctrl-C')) resolve();
    });
    sim.once('exit', (code) => reject(new Error(`fleet sim exited with ${code}: ${stderr}`)));
  });
}

async function fleet(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [FLEET, ...args], { env: env() });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-sim-cli-'));
  const siteFile = path.join(dir, 'site.yaml');
  await writeFile(siteFile, SITE);
  await startSim(siteFile);
}, 60_000);

afterAll(async () => {
  if (sim.exitCode === null) {
    sim.kill('SIGINT');
    await once(sim, 'exit');
  }
  await rm(dir, { recursive: true, force: true });
});

describe('fleet sim', () => {
  it('prints the control URL, both transports and mbpoll examples', () => {
    expect(output).toMatch(/control\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/tcp-a\s+modbus tcp\s+127\.0\.0\.1:\d+\s+units 5=cab-1/);
    expect(output).toMatch(/rs485\s+modbus rtu\s+\S+ @ 115200 none\s+units 1=lift-a/);
    expect(output).toContain('mbpoll -m tcp');
  });

  it('answers a third-party master (mbpoll) on the printed TCP port', async () => {
    const port = /modbus tcp\s+127\.0\.0\.1:(\d+)/.exec(output)?.[1];
    const { stdout } = await run('mbpoll', ['-m', 'tcp', '-p', String(port), '-a', '5', '-t', '4', '-r', '1', '-c', '4', '-1', '127.0.0.1']);
    expect(stdout).toMatch(/\[1\]:\s+-?\d+/);
  });

  it('injects, lists and clears faults from another process through the runtime file', async () => {
    const injected = await fleet('sim', 'fault', 'cab-1', 'exception', '--param', 'code=6');
    expect(injected.code, injected.stderr).toBe(0);
    expect(JSON.parse(injected.stdout)).toEqual({ active: ['exception'] });

    const port = /modbus tcp\s+127\.0\.0\.1:(\d+)/.exec(output)?.[1];
    const polled = await run('mbpoll', ['-m', 'tcp', '-p', String(port), '-a', '5', '-t', '4', '-r', '1', '-c', '1', '-1', '127.0.0.1']).then(
      (r) => r.stdout + r.stderr,
      (e: { stdout: string; stderr: string }) => e.stdout + e.stderr,
    );
    expect(polled).toMatch(/busy|exception|Slave device/i);

    const devices = await fleet('sim', 'devices');
    expect(JSON.parse(devices.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'cab-1', faults: ['exception'] })]));

    const cleared = await fleet('sim', 'fault', 'cab-1', '--clear');
    expect(JSON.parse(cleared.stdout)).toEqual({ active: [] });
  });

  it('shows ground truth and names unknown devices and faults clearly', async () => {
    const truth = await fleet('sim', 'truth', 'lift-a');
    expect(JSON.parse(truth.stdout)).toMatchObject({ id: 'lift-a', family: 'elevator' });
    const unknown = await fleet('sim', 'fault', 'lift-z', 'timeout');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no device "lift-z"');
    const badFault = await fleet('sim', 'fault', 'lift-a', 'gremlins');
    expect(badFault.stderr).toMatch(/unknown fault "gremlins" \(known: .*timeout/);
  });

  it('refuses a broken site file naming the line and field', async () => {
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(bad, SITE.replace('unit: 5', 'unit: 500'));
    const res = await fleet('sim', '--site', bad);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(`${bad}:7:`);
    expect(res.stderr).toContain('devices[0].unit');
  });
});
