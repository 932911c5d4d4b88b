// Child process of the gateway benchmarks: the simulated devices, in their own process (as
// `fleet sim` runs beside a gateway) so the gateway's CPU and the sim's never share an event loop.
//   rtu PATH BAUD UNITS  paced RTU sim, units 1..UNITS, turnaround 0; prints {"ready": true}
//   tcp UNITS            Modbus TCP sim, units 1..UNITS; prints {"port": N}
// Both answer every read with the bench profile's register bank (no holes, 125-register reads).
// When stdin closes the child prints {"stats": ..., "arrivals": [...]} and exits; arrivals (RTU
// only) are the epoch times (sub-ms) at which request frames addressed to a unit arrived, so the
// parent can measure any master's transaction rate from the slave's side, the same way for all.
import { SimUnit, startRtuServer, startTcpServer } from '@edgefleet/firmware-sim';
import { BENCH_PROFILE } from './bench-profile.js';

interface Running {
  ready: Record<string, unknown>;
  stats(): unknown;
  close(): Promise<void>;
}

/** Wall-clock time with performance.now's resolution, comparable between processes. */
const epochNow = (): number => performance.timeOrigin + performance.now();
const arrivals: number[] = [];

function unitsUpTo(count: number, record = false): (id: number) => SimUnit | undefined {
  if (!(Number.isInteger(count) && count >= 1 && count <= 247)) throw new Error(`gw-sim-child: UNITS must be 1..247, got ${count}`);
  const units = Array.from({ length: count }, (_, i) => new SimUnit({ unit: i + 1, profile: BENCH_PROFILE }));
  // The server looks a unit up once per request frame, as the frame arrives.
  return (id) => {
    if (record) arrivals.push(Number(epochNow().toFixed(3)));
    return units[id - 1];
  };
}

async function start(args: string[]): Promise<Running> {
  const [mode, ...rest] = args;
  if (mode === 'rtu') {
    const [path, baud, units] = rest;
    if (path === undefined || !(Number(baud) > 0)) throw new Error('usage: gw-sim-child.ts rtu PATH BAUD UNITS');
    const server = await startRtuServer({ path, baud: Number(baud), turnaroundMs: 0, units: unitsUpTo(Number(units ?? 1), true) });
    return { ready: { ready: true }, stats: () => server.stats, close: () => server.close() };
  }
  if (mode === 'tcp') {
    const server = await startTcpServer({ port: 0, units: unitsUpTo(Number(rest[0] ?? 1)) });
    return { ready: { port: server.port }, stats: () => server.stats, close: () => server.close() };
  }
  throw new Error(`gw-sim-child: unknown mode "${mode}" (rtu | tcp)`);
}

const running = await start(process.argv.slice(2));
process.stdout.write(`${JSON.stringify(running.ready)}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  process.stdout.write(`${JSON.stringify({ stats: running.stats(), arrivals })}\n`);
  void running.close().then(() => process.exit(0));
});
