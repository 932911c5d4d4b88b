import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `fleet` binary the tests run as a child process (tsx, as a user runs it). */
export const FLEET = fileURLToPath(new URL('../../bin/fleet.js', import.meta.url));

export interface FleetRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `fleet args` with `stdin` piped in (empty: closed at once, so nothing waits for a terminal). */
export function runFleet(args: string[], options: { env: NodeJS.ProcessEnv; cwd: string; stdin?: string }): Promise<FleetRun> {
  const child = spawn(process.execPath, [FLEET, ...args], { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}
