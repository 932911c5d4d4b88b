import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openOutbox } from '../../../gateway/src/outbox/index.js';
import type { NewReading } from '../../../gateway/src/outbox/index.js';
import { configureConnection } from '../../../gateway/src/outbox/outbox-schema.js';
import { median } from './median.js';
import type { Benchmark, BenchResult } from './types.js';

const ROWS_PER_BLOCK = 20_000;
/** Alternating blocks (ABBA), each on a fresh file: a disk or load swing hits both sides alike. */
const PAIRS = 24;
/** Rows a transaction on both sides (the outbox's default batchSize). */
const BATCH = 500;
/** Readings per enqueueTelemetry call: one device's poll cycle, as the poller hands them over. */
const PER_CALL = 50;
const TARGET = 0.7;
const SHM = '/dev/shm';

const POINTS = [
  ['car-position', (i: number) => (i % 24) + 1],
  ['speed', (i: number) => Math.round(Math.sin(i) * 250) / 100],
  ['door-open', (i: number) => i % 7 === 0],
  ['level', (i: number) => Math.round(1000 + Math.cos(i) * 400) / 10],
  ['flow', (i: number) => Math.round(i * 37.3) / 10],
  ['fault-code', (i: number) => (i % 50 === 0 ? 'E-DOOR-12' : 'none')],
] as const;

/** Readings like the poller's: 200 devices of mixed families, numbers, booleans, a few strings and comm-fails. */
function makeReadings(n: number): NewReading[] {
  const start = 1_790_000_000_000;
  return Array.from({ length: n }, (_, i) => {
    const [point, valueOf] = POINTS[i % POINTS.length]!;
    const isCommFail = i % 997 === 0;
    return { device: `site-7-dev-${String(i % 200).padStart(3, '0')}`, point, ts: start + i * 5, value: isCommFail ? null : valueOf(i), quality: isCommFail ? 'comm-fail' : 'good' };
  });
}

interface Block {
  rows: number;
  ms: number;
}
const rateOf = (b: Block): number => (b.rows * 1000) / b.ms;
const pooledRate = (blocks: readonly Block[]): number => (blocks.reduce((n, b) => n + b.rows, 0) * 1000) / blocks.reduce((t, b) => t + b.ms, 0);

function viaOutbox(file: string, readings: readonly NewReading[]): Block {
  const outbox = openOutbox({ path: file, maxBytes: 1e12, maxAgeMs: 1e12, batchSize: BATCH, flushIntervalMs: 60_000 });
  const t0 = performance.now();
  for (let i = 0; i < readings.length; i += PER_CALL) outbox.enqueueTelemetry(readings.slice(i, i + PER_CALL));
  outbox.flush();
  const ms = performance.now() - t0;
  if (outbox.stats().lastSeq.telemetry !== readings.length) throw new Error('gw-outbox: the outbox stored a different row count');
  outbox.close();
  return { rows: readings.length, ms };
}

/**
 * The least a batched insert of the same rows can do: same pragmas (the outbox's own
 * configureConnection), same table, same batch size, each item JSON-encoded and measured as the
 * outbox must; no seq bookkeeping, buffer, listeners or bounds. `preEncoded` skips the JSON too.
 */
function viaRawInserts(file: string, readings: readonly NewReading[], preEncoded?: readonly string[]): Block {
  const db = new Database(file);
  configureConnection(db);
  db.exec('CREATE TABLE telemetry (seq INTEGER PRIMARY KEY, enqueued_at INTEGER NOT NULL, bytes INTEGER NOT NULL, item TEXT NOT NULL)');
  const insert = db.prepare<[number, number, number, string]>('INSERT INTO telemetry (seq, enqueued_at, bytes, item) VALUES (?, ?, ?, ?)');
  let seq = 0;
  // Two loops rather than one with a branch, so the baseline's hot loop is as lean as it can be.
  const insertBatch = db.transaction((from: number, to: number) => {
    const at = Date.now();
    for (let i = from; i < to; i++) {
      const json = JSON.stringify(readings[i]);
      insert.run(++seq, at, Buffer.byteLength(json), json);
    }
  });
  const insertEncodedBatch = db.transaction((encoded: readonly string[], from: number, to: number) => {
    const at = Date.now();
    for (let i = from; i < to; i++) insert.run(++seq, at, 0, encoded[i]!);
  });
  const t0 = performance.now();
  for (let i = 0; i < readings.length; i += BATCH) {
    const to = Math.min(i + BATCH, readings.length);
    if (preEncoded === undefined) insertBatch(i, to);
    else insertEncodedBatch(preEncoded, i, to);
  }
  const ms = performance.now() - t0;
  db.close();
  return { rows: readings.length, ms };
}

/** Both sides on fresh files in one temp dir under `root`, alternating blocks. */
function compareOn(name: string, root: string, readings: readonly NewReading[]): BenchResult {
  const dir = mkdtempSync(path.join(root, 'edgefleet-bench-outbox-'));
  const encoded = readings.map((r) => JSON.stringify(r));
  let n = 0;
  const fresh = (): string => path.join(dir, `${n++}.db`);
  const outboxBlocks: Block[] = [];
  const rawBlocks: Block[] = [];
  const insertOnlyBlocks: Block[] = [];
  try {
    // Warm-up (JIT, page cache), not counted.
    viaOutbox(fresh(), readings);
    viaRawInserts(fresh(), readings);
    for (let pair = 0; pair < PAIRS; pair++) {
      if (pair % 2 === 0) outboxBlocks.push(viaOutbox(fresh(), readings));
      rawBlocks.push(viaRawInserts(fresh(), readings));
      if (pair % 2 === 1) outboxBlocks.push(viaOutbox(fresh(), readings));
      if (pair % 4 === 0) insertOnlyBlocks.push(viaRawInserts(fresh(), readings, encoded));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const figure = pooledRate(outboxBlocks);
  const baseline = pooledRate(rawBlocks);
  const ratio = figure / baseline;
  const outboxRates = outboxBlocks.map(rateOf);
  const rawRates = rawBlocks.map(rateOf);
  const insertOnly = pooledRate(insertOnlyBlocks);
  return {
    name,
    figure,
    unit: 'rows/s',
    baseline,
    baselineUnit: 'rows/s',
    ratio,
    target: `>= ${TARGET}`,
    ok: ratio >= TARGET,
    details: {
      dir: root,
      rowsPerBlock: ROWS_PER_BLOCK,
      pairs: PAIRS,
      batch: BATCH,
      readingsPerCall: PER_CALL,
      meanItemBytes: Math.round(encoded.reduce((s, j) => s + j.length, 0) / encoded.length),
      outboxRates: outboxRates.map(Math.round),
      rawRates: rawRates.map(Math.round),
      medianPairedRatio: Number(median(outboxRates.map((r, i) => r / (rawRates[i] ?? r))).toFixed(3)),
      // For the note: SQLite alone, the JSON encoded before timing (so the ratio excludes encoding).
      rawInsertOnlyRate: Math.round(insertOnly),
      ratioVsInsertOnly: Number((figure / insertOnly).toFixed(3)),
    },
  };
}

/**
 * Telemetry rows/s through the outbox (enqueueTelemetry in poll-sized calls, batched
 * transactions, WAL, synchronous=FULL) vs raw better-sqlite3 batched inserts of the same rows;
 * target ratio ≥ 0.7. Measured in the OS temp dir (a disk: fsync per commit dominates) and,
 * where there is one, in /dev/shm (no fsync cost: the outbox's CPU overhead shows alone).
 */
export const gwOutbox: Benchmark = {
  name: 'gw-outbox',
  description: `telemetry rows/s through the outbox vs raw better-sqlite3 batched inserts (${BATCH} rows a transaction, WAL, synchronous=FULL)`,
  async run(): Promise<BenchResult[]> {
    const readings = makeReadings(ROWS_PER_BLOCK);
    const results = [compareOn('gw-outbox', os.tmpdir(), readings)];
    if (existsSync(SHM) && path.resolve(os.tmpdir()) !== SHM) results.push(compareOn('gw-outbox-tmpfs', SHM, readings));
    return results;
  },
};
