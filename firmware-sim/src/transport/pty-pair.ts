import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface PtyPair {
  /** The end the simulator opens. */
  slavePath: string;
  /** The end a master (gateway, mbpoll) opens. */
  masterPath: string;
  close(): Promise<void>;
}

const READY = 'starting data transfer loop';
const READY_TIMEOUT_MS = 5000;

/**
 * A serial line made of two linked PTYs (socat). Resolves once socat reports its transfer loop,
 * so both paths exist. With no `dir`, the links live in a fresh temp dir removed on close.
 */
export async function createPtyPair(dir?: string): Promise<PtyPair> {
  const base = dir ?? (await mkdtemp(path.join(os.tmpdir(), 'edgefleet-pty-')));
  // socat's address syntax splits on these characters.
  if (/[,:!]/.test(base)) throw new Error(`createPtyPair: directory "${base}" must not contain ",", ":" or "!"`);
  const slavePath = path.join(base, 'slave');
  const masterPath = path.join(base, 'master');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${slavePath}`, `pty,raw,echo=0,link=${masterPath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`createPtyPair: ${why}${log ? `; socat said: ${log.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`socat not ready after ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      if (log.includes(READY)) return;
      log += text;
      if (log.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('error', (err) => fail(`cannot run socat (${err.message}); install the Debian package "socat"`));
    child.once('exit', (code) => fail(`socat exited with code ${code}`));
  });
  return {
    slavePath,
    masterPath,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      if (dir === undefined) await rm(base, { recursive: true, force: true });
    },
  };
}
