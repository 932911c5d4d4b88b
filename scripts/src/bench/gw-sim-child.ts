// Child process of the gateway benchmarks: the simulated devices, in their own process (as
// `fleet sim` runs beside a gateway) so the gateway's CPU and the sim's never share an event loop.
//   rtu PATH BAUD UNITS  paced RTU sim, units 1..UNITS, turnaround 0; prints {"ready": true}
//   tcp UNITS            Modbus TCP sim, units 1..UNITS; prints {"port": N}
// Both answer every read with the bench profile's register bank (no holes, 125-register reads).
//   site DEVICES PORTS   a ticking SimSite of DEVICES built-in-profile devices (families mixed
//                        round-robin) spread over PORTS Modbus TCP ports, plus an aedes MQTT
//                        broker for the gateway's uplink; prints {"ports": [...], "mqttPort": N}
// When stdin closes the child prints {"stats": ..., "arrivals": [...]} and exits; arrivals (RTU
// only) are the epoch times (sub-ms) at which request frames addressed to a unit arrived, so the
// parent can measure any master's transaction rate from the slave's side, the same way for all.
import net from 'node:net';
import { once } from 'node:events';
import { ProfileRegistry, loadBuiltinProfiles } from '@edgefleet/device-profiles';
import { SimSite, SimUnit, SiteConfig, startRtuServer, startTcpServer } from '@edgefleet/firmware-sim';
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

/** A site as `fleet sim` runs it (models ticking) and the broker a gateway's uplink talks to. */
async function startSite(devices: number, ports: number): Promise<Running> {
  const registry = new ProfileRegistry(loadBuiltinProfiles());
  const profiles = registry.ids();
  const perPort = Math.ceil(devices / ports);
  const site = await SimSite.start(
    SiteConfig.parse({
      name: 'gw-footprint',
      transports: Array.from({ length: ports }, (_, p) => ({ id: `tcp-${p + 1}`, kind: 'tcp' })),
      devices: Array.from({ length: devices }, (_, i) => ({
        id: `dev-${String(i + 1).padStart(3, '0')}`,
        profile: profiles[i % profiles.length],
        transport: `tcp-${Math.floor(i / perPort) + 1}`,
        unit: (i % perPort) + 1,
      })),
    }),
    { profile: (id) => registry.get(id) },
  );
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  const server = net.createServer((socket) => broker.handle(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const mqttPort = (server.address() as net.AddressInfo).port;
  const tcpPorts = site.endpoints().flatMap((e) => (e.kind === 'tcp' ? [e.port] : []));
  return {
    ready: { ports: tcpPorts, mqttPort, profiles },
    stats: () => ({ devices }),
    close: async () => {
      await site.stop();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      server.close();
    },
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
  if (mode === 'site') return startSite(Number(rest[0] ?? 200), Number(rest[1] ?? 4));
  throw new Error(`gw-sim-child: unknown mode "${mode}" (rtu | tcp | site)`);
}

const running = await start(process.argv.slice(2));
process.stdout.write(`${JSON.stringify(running.ready)}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  process.stdout.write(`${JSON.stringify({ stats: running.stats(), arrivals })}\n`);
  void running.close().then(() => process.exit(0));
});
