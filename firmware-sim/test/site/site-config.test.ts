import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigFileError } from '@edgefleet/device-profiles';
import { exampleSiteFile, loadSiteFile } from '../../src/site/load-site.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'site-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const GOOD = `name: test site
transports:
  - { id: tcp-a, kind: tcp, port: 0 }
devices:
  - { id: lift-a, profile: liftronic-lmi-200, transport: tcp-a, unit: 1 }
`;

async function load(text: string): Promise<unknown> {
  const file = path.join(dir, `site-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, text);
  return loadSiteFile(file);
}

async function issuesOf(text: string): Promise<ConfigFileError> {
  const err: unknown = await load(text).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigFileError);
  return err as ConfigFileError;
}

describe('site files', () => {
  it('loads the shipped example site with all four families', async () => {
    const site = await loadSiteFile(exampleSiteFile());
    expect(site.devices.map((d) => d.profile)).toEqual(
      expect.arrayContaining(['liftronic-lmi-200', 'aquametrix-um50', 'parksense-pgc-128', 'semaforo-tsc-8']),
    );
    expect(Object.isFrozen(site)).toBe(true);
  });

  it('applies defaults', async () => {
    const site = (await load(GOOD)) as { tick: string; control: { port: number } };
    expect(site.tick).toBe('200ms');
    expect(site.control.port).toBe(0);
  });

  it.each([
    ['an unknown key', GOOD.replace('name: test site', 'name: test site\nnmae: typo'), 2, 'nmae', 'unknown field'],
    ['an unknown transport', GOOD.replace('transport: tcp-a', 'transport: tcp-b'), 5, 'devices[0].transport', 'unknown transport "tcp-b"'],
    [
      'a unit used twice on one transport',
      `${GOOD}  - { id: lift-b, profile: liftronic-lmi-200, transport: tcp-a, unit: 1 }\n`,
      6,
      'devices[1].unit',
      'unit 1 is already used',
    ],
    ['a unit out of 1..247', GOOD.replace('unit: 1', 'unit: 248'), 5, 'devices[0].unit', '247'],
    ['a bad baud rate', GOOD.replace('{ id: tcp-a, kind: tcp, port: 0 }', '{ id: rs, kind: rtu, baud: 9601 }').replace('tcp-a, unit', 'rs, unit'), 3, 'transports[0].baud', 'standard baud'],
  ])('rejects %s with its line and field', async (_name, text, line, field, message) => {
    const err = await issuesOf(text);
    expect(err.code).toBe('CONFIG_INVALID');
    const issue = err.issues.find((i) => i.path.includes(field));
    expect(issue, err.message).toBeDefined();
    expect(issue?.line).toBe(line);
    expect(issue?.message).toContain(message);
    expect(err.message).toContain(`:${line}:`);
  });

  it('reports YAML syntax errors with a line', async () => {
    const err = await issuesOf('name: [unclosed\ntransports: []\n');
    expect(err.code).toBe('CONFIG_YAML');
    expect(err.issues[0]?.line).toBeGreaterThan(0);
  });

  it('says which file it could not read', async () => {
    await expect(loadSiteFile(path.join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: ENOENT/);
  });
});
