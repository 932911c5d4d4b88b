import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export interface ChildServer {
  /** The first line the child printed, parsed as JSON (e.g. {"port": 5020}). */
  ready: Record<string, unknown>;
  /** ready.port, when the child reported one. */
  port: number;
  /** Closes the child's stdin, waits for it to exit, and returns the last JSON line it printed. */
  stop(): Promise<Record<string, unknown> | undefined>;
}

/** The tsx loader, so a child process can run our TypeScript directly. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Runs `script` (a .ts file that prints one JSON line when ready and exits when its stdin
 * closes) in its own Node process, so it has its own event loop as in a real deployment.
 * `nodeFlags` go to that node (e.g. the V8 heap limits a gateway box runs with).
 */
export async function startChildServer(script: URL, args: string[], nodeFlags: readonly string[] = []): Promise<ChildServer> {
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, '--import', TSX_LOADER, script.pathname, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (text: string) => {
    out += text;
  });
  const lines = (): Array<Record<string, unknown>> =>
    out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    child.stdout?.on('data', () => {
      const first = out.includes('\n') ? lines()[0] : undefined;
      if (first) resolve(first);
    });
    child.once('exit', (code) => reject(new Error(`${script.pathname} ${args.join(' ')} exited with code ${code} before it was ready`)));
  });
  return {
    ready,
    port: typeof ready.port === 'number' ? ready.port : 0,
    stop: async () => {
      child.stdin?.end();
      await exited;
      return lines().slice(1).at(-1);
    },
  };
}
