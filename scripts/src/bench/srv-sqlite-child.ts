// Child process of srv-ingest: the same rows written straight to SQLite, in its own process.
//   srv-sqlite-child.ts raw   DIR GATEWAYS BATCHES BATCH_SIZE
//       the baseline: better-sqlite3 INSERTs into the store's own telemetry table (schema made by
//       SqliteStore.open, so the same index), WAL + synchronous=FULL, one transaction per batch
//   srv-sqlite-child.ts store DIR GATEWAYS BATCHES BATCH_SIZE
//       SqliteStore.ingestTelemetry per batch: the store's whole write (dedup ledger, telemetry,
//       latest values) without MQTT, JSON parsing or validation; reported in details only
// Batches go gateway by gateway round-robin, as the server's ingest sees them. Prints
// {"rows", "ms"} and exits. The readings are built before the clock starts, in both modes.
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '@edgefleet/fleet-server';
import type { Reading } from '@edgefleet/protocol';
import { gatewayIdOf, telemetryBatch } from './srv-ingest-rows.js';

async function main(): Promise<void> {
  const [mode, parent, gateways, batches, batchSize] = process.argv.slice(2);
  if ((mode !== 'raw' && mode !== 'store') || parent === undefined) throw new Error('usage: srv-sqlite-child.ts raw|store DIR GATEWAYS BATCHES BATCH_SIZE');
  const dir = mkdtempSync(path.join(parent, `${mode}-`));
  const file = path.join(dir, 'edgefleet.sqlite');
  const work: { gateway: string; items: Reading[] }[] = [];
  for (let b = 0; b < Number(batches); b++) {
    for (let g = 0; g < Number(gateways); g++) work.push({ gateway: gatewayIdOf(g), items: telemetryBatch(gatewayIdOf(g), b, Number(batchSize)).items });
  }
  const rows = work.reduce((n, w) => n + w.items.length, 0);
  let ms: number;
  if (mode === 'store') {
    const store = SqliteStore.open({ path: file });
    const t0 = performance.now();
    for (const w of work) await store.ingestTelemetry(w.gateway, w.items, Date.now());
    ms = performance.now() - t0;
    await store.close();
  } else {
    await SqliteStore.open({ path: file }).close();
    const db = new Database(file);
    // The store's pragmas (sqlite-migrations.ts configureConnection).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const insert = db.prepare('INSERT INTO telemetry (gateway_id, device_id, point, ts, seq, value, quality) VALUES (?, ?, ?, ?, ?, ?, ?)');
    const insertBatch = db.transaction((gateway: string, items: readonly Reading[]) => {
      for (const r of items) insert.run(gateway, r.device, r.point, r.ts, r.seq, JSON.stringify(r.value), r.quality);
    });
    const t0 = performance.now();
    for (const w of work) insertBatch(w.gateway, w.items);
    ms = performance.now() - t0;
    db.close();
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${JSON.stringify({ rows, ms })}\n`);
}

await main();
