// Measures GET /api/v1/overview and GET /api/v1/sites/:id/devices on a fleet server holding one
// site of 500 devices (10 gateways x 50, 8 points each), 100 open alerts, and a history of 2,000
// resolved alerts (60 of them today). Prints median and p95 of the loopback round trip (an upper
// bound of the server time). SQLite always; PostgreSQL too when EDGEFLEET_TEST_PG is set.
//   npx tsx fleet-server/test/bench/measure-dashboard-reads.ts
// (Here rather than in scripts/src/bench: it drops its PostgreSQL schema with pg, a fleet-server dependency.)
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { GatewayHealth, Reading } from '@edgefleet/protocol';
import { serverConfigSchema } from '../../src/config/server-config.js';
import { startServer } from '../../src/main.js';
import type { Store } from '../../src/store/store.js';

const GATEWAYS = 10;
const DEVICES_PER_GATEWAY = 50;
const POINTS = ['floor', 'direction', 'door-state', 'speed', 'load', 'trips', 'mode', 'motor-temp'];
const OPEN_ALERTS = 100;
const HISTORY = 2_000;
const ROUNDS = 50;
const H = 3_600_000;

const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);
/** Nearest rank. */
const percentile = (values: readonly number[], p: number): number => sorted(values)[Math.max(0, Math.ceil((p / 100) * values.length) - 1)] ?? Number.NaN;

async function seed(store: Store, now: number): Promise<void> {
  const day = now - (now % (24 * H));
  for (let g = 0; g < GATEWAYS; g++) {
    const gateway = `gw-${g}`;
    await store.upsertGateway({ id: gateway, site: 'north', name: gateway, secretHash: 'scrypt$1024$8$1$c2FsdA$aGFzaA' });
    await store.setGatewayStatus(gateway, g === 0 ? 'offline' : 'online', now);
    const readings: Reading[] = [];
    const devices: GatewayHealth['devices'] = [];
    for (let d = 0; d < DEVICES_PER_GATEWAY; d++) {
      const device = `lift-${d}`;
      await store.upsertDevice({ gateway, device, profile: 'liftronic-lmi-200', name: `Lift ${g}.${d}`, location: null });
      for (const point of POINTS) readings.push({ seq: readings.length + 1, device, point, ts: now - 1_000, value: d % 5, quality: 'good' });
      devices.push({ id: device, bus: 'rs485', state: d % 25 === 0 ? 'offline' : 'online', polls: 100, failures: 0, lastGoodAt: now - 1_000 });
    }
    await store.ingestTelemetry(gateway, readings, now);
    await store.recordHealth({
      v: 1, gateway, bootId: 'b', seq: 1, ts: now, uptimeS: 1, buses: [], devices, clock: { source: 'ntp' }, config: { version: 0 },
      outbox: { events: { depth: 0 }, telemetry: { depth: 0, dropped: 0 }, bytes: 0, maxBytes: 1 },
    }, now);
  }
  const severities = ['critical', 'major', 'minor', 'info'] as const;
  for (let i = 0; i < HISTORY + OPEN_ALERTS; i++) {
    const key = { gateway: `gw-${i % GATEWAYS}`, device: `lift-${i % DEVICES_PER_GATEWAY}`, rule: `r-${i}` };
    const open = i >= HISTORY;
    const today = i >= HISTORY - 60;
    const raisedAt = open || today ? day + (i % 600) * 1_000 : day - (HISTORY - i) * H;
    const { alert } = await store.openAlert(key, { severity: severities[i % 4] ?? 'info', message: 'm', at: raisedAt });
    if (open && i % 3 === 0) await store.transitionAlert(alert.id, 'acknowledged', raisedAt + 30_000, 'user:bench');
    if (!open) {
      await store.transitionAlert(alert.id, 'acknowledged', raisedAt + 60_000 + i, 'user:bench');
      await store.transitionAlert(alert.id, 'resolved', raisedAt + 600_000 + i, 'user:bench');
    }
  }
}

async function measure(label: string, postgres?: { url: string; schema: string }): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-bench-dashboard-'));
  const now = Date.now();
  const config = serverConfigSchema.parse({
    dataDir: dir, broker: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0, dashboard: { enabled: false } },
    sites: [{ id: 'north', name: 'North' }], log: { level: 'silent' },
    ...(postgres ? { store: { kind: 'postgres', url: postgres.url, schema: postgres.schema, pool: 4 } } : {}),
  });
  const server = await startServer(config, { logger: pino({ level: 'silent' }) });
  try {
    await seed(server.store, now);
    const token = (await readFile(path.join(dir, 'admin-token'), 'utf8')).trim();
    const base = `http://127.0.0.1:${server.httpPort}/api/v1`;
    for (const route of ['/overview', '/sites/north/devices']) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < ROUNDS + 5; i++) {
        const t0 = performance.now();
        const res = await fetch(base + route, { headers: { authorization: `Bearer ${token}` } });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`${route}: ${res.status} ${body}`);
        if (i >= 5) times.push(performance.now() - t0); // the first rounds warm up JIT and statement caches
        bytes = body.length;
      }
      console.log(`${label} GET ${route}: median ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms (${ROUNDS} rounds, ${(bytes / 1024).toFixed(0)} KiB)`);
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await measure('sqlite');
const url = process.env.EDGEFLEET_TEST_PG;
if (url) {
  const schema = `edgefleet_bench_${randomBytes(4).toString('hex')}`;
  try {
    await measure('postgres', { url, schema });
  } finally {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
} else {
  console.log('postgres skipped: set EDGEFLEET_TEST_PG');
}
