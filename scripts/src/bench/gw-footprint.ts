import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { startChildServer } from './child-server.js';
import type { Benchmark, BenchResult } from './types.js';

const DEVICES = 200;
/** Sim TCP endpoints the devices sit behind (50 units each), as Modbus TCP gateways on a site. */
const PORTS = 4;
const MAX_CONCURRENT = 2;
/** A busier schedule than the defaults (1 s / 10 s / 60 s), so every class runs in the window. */
const POLLING = { fast: '1s', normal: '2s', slow: '10s' };
const WARMUP_MS = 5_000;
const MEASURE_MS = 20_000;
const IDLE_MS = 2_000;
const TARGET_MB = 150;
/**
 * The V8 limits a gateway box runs with (docs/gateway-config.md, "Running on the box"). Without
 * them V8 sizes its heap for this 24 GB machine and collects lazily: RSS then says more about
 * the host than about the gateway. The uncapped run is reported too, in details.
 */
export const GATEWAY_NODE_FLAGS = ['--max-old-space-size=96', '--max-semi-space-size=2'] as const;
const SIM = new URL('./gw-sim-child.ts', import.meta.url);
const GATEWAY = new URL('./gw-footprint-child.ts', import.meta.url);

/** gateway.yaml for DEVICES devices, built-in profiles mixed round-robin, as the sim site has them. */
function gatewayYaml(ports: readonly number[], mqttPort: number, profiles: readonly string[]): string {
  const perPort = Math.ceil(DEVICES / ports.length);
  return stringify({
    gateway: { id: 'gw-footprint' },
    uplink: { url: `mqtt://127.0.0.1:${mqttPort}` },
    log: { level: 'error' },
    health: { interval: '10s' },
    buses: ports.map((port, i) => ({ id: `tcp-${i + 1}`, kind: 'tcp', host: '127.0.0.1', port, timeout: '1s', maxConcurrent: MAX_CONCURRENT })),
    devices: Array.from({ length: DEVICES }, (_, i) => ({
      id: `dev-${String(i + 1).padStart(3, '0')}`,
      bus: `tcp-${Math.floor(i / perPort) + 1}`,
      unit: (i % perPort) + 1,
      profile: profiles[i % profiles.length],
    })),
    polling: POLLING,
  });
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);
const round = (v: unknown): number => Number(num(v).toFixed(1));

/**
 * RSS and CPU of a whole gateway process (startGateway: poller, SQLite outbox, MQTT uplink to
 * an aedes broker) polling 200 simulated devices of the four built-in families over Modbus TCP,
 * measured inside the gateway's own child process over 20 s after a 5 s warm-up. Figure: the
 * largest RSS sampled (every 0.5 s) in the window. Baseline: an idle Node process with the same
 * modules and the profile registry loaded through the same tsx loader. Target RSS ≤ 150 MB.
 */
export const gwFootprint: Benchmark = {
  name: 'gw-footprint',
  description: `RSS/CPU of a gateway process (poller + outbox + uplink to aedes; node ${GATEWAY_NODE_FLAGS.join(' ')}) polling ${DEVICES} sim devices over ${PORTS} TCP endpoints (sim and broker in another process) vs an idle Node process with the same modules and flags; uncapped run in details`,
  async run(): Promise<BenchResult[]> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-bench-footprint-'));
    const sim = await startChildServer(SIM, ['site', String(DEVICES), String(PORTS)]);
    let idle: Record<string, unknown>;
    let gateway: Record<string, unknown>;
    let uncapped: Record<string, unknown>;
    try {
      const ports = sim.ready.ports as number[];
      const file = path.join(dir, 'gateway.yaml');
      await writeFile(file, gatewayYaml(ports, num(sim.ready.mqttPort), sim.ready.profiles as string[]));
      // Each child measures itself and reports when its stdin closes (after its window ends).
      const idleChild = await startChildServer(GATEWAY, ['idle', String(IDLE_MS)], GATEWAY_NODE_FLAGS);
      idle = ((await idleChild.stop())?.result ?? {}) as Record<string, unknown>;
      const gatewayChild = await startChildServer(GATEWAY, ['gateway', file, String(WARMUP_MS), String(MEASURE_MS)], GATEWAY_NODE_FLAGS);
      gateway = ((await gatewayChild.stop())?.result ?? {}) as Record<string, unknown>;
      const uncappedChild = await startChildServer(GATEWAY, ['gateway', file, String(WARMUP_MS), String(MEASURE_MS)]);
      uncapped = ((await uncappedChild.stop())?.result ?? {}) as Record<string, unknown>;
    } finally {
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    }
    const figure = num(gateway.rssMaxMb);
    const baseline = num(idle.rssMaxMb);
    return [{
      name: 'gw-footprint',
      figure,
      unit: 'MB RSS',
      baseline,
      baselineUnit: 'MB RSS (idle node, same modules)',
      ratio: figure / baseline,
      target: `RSS <= ${TARGET_MB} MB`,
      ok: figure <= TARGET_MB,
      details: {
        devices: DEVICES,
        endpoints: PORTS,
        maxConcurrent: MAX_CONCURRENT,
        polling: POLLING,
        warmupMs: WARMUP_MS,
        measureMs: MEASURE_MS,
        gatewayRssMeanMb: round(gateway.rssMeanMb),
        gatewayPeakRssMb: round(gateway.peakRssMb),
        gatewayHeapUsedMb: round(gateway.heapUsedMb),
        gatewayRssSamplesMb: gateway.rssSamplesMb,
        gatewayHeapSamplesMb: gateway.heapSamplesMb,
        cpuPercentOfOneCore: gateway.cpuPercent,
        cpuUserMs: gateway.cpuUserMs,
        cpuSystemMs: gateway.cpuSystemMs,
        readingsPerSecond: gateway.readingsPerSecond,
        eventsPerSecond: gateway.eventsPerSecond,
        transactionsPerSecond: gateway.transactionsPerSecond,
        failedTransactions: gateway.failedTransactions,
        devicesOnline: gateway.devicesOnline,
        outboxDepthAtEnd: gateway.outboxDepthAtEnd,
        nodeFlags: GATEWAY_NODE_FLAGS,
        uncappedRssMaxMb: round(uncapped.rssMaxMb),
        uncappedCpuPercentOfOneCore: uncapped.cpuPercent,
        idlePeakRssMb: round(idle.peakRssMb),
        idleHeapUsedMb: round(idle.heapUsedMb),
        rssAboveIdleMb: round(figure - baseline),
      },
    }];
  },
};
