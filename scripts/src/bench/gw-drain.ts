import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { openOutbox } from '../../../gateway/src/outbox/index.js';
import type { NewReading, SqliteOutbox } from '../../../gateway/src/outbox/index.js';
import { Uplink } from '../../../gateway/src/uplink/index.js';
import { median } from './median.js';
import type { Benchmark, BenchResult } from './types.js';

const ROWS = 100_000;
/** Alternating drain/live blocks (ABBA), each on a fresh outbox file. */
const PAIRS = 4;
/** Readings per enqueueTelemetry call in the live phase: one device's poll cycle. */
const PER_CALL = 50;
const TARGET = 0.8;
const GATEWAY = 'gw-bench';
const SELF = fileURLToPath(import.meta.url);

/**
 * Child mode (`gw-drain.ts broker`): an aedes broker plus a QoS 1 subscriber client that counts
 * telemetry rows, in their own process (the fleet server's side of the wire). Prints
 * {"port"} when ready; for each stdin line {"expect": n} prints {"reached": n} once it has
 * counted n rows since the previous target.
 */
async function runBrokerChild(): Promise<void> {
  const { Aedes } = await import('aedes');
  const mqtt = (await import('mqtt')).default;
  const broker = await Aedes.createBroker();
  const server = net.createServer((socket) => broker.handle(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  const subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4, clientId: 'bench-ingest', clean: true });
  let counted = 0;
  let target = Infinity;
  subscriber.on('message', (_topic, payload) => {
    // Each item carries exactly one "seq": counting them avoids a full parse on this side.
    counted += payload.toString().split('"seq":').length - 1;
    if (counted >= target) {
      target = Infinity;
      process.stdout.write(`${JSON.stringify({ reached: counted })}\n`);
      counted = 0;
    }
  });
  await subscriber.subscribeAsync(`fleet/v1/gw/${GATEWAY}/telemetry`, { qos: 1 });
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    target = (JSON.parse(line) as { expect: number }).expect;
    if (counted >= target) subscriber.emit('message', '', Buffer.alloc(0), undefined as never);
  });
  lines.on('close', () => {
    void subscriber.endAsync().then(() => broker.close(() => server.close(() => process.exit(0))));
  });
}

interface BrokerChild {
  port: number;
  /** Resolves when the subscriber has counted `rows` more telemetry rows. */
  expect(rows: number): Promise<void>;
  stop(): Promise<void>;
}

async function startBrokerChild(): Promise<BrokerChild> {
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', loader, SELF, 'broker'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const messages: Record<string, number>[] = [];
  let waiter: ((m: Record<string, number>) => void) | undefined;
  lines.on('line', (line) => {
    const m = JSON.parse(line) as Record<string, number>;
    if (waiter) waiter(m);
    else messages.push(m);
  });
  const next = (): Promise<Record<string, number>> => {
    const queued = messages.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => (waiter = (m) => ((waiter = undefined), resolve(m))));
  };
  const ready = await next();
  const exited = once(child, 'exit');
  return {
    port: ready.port ?? 0,
    expect: async (rows) => {
      const reached = next();
      child.stdin.write(`${JSON.stringify({ expect: rows })}\n`);
      await reached;
    },
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

function makeReadings(n: number): NewReading[] {
  const start = 1_790_000_000_000;
  return Array.from({ length: n }, (_, i) => ({ device: `site-7-dev-${String(i % 200).padStart(3, '0')}`, point: i % 2 === 0 ? 'flow' : 'level', ts: start + i * 5, value: Math.round(i * 37.3) / 10, quality: 'good' as const }));
}

interface Block {
  rows: number;
  ms: number;
}
const pooledRate = (blocks: readonly Block[]): number => (blocks.reduce((n, b) => n + b.rows, 0) * 1000) / blocks.reduce((t, b) => t + b.ms, 0);

function newUplink(port: number, outbox: SqliteOutbox): Uplink {
  return new Uplink({ gatewayId: GATEWAY, outbox, logger: pino({ level: 'silent' }), softwareVersion: 'bench' }, { url: `mqtt://127.0.0.1:${port}`, clientId: `${GATEWAY}-${Date.now()}` });
}

function whenConnected(uplink: Uplink): Promise<void> {
  return new Promise((resolve) => {
    const off = uplink.onConnectionChange((up) => up && (off(), resolve()));
  });
}

/** A backlog left by an outage: the outbox is full before the uplink connects; timed from CONNACK to the last row counted. */
async function drainBlock(dir: string, broker: BrokerChild, readings: readonly NewReading[], i: number): Promise<Block> {
  const outbox = openOutbox({ path: path.join(dir, `drain-${i}.db`), maxBytes: 1e12, maxAgeMs: 1e12 });
  for (let k = 0; k < readings.length; k += 500) outbox.enqueueTelemetry(readings.slice(k, k + 500));
  outbox.flush();
  const uplink = newUplink(broker.port, outbox);
  const counted = broker.expect(readings.length);
  const up = whenConnected(uplink);
  uplink.start();
  await up;
  const t0 = performance.now();
  await counted;
  const ms = performance.now() - t0;
  await uplink.stop();
  outbox.close();
  return { rows: readings.length, ms };
}

/** Rows published as they are produced: connected first, then poll-sized enqueues, timed from the first enqueue to the last row counted. */
async function liveBlock(dir: string, broker: BrokerChild, readings: readonly NewReading[], i: number): Promise<Block> {
  const outbox = openOutbox({ path: path.join(dir, `live-${i}.db`), maxBytes: 1e12, maxAgeMs: 1e12 });
  const uplink = newUplink(broker.port, outbox);
  const up = whenConnected(uplink);
  uplink.start();
  await up;
  const counted = broker.expect(readings.length);
  const t0 = performance.now();
  for (let k = 0; k < readings.length; k += PER_CALL) {
    outbox.enqueueTelemetry(readings.slice(k, k + PER_CALL));
    // Yield every 500 rows, as a poller does between transactions, so the uplink runs meanwhile.
    if ((k + PER_CALL) % 500 === 0) await new Promise((r) => setImmediate(r));
  }
  outbox.flush();
  await counted;
  const ms = performance.now() - t0;
  await uplink.stop();
  outbox.close();
  return { rows: readings.length, ms };
}

/**
 * Backlog drain rate after an outage vs the live publish rate, same broker (aedes in its own
 * process, a QoS 1 subscriber counting rows), same run, alternating blocks of 100k readings.
 */
export const gwDrain: Benchmark = {
  name: 'gw-drain',
  description: `uplink rows/s draining a ${ROWS / 1000}k-reading backlog vs publishing live as produced (aedes + counting subscriber in a child process)`,
  async run(): Promise<BenchResult[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gw-drain-'));
    const broker = await startBrokerChild();
    const readings = makeReadings(ROWS);
    const drain: Block[] = [];
    const live: Block[] = [];
    try {
      // Warm-up (not counted): JIT, SQLite page cache and the broker's first connections.
      await drainBlock(dir, broker, readings.slice(0, 20_000), -1);
      await liveBlock(dir, broker, readings.slice(0, 20_000), -1);
      for (let pair = 0; pair < PAIRS; pair++) {
        // ABBA: neither phase always runs first.
        if (pair % 2 === 0) drain.push(await drainBlock(dir, broker, readings, pair));
        live.push(await liveBlock(dir, broker, readings, pair));
        if (pair % 2 === 1) drain.push(await drainBlock(dir, broker, readings, pair));
      }
    } finally {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    const figure = pooledRate(drain);
    const baseline = pooledRate(live);
    const ratio = figure / baseline;
    const rates = (blocks: Block[]) => blocks.map((b) => Math.round((b.rows * 1000) / b.ms));
    return [{
      name: 'gw-drain',
      figure,
      unit: 'rows/s',
      baseline,
      baselineUnit: 'rows/s',
      ratio,
      target: `>= ${TARGET}`,
      ok: ratio >= TARGET,
      details: {
        rowsPerBlock: ROWS,
        pairs: PAIRS,
        window: 8,
        telemetryBatch: 500,
        drainRates: rates(drain),
        liveRates: rates(live),
        medianPairedRatio: Number(median(drain.map((b, i) => (b.rows / b.ms) / ((live[i]?.rows ?? b.rows) / (live[i]?.ms ?? b.ms)))).toFixed(3)),
      },
    }];
  },
};

if (process.argv[1] === SELF && process.argv[2] === 'broker') await runBrokerChild();
