// Child process of the gw-footprint benchmark, so the measured RSS and CPU are the gateway's
// alone, not the bench runner's. Both modes load the same modules (the gateway, the built-in
// profiles) through the same tsx loader:
//   gateway CONFIG WARMUP_MS MEASURE_MS  runs startGateway on gateway.yaml; after the warm-up,
//       samples RSS every SAMPLE_MS and measures CPU, readings and transactions over MEASURE_MS
//   idle WAIT_MS                          loads everything, starts nothing, samples RSS
// Prints {"ready": true, "pid": N}; when stdin closes prints {"result": ...}, stops, exits.
// The gateway logs (pino, errors only: stopping logs warnings) go to stderr: stdout carries only those JSON lines.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProfileRegistry, loadBuiltinProfiles } from '@edgefleet/device-profiles';
import { pino } from 'pino';
import { loadGatewayConfig, startGateway } from '../../../gateway/src/index.js';
import type { RunningGateway } from '../../../gateway/src/index.js';

const SAMPLE_MS = 500;
const MB = 1024 * 1024;

/** Peak resident set of this process so far (VmHWM), in bytes; undefined off Linux. */
function peakRss(): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

interface RssSamples {
  maxMb: number;
  meanMb: number;
  samples: number;
  /** RSS and heap in use at each sample, MB: a steady climb would be a leak, a saw-tooth is GC at work. */
  rssMb: number[];
  heapMb: number[];
}

/** RSS (and heap) samples every SAMPLE_MS for `ms`; max and mean RSS in MB. */
async function sampleRss(ms: number): Promise<RssSamples> {
  const rss: number[] = [];
  const heapMb: number[] = [];
  const end = performance.now() + ms;
  for (;;) {
    const usage = process.memoryUsage();
    rss.push(usage.rss);
    heapMb.push(Math.round(usage.heapUsed / MB));
    if (performance.now() >= end) break;
    await sleep(Math.min(SAMPLE_MS, end - performance.now()));
  }
  const rssMb = rss.map((b) => Math.round(b / MB));
  return { maxMb: Math.max(...rss) / MB, meanMb: rss.reduce((a, b) => a + b, 0) / rss.length / MB, samples: rss.length, rssMb, heapMb };
}

function transactions(gw: RunningGateway): { transactions: number; errors: number } {
  const buses = gw.runtime.current()?.busHealth() ?? [];
  return {
    transactions: buses.reduce((n, b) => n + b.transactions, 0),
    errors: buses.reduce((n, b) => n + Object.values(b.errors).reduce((a, e) => a + e, 0), 0),
  };
}

async function measureGateway(gw: RunningGateway, warmupMs: number, measureMs: number): Promise<Record<string, unknown>> {
  await sleep(warmupMs);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const seq0 = gw.outbox.stats().lastSeq;
  const bus0 = transactions(gw);
  const rss = await sampleRss(measureMs);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const stats = gw.outbox.stats();
  const bus1 = transactions(gw);
  const devices = gw.health().devices;
  const perSecond = (n: number): number => Number(((n * 1000) / wallMs).toFixed(1));
  return {
    rssMaxMb: rss.maxMb,
    rssMeanMb: rss.meanMb,
    rssSamples: rss.samples,
    rssSamplesMb: rss.rssMb,
    heapSamplesMb: rss.heapMb,
    peakRssMb: (peakRss() ?? 0) / MB,
    heapUsedMb: process.memoryUsage().heapUsed / MB,
    cpuPercent: Number((((cpu.user + cpu.system) / 1000 / wallMs) * 100).toFixed(2)),
    cpuUserMs: Math.round(cpu.user / 1000),
    cpuSystemMs: Math.round(cpu.system / 1000),
    wallMs: Math.round(wallMs),
    readingsPerSecond: perSecond(stats.lastSeq.telemetry - seq0.telemetry),
    eventsPerSecond: perSecond(stats.lastSeq.events - seq0.events),
    transactionsPerSecond: perSecond(bus1.transactions - bus0.transactions),
    failedTransactions: bus1.errors - bus0.errors,
    outboxDepthAtEnd: { telemetry: stats.telemetry.depth, events: stats.events.depth },
    devices: devices.length,
    devicesOnline: devices.filter((d) => d.state === 'online').length,
  };
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  // Both modes pay for the profile registry: a gateway always loads it.
  const registry = new ProfileRegistry(loadBuiltinProfiles());
  let result: Record<string, unknown> = {};
  let stop = async (): Promise<void> => undefined;
  let measuring: Promise<void> = Promise.resolve();
  if (mode === 'gateway') {
    const [file, warmupMs, measureMs] = args;
    if (file === undefined) throw new Error('usage: gw-footprint-child.ts gateway CONFIG WARMUP_MS MEASURE_MS');
    const config = await loadGatewayConfig(file, registry);
    const gw = await startGateway(config, { registry, logger: pino({ level: 'error' }, pino.destination(2)) });
    stop = () => gw.stop();
    measuring = measureGateway(gw, Number(warmupMs), Number(measureMs)).then((r) => {
      result = r;
    });
  } else if (mode === 'idle') {
    measuring = sampleRss(Number(args[0] ?? 2000)).then((rss) => {
      result = { rssMaxMb: rss.maxMb, rssMeanMb: rss.meanMb, rssSamples: rss.samples, peakRssMb: (peakRss() ?? 0) / MB, heapUsedMb: process.memoryUsage().heapUsed / MB };
    });
  } else {
    throw new Error(`gw-footprint-child: unknown mode "${mode}" (gateway | idle)`);
  }
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void measuring
      .then(() => process.stdout.write(`${JSON.stringify({ result })}\n`))
      .then(() => stop())
      .then(() => process.exit(0));
  });
}

await main();
