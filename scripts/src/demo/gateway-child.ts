import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FLEET_BIN = fileURLToPath(new URL('../../bin/fleet.js', import.meta.url));
/** A gateway flushes its outbox and closes its ports on SIGTERM; past this it is killed. */
const STOP_GRACE_MS = 15_000;
const TAIL_LINES = 20;

export interface GatewayChild {
  pid: number;
  /** Resolves once the process has exited (SIGTERM first, SIGKILL after the grace time). */
  stop(): Promise<void>;
}

/**
 * `fleet gateway --config <file>` as its own process, as systemd would run it on the box. Its
 * log is kept (last lines) and shown only if it dies while the demo runs.
 */
export function startGatewayChild(configFile: string, print: (line: string) => void): GatewayChild {
  // Its own process group: a terminal's Ctrl-C reaches the demo only, which then stops the gateway
  // itself, after the config change in flight. (Measured here: a gateway that got the SIGINT
  // directly in the middle of a config apply hung in its stop until killed 15 s later.)
  const child = spawn(process.execPath, [FLEET_BIN, 'gateway', '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const tail: string[] = [];
  const keep = (chunk: Buffer): void => {
    tail.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
    tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    if (!stopping) {
      print(`!! the gateway process exited (${signal ?? `code ${code}`}); its last lines:`);
      for (const line of tail) print(`   ${line}`);
    }
    resolve();
  }));
  child.once('error', (err) => print(`!! cannot start the gateway process: ${err.message}`));
  return {
    pid: child.pid ?? -1,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
