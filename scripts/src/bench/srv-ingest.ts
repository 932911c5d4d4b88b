import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hashSecret } from '@edgefleet/fleet-server';
import { startRpcChild } from './child-rpc.js';
import { median } from './median.js';
import type { GatewaysSpec } from './srv-gateways-child.js';
import { gatewayIdOf } from './srv-ingest-rows.js';
import type { Benchmark, BenchResult } from './types.js';

const GATEWAYS = 20;
const BATCHES = 20;
const BATCH_SIZE = 200;
/** The gateway uplink's default in-flight window (gateway/src/uplink/outbox-drainer.ts). */
const WINDOW = 8;
/** ABBA: server, raw, raw, server, … so neither path always runs first on a warmer disk. */
const PAIRS = 2;
const TARGET = 0.5;
const READINGS = GATEWAYS * BATCHES * BATCH_SIZE;
const SERVER = new URL('./srv-server-child.ts', import.meta.url);
const GATEWAYS_CHILD = new URL('./srv-gateways-child.ts', import.meta.url);
const SQLITE = new URL('./srv-sqlite-child.ts', import.meta.url);

interface Block { rows: number; ms: number }
const rate = (b: Block): number => (b.rows * 1000) / b.ms;
const pooled = (blocks: readonly Block[]): number => (blocks.reduce((n, b) => n + b.rows, 0) * 1000) / blocks.reduce((t, b) => t + b.ms, 0);

/**
 * One block through the whole server: a fresh fleet server (own process, fresh data dir), the 20
 * gateways (another process) connected first; timed from "go" to the server's ingest having
 * handled every message, checked against its stored-readings counter.
 */
async function serverBlock(dir: string, gateways: { id: string; secret: string; secretHash: string }[], i: number): Promise<Block> {
  const serverFile = path.join(dir, `server-${i}.json`);
  await writeFile(serverFile, JSON.stringify({
    dataDir: path.join(dir, `server-${i}`), broker: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 },
    gateways: gateways.map((g) => ({ id: g.id, secretHash: g.secretHash })), log: { level: 'error' },
  }));
  const server = await startRpcChild(SERVER, [serverFile]);
  try {
    const spec: GatewaysSpec = { port: Number(server.ready.brokerPort), gateways: gateways.map(({ id, secret }) => ({ id, secret })), batches: BATCHES, batchSize: BATCH_SIZE, window: WINDOW };
    const specFile = path.join(dir, `gateways-${i}.json`);
    await writeFile(specFile, JSON.stringify(spec));
    const publishers = await startRpcChild(GATEWAYS_CHILD, [specFile]);
    try {
      const stored = server.request({ expectTelemetryMessages: GATEWAYS * BATCHES });
      const t0 = performance.now();
      await publishers.request({ go: true });
      const counts = await stored;
      const ms = performance.now() - t0;
      if (counts.stored !== READINGS || counts.rejects !== 0) {
        throw new Error(`srv-ingest: expected ${READINGS} readings stored and no rejects, got ${JSON.stringify(counts)}`);
      }
      return { rows: READINGS, ms };
    } finally {
      await publishers.stop();
    }
  } finally {
    await server.stop();
  }
}

async function sqliteBlock(dir: string, mode: 'raw' | 'store'): Promise<Block> {
  const child = await startRpcChild(SQLITE, [mode, dir, String(GATEWAYS), String(BATCHES), String(BATCH_SIZE)]);
  await child.stop();
  return { rows: Number(child.ready.rows), ms: Number(child.ready.ms) };
}

/**
 * Readings/s a fleet server stores from 20 gateways draining backlogs (MQTT QoS 1, 200-reading
 * TelemetryBatch messages, window 8, each gateway with its own credentials) vs raw better-sqlite3
 * inserts of the same rows into the same table, same pragmas, one transaction per batch.
 */
export const srvIngest: Benchmark = {
  name: 'srv-ingest',
  description: `readings/s stored by a fleet server (own process) from ${GATEWAYS} gateways (another process) publishing ${BATCHES}×${BATCH_SIZE}-reading batches each (QoS 1, window ${WINDOW}) vs raw better-sqlite3 inserts of the same rows (WAL, synchronous=FULL, a transaction per batch)`,
  async run(): Promise<BenchResult[]> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-bench-srv-ingest-'));
    const server: Block[] = [];
    const raw: Block[] = [];
    let storeOnly: Block;
    try {
      // Default scrypt cost: each gateway's connect pays it once, before the clock starts.
      const gateways = await Promise.all(Array.from({ length: GATEWAYS }, async (_, g) => {
        const secret = `bench-secret-${g}-${Math.random().toString(36).slice(2)}`;
        return { id: gatewayIdOf(g), secret, secretHash: await hashSecret(secret) };
      }));
      for (let pair = 0; pair < PAIRS; pair++) {
        if (pair % 2 === 0) server.push(await serverBlock(dir, gateways, pair));
        raw.push(await sqliteBlock(dir, 'raw'));
        if (pair % 2 === 1) server.push(await serverBlock(dir, gateways, pair));
      }
      storeOnly = await sqliteBlock(dir, 'store');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const figure = pooled(server);
    const baseline = pooled(raw);
    const ratio = figure / baseline;
    return [{
      name: 'srv-ingest',
      figure,
      unit: 'readings/s stored (MQTT → ingest → SqliteStore)',
      baseline,
      baselineUnit: 'readings/s raw INSERTs',
      ratio,
      target: `>= ${TARGET}`,
      ok: ratio >= TARGET,
      details: {
        gateways: GATEWAYS,
        batchesPerGateway: BATCHES,
        batchSize: BATCH_SIZE,
        window: WINDOW,
        readingsPerBlock: READINGS,
        distinctPointsPerBatch: 48,
        serverRates: server.map((b) => Math.round(rate(b))),
        rawRates: raw.map((b) => Math.round(rate(b))),
        medianPairedRatio: Number(median(server.map((b, i) => rate(b) / rate(raw[i] ?? b))).toFixed(3)),
        storeOnlyRate: Math.round(rate(storeOnly)),
        storeOnlyRatio: Number((rate(storeOnly) / baseline).toFixed(3)),
        serverPath: 'mqtt.js QoS 1 → aedes (auth, ACL) → ingest (JSON.parse, zod TelemetryBatch, per-gateway queue) → SqliteStore.ingestTelemetry (dedup ledger INSERT, telemetry INSERT, one latest_values upsert per point per batch) → onMessage',
        rawPath: 'better-sqlite3 INSERT INTO telemetry only (same schema and index), values JSON-encoded, no dedup ledger, no latest values, no MQTT, no validation',
        storeOnlyPath: 'SqliteStore.ingestTelemetry called directly with parsed readings (no MQTT, no parse, no validation)',
        cpus: os.cpus().length,
        loadAverage1m: Number(os.loadavg()[0]?.toFixed(2)),
      },
    }];
  },
};
