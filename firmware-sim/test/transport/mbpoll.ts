import { execFile } from 'node:child_process';

export interface MbpollRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs mbpoll (libmodbus) once; resolves with its exit code and output, never rejects on exit code. */
export function runMbpoll(args: string[]): Promise<MbpollRun> {
  return new Promise((resolve, reject) => {
    execFile('mbpoll', args, { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      resolve({ code: typeof err?.code === 'number' ? err.code : 0, stdout, stderr });
    });
  });
}

/** The values mbpoll printed, keyed by its reference number: lines like "[11]: \t65535 (-1)". */
export function parseMbpollValues(stdout: string): Map<number, number> {
  const values = new Map<number, number>();
  for (const m of stdout.matchAll(/^\[(\d+)\]:\s+(-?\d+)/gm)) values.set(Number(m[1]), Number(m[2]));
  return values;
}
