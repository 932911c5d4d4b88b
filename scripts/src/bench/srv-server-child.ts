// Child process of the srv-* benchmarks: a real fleet server (startServer: SQLite store, aedes
// broker with per-gateway auth, ingest, alerting, HTTP) in its own process, as `fleet server` runs.
//   srv-server-child.ts CONFIG_JSON   the server.yaml content as JSON (parsed by serverConfigSchema)
// Prints {"pid", "brokerPort", "httpPort"}; then answers stdin lines (child-rpc.ts):
//   {"expectTelemetryMessages": n}  once n telemetry messages have been handled (stored or rejected)
//                                   since start: {"handled", "stored", "duplicates", "rejects"}
//   {"loopDelay": true}             event-loop delay (ms: p50, p99, max) since the previous such request
//   {"memory": true}                process.memoryUsage(), after a full GC when node runs with --expose-gc
// Closing stdin stops the server (ingest drains first) and exits.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { serverConfigSchema, startServer } from '@edgefleet/fleet-server';
import { serveRpc } from './child-rpc.js';
import type { Message } from './child-rpc.js';

/** Sum of a counter's series whose labels contain `match` (from the server's own /metrics text). */
function counterSum(text: string, name: string, match: string): number {
  return text.split('\n')
    .filter((l) => l.startsWith(`${name}{`) && l.includes(match))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: srv-server-child.ts CONFIG_JSON');
  const config = serverConfigSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const server = await startServer(config, { logger: pino({ level: 'error' }, pino.destination(2)) });
  let handled = 0;
  let target = Infinity;
  let reached: (() => void) | undefined;
  server.ingest.listen({
    onMessage: (_gatewayId, channel) => {
      if (channel !== 'telemetry') return;
      handled += 1;
      if (handled >= target) reached?.();
    },
  });
  const counts = (): Message => {
    const text = server.metrics.render();
    return {
      handled,
      stored: counterSum(text, 'edgefleet_ingest_items_stored_total', 'stream="telemetry"'),
      duplicates: counterSum(text, 'edgefleet_ingest_items_duplicate_total', 'stream="telemetry"'),
      rejects: counterSum(text, 'edgefleet_ingest_rejects_total', 'channel="telemetry"'),
    };
  };
  // Ingest's synchronous SQLite transactions, the alert engine and the SMS sender share this loop.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const ms = (ns: number): number => Math.round(ns / 1e5) / 10;
  serveRpc(
    { pid: process.pid, brokerPort: server.brokerPort, httpPort: server.httpPort },
    async (request) => {
      if (typeof request.expectTelemetryMessages === 'number') {
        target = request.expectTelemetryMessages;
        if (handled < target) await new Promise<void>((resolve) => (reached = resolve));
        reached = undefined;
        return counts();
      }
      if (request.loopDelay === true) {
        const d = { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) };
        delay.reset();
        return d;
      }
      if (request.memory === true) {
        // With --expose-gc: a full collection first, so heapUsed is what the process retains.
        (globalThis as { gc?: () => void }).gc?.();
        return { ...process.memoryUsage() };
      }
      throw new Error(`srv-server-child: unknown request ${JSON.stringify(request)}`);
    },
    () => server.stop(),
  );
}

await main();
