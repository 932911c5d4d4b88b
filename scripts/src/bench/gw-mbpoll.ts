import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { SerialPort } from 'serialport';
import { epochNow } from './gw-poll-rig.js';

/**
 * mbpoll sleeps its poll rate after every slave it reads (mbpoll.c: mb_delay(ctx.iPollRate)
 * inside the slave loop) and refuses less than 10 ms, so it cannot poll back to back.
 */
export const MBPOLL_MIN_POLL_MS = 10;

export interface MbpollRun {
  /** Measurement window (after the warm-up), epoch ms. */
  fromEpochMs: number;
  toEpochMs: number;
  /** Bytes of a reply to mbpoll's last request that arrived after SIGINT, drained from the line. */
  drainedBytes: number;
  /** mbpoll's own tally, printed when it gets SIGINT: frames transmitted / received / errors. */
  transmitted?: number;
  received?: number;
  errors?: number;
}

/**
 * Runs mbpoll (libmodbus) as an RTU master reading `registers` holding registers from units
 * 1..units in turn, at its shortest poll rate, for warmupMs + windowMs, then stops it with
 * SIGINT. Its rate is measured by the caller from the slave's side (request arrivals in the window).
 */
export async function runMbpoll(opts: { path: string; baud: number; units: number; registers: number; warmupMs: number; windowMs: number; drainQuietMs: number }): Promise<MbpollRun> {
  const args = [
    '-m', 'rtu', '-b', String(opts.baud), '-P', 'none', '-s', '2', '-d', '8',
    '-a', opts.units > 1 ? `1:${opts.units}` : '1', '-t', '4', '-r', '1', '-c', String(opts.registers),
    '-l', String(MBPOLL_MIN_POLL_MS), '-o', '1', opts.path,
  ];
  const child = spawn('mbpoll', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });
  let tail = '';
  const keepTail = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-2000);
  };
  child.stdout.on('data', keepTail);
  child.stderr.on('data', keepTail);
  await sleep(opts.warmupMs);
  if (spawnError !== undefined) throw new Error(`cannot run mbpoll (${spawnError.message}); install the Debian package "mbpoll"`);
  if (child.exitCode !== null) throw new Error(`mbpoll ${args.join(' ')} exited with code ${child.exitCode}: ${tail.trim()}`);
  const fromEpochMs = epochNow();
  await sleep(opts.windowMs);
  const toEpochMs = epochNow();
  child.kill('SIGINT');
  await exited;
  // SIGINT lands mid-transaction: the reply to mbpoll's last request would be read as the
  // reply to the next master's first request (libmodbus then misreads every reply after it).
  const drainedBytes = await drainLine(opts.path, opts.drainQuietMs);
  // mbpoll's SIGINT handler prints "N frames transmitted, M received, E errors, x% frame loss".
  const tally = /(\d+) frames transmitted, (\d+) received, (\d+) errors/.exec(tail);
  if (tally === null) return { fromEpochMs, toEpochMs, drainedBytes };
  return { fromEpochMs, toEpochMs, drainedBytes, transmitted: Number(tally[1]), received: Number(tally[2]), errors: Number(tally[3]) };
}

/** Opens the serial line and discards what arrives until it has been quiet for `quietMs`. */
async function drainLine(path: string, quietMs: number): Promise<number> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  let bytes = 0;
  try {
    await new Promise<void>((resolve) => {
      let timer = setTimeout(resolve, quietMs);
      port.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        clearTimeout(timer);
        timer = setTimeout(resolve, quietMs);
      });
    });
  } finally {
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
  return bytes;
}
