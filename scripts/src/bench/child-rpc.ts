import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

export type Message = Record<string, unknown>;

/** A bench child process that answers one JSON line per JSON request line, in order. */
export interface RpcChild {
  pid: number;
  /** The first line the child printed. */
  ready: Message;
  /** Writes one request line and resolves with the child's next line. */
  request(message: Message): Promise<Message>;
  /** Closes stdin (the child's cue to stop), waits for the exit, returns the lines printed after the last reply. */
  stop(): Promise<Message[]>;
}

const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Runs `script` in its own Node process (through tsx) with a line protocol on stdin/stdout:
 * unlike startChildServer, the parent can ask questions while it runs (e.g. "tell me when N
 * readings are stored", "what is your RSS now"). Requests are answered in order; a child that
 * dies rejects every pending request with its exit code.
 */
export async function startRpcChild(script: URL, args: readonly string[], nodeFlags: readonly string[] = []): Promise<RpcChild> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', TSX_LOADER, script.pathname, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const queued: Message[] = [];
  const waiters: { resolve: (m: Message) => void; reject: (e: Error) => void }[] = [];
  let exitError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitError = new Error(`${script.pathname} ${args.join(' ')} exited (code ${code}, signal ${signal})`);
      for (const w of waiters.splice(0)) w.reject(exitError);
      resolve();
    });
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('{')) return;
    const message = JSON.parse(line) as Message;
    const waiter = waiters.shift();
    if (waiter) waiter.resolve(message);
    else queued.push(message);
  });
  const next = (): Promise<Message> => {
    const m = queued.shift();
    if (m) return Promise.resolve(m);
    if (exitError) return Promise.reject(exitError);
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  };
  const ready = await next();
  return {
    pid: child.pid ?? 0,
    ready,
    request: (message) => {
      const reply = next();
      child.stdin.write(`${JSON.stringify(message)}\n`);
      return reply;
    },
    stop: async () => {
      child.stdin.end();
      await exited;
      return queued.splice(0);
    },
  };
}

/** The child side: prints `ready`, answers each stdin line with `answer`, runs `stop` when stdin closes, then exits. */
export function serveRpc(ready: Message, answer: (request: Message) => Promise<Message>, stop: () => Promise<void>): void {
  const write = (m: Message): void => void process.stdout.write(`${JSON.stringify(m)}\n`);
  write(ready);
  // Answers go out in request order even when a later answer would be ready first.
  let chain: Promise<void> = Promise.resolve();
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    chain = chain.then(async () => {
      try {
        write(await answer(JSON.parse(line) as Message));
      } catch (err) {
        write({ error: (err as Error).message });
      }
    });
  });
  lines.on('close', () => {
    void chain.then(stop).then(() => process.exit(0), (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    });
  });
}
