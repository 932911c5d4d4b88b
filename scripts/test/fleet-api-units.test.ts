import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import qrcode from 'qrcode-generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, EXIT } from '../src/cli/cli-error.js';
import { busFromOptions } from '../src/cli/commands/bus.js';
import { parseParam } from '../src/cli/commands/cmd.js';
import { parsePhone } from '../src/cli/commands/contact.js';
import { credentialsPath, readStoredLogin, writeStoredLogin } from '../src/cli/fleet-api/credentials-file.js';
import { apiClientFor, parseServerUrl } from '../src/cli/fleet-api/server-options.js';
import { renderQr } from '../src/cli/fleet-api/terminal-qr.js';
import { TargetExistsError, writeFilesAtomically } from '../src/cli/fleet-api/write-files-atomically.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-api-units-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const usage = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT.usage);
    return `${(err as CliError).message} | ${(err as CliError).hint ?? ''}`;
  }
  throw new Error('expected a usage error');
};

describe('parsePhone (E.164)', () => {
  it.each(['+4915112345678', '+12025550143', ' +4930123456 '])('accepts %j', (text) => {
    expect(parsePhone(text)).toBe(text.trim());
  });
  it.each([
    ['+49 151 1234 5678', 'without spaces or punctuation: +4915112345678'],
    ['(+1) 202-555-0143', 'without spaces or punctuation: +12025550143'],
    ['0151 12345678', 'E.164 is "+", the country code'],
    ['+0151123456', 'E.164 is "+", the country code'],
    ['+1234567890123456', 'E.164 is "+", the country code'],
  ])('refuses %j with the hint %j', (text, hint) => {
    expect(usage(() => parsePhone(text))).toContain(hint);
  });
});

describe('parseParam', () => {
  it.each([
    ['on=true', ['on', true]],
    ['level=-2.5', ['level', -2.5]],
    ['mode=flash', ['mode', 'flash']],
    ['note=', ['note', '']],
    ['code=007x', ['code', '007x']],
  ])('%j → %j', (text, pair) => {
    expect(parseParam(text)).toEqual(pair);
  });
  it.each(['=1', 'noequals', 'Bad=1'])('refuses %j', (text) => {
    expect(usage(() => parseParam(text))).toContain('--param must be key=value');
  });
});

describe('busFromOptions', () => {
  const base = { gateway: 'gw', id: 'plant', wait: '30s' };
  it('builds a TCP bus (port 502 unless given) and an RTU bus', () => {
    expect(busFromOptions({ ...base, tcp: '10.0.0.5' })).toEqual({ id: 'plant', kind: 'tcp', host: '10.0.0.5', port: 502 });
    expect(busFromOptions({ ...base, tcp: 'plc.local:1502', timeout: '2s' })).toEqual({ id: 'plant', kind: 'tcp', host: 'plc.local', port: 1502, timeout: '2s' });
    expect(busFromOptions({ ...base, rtu: '/dev/ttyUSB0', baud: '19200', parity: 'none' })).toEqual({ id: 'plant', kind: 'rtu', path: '/dev/ttyUSB0', baud: 19200, parity: 'none' });
  });
  it.each([
    [{}, 'exactly one of --tcp'],
    [{ tcp: 'a', rtu: '/dev/x' }, 'exactly one of --tcp'],
    [{ tcp: 'host:99999' }, '--tcp must be HOST or HOST:PORT'],
    [{ tcp: 'host', baud: '9600' }, '--baud and --parity are for --rtu'],
    [{ rtu: '/dev/x', parity: 'mark' }, '--parity must be none, even or odd'],
    [{ rtu: '/dev/x', baud: 'fast' }, '--baud must be a number'],
  ])('refuses %j', (extra, message) => {
    expect(usage(() => busFromOptions({ ...base, ...extra }))).toContain(message);
  });
});

describe('renderQr', () => {
  it('draws exactly the modules of the QR code, two rows a line, with a quiet zone', () => {
    const text = 'fleet gateway enroll --server http://fleet.example.com:8080 --token efe_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
    const rendered = renderQr(text, { ansi: false }).replace(/\n$/, '').split('\n');
    const qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    const size = qr.getModuleCount();
    const q = 2;
    expect(rendered).toHaveLength(Math.ceil((size + 2 * q) / 2));
    for (let row = 0; row < size; row += 1) {
      for (let col = 0; col < size; col += 1) {
        const ch = [...(rendered[Math.floor((row + q) / 2)] ?? '')][col + q];
        const isUpper = (row + q) % 2 === 0;
        const dark = isUpper ? ch === '█' || ch === '▀' : ch === '█' || ch === '▄';
        expect(dark, `module ${row},${col}`).toBe(qr.isDark(row, col));
      }
    }
  });
  it('forces black on white with ansi', () => {
    const first = renderQr('x', { ansi: true }).split('\n')[0] ?? '';
    expect(first.startsWith('\u001b[30;47m') && first.endsWith('\u001b[0m')).toBe(true);
  });
});

describe('writeFilesAtomically', () => {
  it('writes every file with its mode, and refuses existing targets without touching them', async () => {
    const a = path.join(dir, 'w1', 'credentials.yaml');
    const b = path.join(dir, 'w1', 'gateway.yaml');
    await writeFilesAtomically([{ path: a, text: 'secret', mode: 0o600 }, { path: b, text: 'config', mode: 0o644 }], { overwrite: false });
    expect((await stat(a)).mode & 0o777).toBe(0o600);
    expect(await readFile(b, 'utf8')).toBe('config');
    await expect(writeFilesAtomically([{ path: a, text: 'other', mode: 0o600 }], { overwrite: false })).rejects.toBeInstanceOf(TargetExistsError);
    expect(await readFile(a, 'utf8')).toBe('secret');
    await writeFilesAtomically([{ path: a, text: 'new', mode: 0o600 }], { overwrite: true });
    expect(await readFile(a, 'utf8')).toBe('new');
    expect((await readdir(path.join(dir, 'w1'))).sort()).toEqual(['credentials.yaml', 'gateway.yaml']);
  });

  it('leaves nothing behind when a later file cannot be written', async () => {
    const blocker = path.join(dir, 'w2', 'not-a-dir');
    await writeFilesAtomically([{ path: blocker, text: 'x', mode: 0o644 }], { overwrite: false });
    const first = path.join(dir, 'w2', 'credentials.yaml');
    // The second file's directory is a regular file: mkdir fails after the first temp file exists.
    await expect(writeFilesAtomically([
      { path: first, text: 'secret', mode: 0o600 }, { path: path.join(blocker, 'gateway.yaml'), text: 'c', mode: 0o644 },
    ], { overwrite: false })).rejects.toThrow();
    expect(await readdir(path.join(dir, 'w2'))).toEqual(['not-a-dir']);
  });
});

describe('credentials and server selection', () => {
  it('puts credentials under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(credentialsPath({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/ann' })).toBe('/x/cfg/edgefleet/credentials.json');
    expect(credentialsPath({ HOME: '/home/ann' })).toBe('/home/ann/.config/edgefleet/credentials.json');
    // The XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored.
    expect(credentialsPath({ XDG_CONFIG_HOME: 'rel', HOME: '/home/ann' })).toBe('/home/ann/.config/edgefleet/credentials.json');
  });

  it('normalises server URLs and refuses other schemes', () => {
    expect(parseServerUrl('fleet.example.com:8080')).toBe('http://fleet.example.com:8080');
    expect(parseServerUrl('https://fleet.example.com/')).toBe('https://fleet.example.com');
    expect(usage(() => parseServerUrl('mqtt://fleet.example.com'))).toContain('--server must be an http:// or https:// URL');
  });

  it('takes the option, then the environment, then the stored login (its token only for its own server)', async () => {
    const env = { XDG_CONFIG_HOME: path.join(dir, 'cfg'), HOME: dir };
    await expect(apiClientFor({}, env)).rejects.toMatchObject({ exitCode: EXIT.usage, message: 'no fleet server given' });
    await writeStoredLogin(credentialsPath(env), { server: 'http://a.example:8080', token: 'ef_stored' });
    expect((await stat(credentialsPath(env))).mode & 0o777).toBe(0o600);
    expect((await readStoredLogin(credentialsPath(env)))?.token).toBe('ef_stored');
    expect((await apiClientFor({}, env)).server).toBe('http://a.example:8080');
    await expect(apiClientFor({}, { ...env, EDGEFLEET_SERVER: 'http://b.example' })).rejects.toMatchObject({ exitCode: EXIT.auth });
    expect((await apiClientFor({}, { ...env, EDGEFLEET_SERVER: 'http://b.example', EDGEFLEET_TOKEN: 'ef_env' })).server).toBe('http://b.example');
    await expect(apiClientFor({ server: 'http://b.example' }, env)).rejects.toMatchObject({ exitCode: EXIT.auth, message: 'not logged in to http://b.example' });
    expect((await apiClientFor({ server: 'http://b.example', token: 'ef_x' }, env)).server).toBe('http://b.example');

    await writeFile(credentialsPath(env), '{"server": 1}');
    await expect(apiClientFor({}, env)).rejects.toMatchObject({ exitCode: EXIT.failure, hint: 'run fleet login --server URL again' });
  });
});
