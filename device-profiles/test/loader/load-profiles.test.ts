import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigFileError, ProfileError, ProfileRegistry, loadProfilesFrom, parseProfile, parseYamlConfig } from '../../src/index.js';
import { profileYaml } from './profile-text.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'profiles-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function rejection(run: () => unknown): ProfileError {
  try {
    run();
  } catch (err) {
    if (err instanceof ProfileError) return err;
    throw err;
  }
  throw new Error('accepted');
}

describe('loadProfilesFrom', () => {
  it('loads every .yaml and .yml file in name order and ignores other files', async () => {
    await writeFile(path.join(dir, 'b.yaml'), profileYaml('b'));
    await writeFile(path.join(dir, 'a.yml'), profileYaml('a'));
    await writeFile(path.join(dir, 'notes.txt'), 'not a profile');
    expect(loadProfilesFrom(dir).map((p) => p.id)).toEqual(['a', 'b']);
  });

  it('reports the issues of every broken file, not only the first', async () => {
    await writeFile(path.join(dir, 'a.yaml'), profileYaml('a').replace('type: int16', 'type: int12'));
    await writeFile(path.join(dir, 'b.yaml'), profileYaml('b').replace('unit: °C', 'unit: furlong'));
    const error = rejection(() => loadProfilesFrom(dir));
    expect(error.code).toBe('PROFILE_INVALID');
    expect(error.issues.map((i) => [path.basename(i.file), i.path])).toEqual([
      ['a.yaml', 'points[0].type'],
      ['b.yaml', 'points[0].unit'],
    ]);
  });

  it('refuses a file not named after its profile id', async () => {
    await writeFile(path.join(dir, 'lift.yaml'), profileYaml('elevator-x'));
    const [issue] = rejection(() => loadProfilesFrom(dir)).issues;
    expect(issue).toMatchObject({ path: 'id', line: 2 });
    expect(issue?.message).toContain('must be named elevator-x.yaml');
  });

  it('refuses two files declaring the same id, naming both places', async () => {
    await writeFile(path.join(dir, 'same.yaml'), profileYaml('same'));
    await writeFile(path.join(dir, 'same.yml'), profileYaml('same'));
    const error = rejection(() => loadProfilesFrom(dir));
    expect(error.code).toBe('PROFILE_DUPLICATE');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.file).toBe(path.join(dir, 'same.yml'));
    expect(error.issues[0]?.message).toContain(`already declared at ${path.join(dir, 'same.yaml')}:2:5`);
  });
});

describe('ProfileRegistry', () => {
  const a = parseProfile(profileYaml('a'), 'a.yaml');
  const b = parseProfile(profileYaml('b'), 'b.yaml');

  it('finds profiles by id and lists them sorted', () => {
    const registry = new ProfileRegistry([b, a]);
    expect(registry.get('a')).toBe(a);
    expect(registry.list().map((p) => p.id)).toEqual(['a', 'b']);
    expect(registry.has('c')).toBe(false);
  });

  it('names the known ids when asked for an unknown one', () => {
    const error = rejection(() => new ProfileRegistry([a, b]).get('c'));
    expect(error.code).toBe('PROFILE_NOT_FOUND');
    expect(error.message).toBe('unknown profile "c"; known profiles: a, b');
  });

  it('refuses duplicate ids', () => {
    const error = rejection(() => new ProfileRegistry([a, a]));
    expect(error.code).toBe('PROFILE_DUPLICATE');
    expect(error.message).toBe('duplicate profile id "a"');
  });
});

describe('parseYamlConfig', () => {
  const Site = z.strictObject({ name: z.string(), port: z.int().min(0).max(65535) });

  it('parses and freezes a valid config', () => {
    const site = parseYamlConfig('name: x\nport: 502\n', 'site.yaml', Site);
    expect(site).toEqual({ name: 'x', port: 502 });
    expect(Object.isFrozen(site)).toBe(true);
  });

  it('locates schema issues like the profile loader does', () => {
    try {
      parseYamlConfig('name: x\nport: 70000\nextra: 1\n', 'site.yaml', Site);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigFileError);
      const { code, issues } = err as ConfigFileError;
      expect(code).toBe('CONFIG_INVALID');
      expect(issues.map((i) => `${i.line}:${i.column} ${i.path}`)).toEqual(['2:7 port', '3:1 extra']);
    }
  });
});
