import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { describe, expect, it } from 'vitest';
import { createPtyPair } from '../../src/transport/pty-pair.js';

function open(p: string): Promise<SerialPort> {
  const port = new SerialPort({ path: p, baudRate: 9600, autoOpen: false });
  return new Promise((resolve, reject) => port.open((err) => (err ? reject(err) : resolve(port))));
}

const close = (port: SerialPort): Promise<void> => new Promise((resolve) => port.close(() => resolve()));

describe('createPtyPair', () => {
  it('links two PTYs that carry bytes both ways, and removes its temp dir on close', async () => {
    const pty = await createPtyPair();
    const [slave, master] = await Promise.all([open(pty.slavePath), open(pty.masterPath)]);
    const toSlave = new Promise<Buffer>((resolve) => slave.once('data', resolve));
    master.write(Buffer.from([1, 2, 3]));
    expect(await toSlave).toEqual(Buffer.from([1, 2, 3]));
    const toMaster = new Promise<Buffer>((resolve) => master.once('data', resolve));
    slave.write(Buffer.from([4]));
    expect(await toMaster).toEqual(Buffer.from([4]));
    await Promise.all([close(slave), close(master)]);
    await pty.close();
    await expect(stat(path.dirname(pty.slavePath))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('puts the links in a given directory and leaves the directory itself', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pty-test-'));
    try {
      const pty = await createPtyPair(dir);
      expect(path.dirname(pty.masterPath)).toBe(dir);
      expect((await stat(pty.masterPath)).isCharacterDevice()).toBe(true);
      await pty.close();
      await expect(stat(pty.masterPath)).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await stat(dir)).isDirectory()).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects a directory whose name would break socat\'s address syntax', async () => {
    await expect(createPtyPair('/tmp/a,b')).rejects.toThrow(/must not contain/);
  });
});
