import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pino from 'pino';
import { ManagedConfig, type GatewayHealth } from '@edgefleet/protocol';
import { ADMIN_TOKEN_FILE, serverConfigSchema, startServer, type RunningServer } from '@edgefleet/fleet-server';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { median } from './median.js';
import type { Benchmark, BenchResult } from './types.js';

const run = promisify(execFile);
const FLEET = fileURLToPath(new URL('../../bin/fleet.js', import.meta.url));
/** A city's fleet: 10 sites of 20 gateways of 20 devices. */
const SITES = 10;
const GATEWAYS_PER_SITE = 20;
const DEVICES = 20;
const ROUNDS = 5;
const HASH = 'scrypt$1024$8$1$c2FsdA$aGFzaA';

export interface StatusFleet {
  server: RunningServer;
  proxy: CountingProxy;
  token: string;
  gateways: string[];
  stop(): Promise<void>;
}

function health(gateway: string, g: number): GatewayHealth {
  return {
    v: 1, gateway, bootId: 'boot-1', seq: 1, ts: Date.now(), uptimeS: 600,
    outbox: { events: { depth: g % 3 }, telemetry: { depth: (g * 7) % 50, dropped: 0 }, bytes: 1_000, maxBytes: 64 << 20 },
    buses: [], clock: { source: 'ntp' }, config: { version: 1 },
    // Every tenth device of every fifth gateway is down: a few lines name devices, as in a real fleet.
    devices: Array.from({ length: DEVICES }, (_, d) => ({
      id: `dev-${d + 1}`, bus: 'rs485', state: g % 5 === 0 && d % 10 === 0 ? 'offline' : 'online', polls: 100, failures: 0,
    })),
  };
}

/**
 * A real server (SQLite in `dir`, ports 0) seeded through its store, as ingest would have left
 * it: devices, a health report, desired and reported config per gateway, an open alert on every
 * tenth; a site `empty` with no gateways; a proxy in front that counts the requests.
 */
export async function startStatusFleet(dir: string): Promise<StatusFleet> {
  const server = await startServer(serverConfigSchema.parse({
    dataDir: path.join(dir, 'server'), broker: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0, dashboard: { enabled: false } }, log: { level: 'error' },
  }), { logger: pino({ level: 'silent' }) });
  const { store } = server;
  const config = ManagedConfig.parse({});
  const gateways: string[] = [];
  await store.upsertSite({ id: 'empty', name: 'Empty', timezone: 'UTC' });
  for (let s = 0; s < SITES; s++) {
    const site = `site-${s + 1}`;
    await store.upsertSite({ id: site, name: site, timezone: 'UTC' });
    for (let i = 0; i < GATEWAYS_PER_SITE; i++) {
      const g = gateways.length;
      const id = `gw-${s + 1}-${i + 1}`;
      gateways.push(id);
      await store.upsertGateway({ id, site, name: id, secretHash: HASH });
      for (let d = 0; d < DEVICES; d++) await store.upsertDevice({ gateway: id, device: `dev-${d + 1}`, profile: 'liftronic-lmi-200', name: `dev-${d + 1}`, location: null });
      await store.setGatewayStatus(id, g % 20 === 0 ? 'offline' : 'online', Date.now());
      await store.recordHealth(health(id, g), Date.now());
      await store.putDesiredConfig(id, config, Date.now(), 'user:admin');
      await store.setGatewayConfigState(id, { version: g % 4 === 0 ? 0 : 1, appliedAt: Date.now() });
      if (g % 10 === 0) await store.openAlert({ gateway: id, device: 'dev-1', rule: 'comm-fail' }, { severity: 'major', message: 'm', at: Date.now() });
    }
  }
  const token = (await readFile(path.join(dir, 'server', ADMIN_TOKEN_FILE), 'utf8')).trim();
  const proxy = await startCountingProxy(`http://127.0.0.1:${server.httpPort}`);
  return {
    server, proxy, token, gateways,
    stop: async () => {
      await proxy.close();
      await server.stop();
    },
  };
}

/** Wall ms of one `fleet status --json` run of `fleetBin` (its own node process) and the requests it made. */
export async function timeFleetStatus(fleet: StatusFleet, args: readonly string[], fleetBin = FLEET): Promise<{ ms: number; requests: number; lines: number }> {
  const { EDGEFLEET_SERVER: _s, EDGEFLEET_TOKEN: _t, ...env } = process.env;
  const before = fleet.proxy.requests.length;
  const t0 = performance.now();
  const { stdout } = await run(process.execPath, [fleetBin, 'status', '--json', ...args], {
    env: { ...env, EDGEFLEET_SERVER: fleet.proxy.url, EDGEFLEET_TOKEN: fleet.token, NO_COLOR: '1' }, maxBuffer: 64 << 20,
  });
  const ms = performance.now() - t0;
  return { ms, requests: fleet.proxy.requests.length - before, lines: (JSON.parse(stdout) as unknown[]).length };
}

/** The request phase alone, in this process: the list (+ alerts) and, per `perGateway`, GET /gateways/:id of each as the CLI did before. */
async function timeRequests(fleet: StatusFleet, perGateway: boolean): Promise<number> {
  const base = `http://127.0.0.1:${fleet.server.httpPort}/api/v1`;
  const get = async (route: string): Promise<unknown> => (await fetch(`${base}${route}`, { headers: { authorization: `Bearer ${fleet.token}` } })).json();
  const t0 = performance.now();
  const [list] = await Promise.all([get('/gateways') as Promise<{ items: { id: string }[] }>, get('/alerts?state=open&limit=10000')]);
  if (perGateway) await Promise.all(list.items.map((g) => get(`/gateways/${g.id}`)));
  return performance.now() - t0;
}

const round = (n: number): number => Math.round(n * 10) / 10;

/**
 * `fleet status` of 200 gateways, the real binary through a counting proxy: requests per run
 * against the 2 + 200 the command made before (GET /gateways/:id per gateway), and wall time
 * against the same binary on a site with no gateways (start-up and two small round trips).
 */
export const cliStatus: Benchmark = {
  name: 'cli-status',
  description: `fleet status --json of ${SITES * GATEWAYS_PER_SITE} gateways (SQLite server, binary in a child, median of ${ROUNDS}) vs an empty site; requests counted at a proxy`,
  async run(): Promise<BenchResult[]> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-bench-status-'));
    try {
      const fleet = await startStatusFleet(dir);
      try {
        const full: number[] = [];
        const empty: number[] = [];
        const list: number[] = [];
        const perGateway: number[] = [];
        let requests = 0;
        // Alternating rounds damp drift (JIT, page cache, a neighbour's load).
        for (let i = 0; i < ROUNDS; i++) {
          const all = await timeFleetStatus(fleet, []);
          if (all.lines !== fleet.gateways.length) throw new Error(`cli-status: ${all.lines} lines for ${fleet.gateways.length} gateways`);
          requests = all.requests;
          full.push(all.ms);
          empty.push((await timeFleetStatus(fleet, ['--site', 'empty'])).ms);
          list.push(await timeRequests(fleet, false));
          perGateway.push(await timeRequests(fleet, true));
        }
        const gateways = fleet.gateways.length;
        const details = {
          gateways, requests, wallMs: { full: round(median(full)), emptySite: round(median(empty)) },
          requestPhaseMs: { listOnly: round(median(list)), perGatewayAsBefore: round(median(perGateway)) },
        };
        return [
          {
            name: 'cli-status-requests', figure: requests, unit: `requests per fleet status of ${gateways} gateways`,
            baseline: 2 + gateways, baselineUnit: 'requests with GET /gateways/:id per gateway (before)',
            ratio: requests / (2 + gateways), target: 'requests == 2', ok: requests === 2, details,
          },
          {
            name: 'cli-status-time', figure: median(full),
            unit: `ms wall, fleet status --json of ${gateways} gateways (request phase in-process: ${details.requestPhaseMs.listOnly} ms list + alerts, ${details.requestPhaseMs.perGatewayAsBefore} ms with a request per gateway)`,
            baseline: median(empty), baselineUnit: 'ms wall, the same on a site with no gateways (start-up + 2 requests)',
            ratio: median(full) / median(empty), target: 'informational (no budget)', ok: true, details,
          },
        ];
      } finally {
        await fleet.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
