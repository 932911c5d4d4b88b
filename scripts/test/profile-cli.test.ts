import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { builtinProfilesDir, loadBuiltinProfiles, profileJsonSchema } from '@edgefleet/device-profiles';
import { main } from '../src/cli/main.js';

const BROKEN = fileURLToPath(new URL('../../device-profiles/test/fixtures/broken/', import.meta.url));

let stdout = '';
let stderr = '';

/** Runs `fleet profile ...` in-process; stdout/stderr are captured by the spies below. */
async function fleet(...args: string[]): Promise<number> {
  return main(['node', 'fleet', 'profile', ...args]);
}

beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'fleet-profile-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const builtins = loadBuiltinProfiles();
const [first] = builtins;
if (!first) throw new Error('no built-in profiles to test with');
const firstFile = path.join(builtinProfilesDir(), `${first.id}.yaml`);

describe('fleet profile validate', () => {
  it('accepts a good profile and summarises it', async () => {
    expect(await fleet('validate', firstFile)).toBe(0);
    const summary = `${first.id} v${first.version}, ${first.points.length} points, ${first.alarms.length} alarms, ${first.commands.length} commands`;
    expect(stdout).toContain(`ok  ${firstFile} (${summary})`);
  });

  it('rejects a broken profile with file:line:col, field and message, and exits 1', async () => {
    const broken = path.join(BROKEN, 'unknown-key.yaml');
    const ok = path.join(BROKEN, 'overlapping-points.yaml');
    expect(await fleet('validate', firstFile, broken, ok)).toBe(1);
    expect(stdout).toContain(`${broken}:13:5  points[0].scaling  unknown field "scaling"`);
    expect(stdout).toMatch(/overlapping-points\.yaml:16:\d+ {2}points\[1\]\.address {2}load overlaps trips/);
    expect(stdout).toContain(`ok  ${firstFile}`);
    expect(stderr).toContain('2 of 3 profile files failed validation');
  });

  it('reports the same id declared by two files', async () => {
    const copy = path.join(tmp, 'copy.yaml');
    await writeFile(copy, await readFile(firstFile, 'utf8'));
    expect(await fleet('validate', firstFile, copy)).toBe(1);
    expect(stdout).toMatch(new RegExp(`copy\\.yaml:\\d+:\\d+ {2}id {2}duplicate profile id "${first.id}"`));
  });

  it('validates every profile of a directory', async () => {
    expect(await fleet('validate', builtinProfilesDir())).toBe(0);
    const ok = stdout.trimEnd().split('\n').filter((line) => line.startsWith('ok  '));
    expect(ok).toHaveLength(builtins.length);
  });

  it('reports a file it cannot read', async () => {
    expect(await fleet('validate', path.join(tmp, 'missing.yaml'))).toBe(1);
    expect(stdout).toContain('missing.yaml  cannot read: ENOENT');
  });
});

describe('fleet profile list', () => {
  it('lists the built-in profiles of all four families', async () => {
    expect(await fleet('list')).toBe(0);
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^id\s+family\s+vendor\s+model\s+version\s+points\s+alarms\s+commands$/);
    expect(rows).toHaveLength(builtins.length);
    for (const family of ['elevator', 'parking', 'water-meter', 'signal-cabinet']) expect(stdout).toContain(family);
  });

  it('prints JSON with --json and includes profiles from --dir', async () => {
    const custom = (await readFile(firstFile, 'utf8')).replace(/^id: .*$/m, 'id: site-custom');
    const dir = await mkdtemp(path.join(tmp, 'site-'));
    await writeFile(path.join(dir, 'site-custom.yaml'), custom);
    expect(await fleet('list', '--json', '--dir', dir)).toBe(0);
    const listed = JSON.parse(stdout) as { id: string; points: number }[];
    expect(listed.map((p) => p.id)).toContain('site-custom');
    expect(listed.find((p) => p.id === first.id)?.points).toBe(first.points.length);
  });
});

describe('fleet profile show', () => {
  it('prints identity and a row per point', async () => {
    expect(await fleet('show', first.id)).toBe(0);
    expect(stdout).toContain(`${first.id} v${first.version}: ${first.vendor} ${first.model} (${first.family})`);
    for (const point of first.points) {
      expect(stdout).toMatch(new RegExp(`\\n {2}${point.id}\\s+${point.table}\\s+${point.address}\\s`));
    }
    expect(stdout).toContain(`alarms (${first.alarms.length})`);
  });

  it('names the known profiles when the id is unknown', async () => {
    expect(await fleet('show', 'no-such-profile')).toBe(1);
    expect(stderr).toContain('unknown profile "no-such-profile"');
    expect(stderr).toContain(first.id);
  });
});

describe('fleet profile json-schema', () => {
  it('prints the schema generated from zod', async () => {
    expect(await fleet('json-schema')).toBe(0);
    expect(JSON.parse(stdout)).toEqual(profileJsonSchema());
  });
});
