import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { ADMIN_TOKEN_FILE, hashSecret, serverConfigSchema, startServer, type RunningServer } from '@edgefleet/fleet-server';
import { buildDashboard } from '../dashboard/build-dashboard.js';
import { chromiumMissing, launchChromium } from '../dashboard/chromium.js';
import { openBoard, overviewRenderRuns } from './cockpit-browser.js';
import { deviceId, FakeGateway, FLEET, gatewayId, siteId } from './cockpit-fleet.js';
import { measureInitialJs } from './cockpit-initial-js.js';
import { serverReadsResult } from './cockpit-server-reads.js';
import { openAlertStream } from './cockpit-sse.js';
import { median, percentile } from './median.js';
import type { Benchmark, BenchResult } from './types.js';

const INITIAL_JS_TARGET_KB = 200;
const RENDER_TARGET_MS = 1_000;
const BOARD_TARGET_MS = 1_000;
const OPEN_ALERTS = 100;
const RENDER_RUNS = 7;
const BOARD_SAMPLES = 20;
const SECRET = 'cockpit-bench-gateway-secret';
const EMPTY_SITE = 'empty';
const silent = pino({ level: 'silent' });

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([work, sleep(ms, undefined, { ref: false }).then(() => Promise.reject(new Error(`cockpit: no ${what} within ${ms} ms`)))]);
}

const round = (n: number): number => Math.round(n * 10) / 10;

async function api<T>(server: RunningServer, token: string, method: string, route: string, body?: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${server.httpPort}/api/v1${route}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`cockpit: ${method} ${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`cockpit: ${what} not reached within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Fleet of FLEET's shape reported by fake gateways over MQTT, OPEN_ALERTS alarms raised through the alert engine. */
async function seedFleet(server: RunningServer, gateways: FakeGateway[]): Promise<void> {
  const registry = new ProfileRegistry(loadBuiltinProfiles());
  const perGateway = OPEN_ALERTS / gateways.length;
  for (const [i, gw] of gateways.entries()) {
    // Every 25th device of a gateway is down, for the overview's "devices down".
    const offline = new Set(Array.from({ length: FLEET.devicesPerGateway }, (_, d) => d).filter((d) => (d + i) % 25 === 0));
    await gw.report(registry, FLEET.devicesPerGateway, offline);
    for (let a = 0; a < perGateway; a++) await gw.raise(deviceId(a), 'bench-seeded', a + i, `Seeded fault ${a + 1} on ${gw.id}`);
  }
  const devices = FLEET.sites * FLEET.gatewaysPerSite * FLEET.devicesPerGateway;
  await until(`${devices} devices and ${OPEN_ALERTS} open alerts`, async () => {
    const counts = await Promise.all(gateways.map((g) => server.store.listDevices(g.id)));
    return counts.reduce((s, d) => s + d.length, 0) >= devices && (await server.store.listOpenAlerts()).length >= OPEN_ALERTS;
  });
}

function renderResult(name: string, times: number[], baseline: number[], what: string): BenchResult {
  const p50 = median(times);
  const worst = Math.max(...times);
  const base = median(baseline);
  return {
    name, figure: p50,
    unit: `ms median, navigation start → overview rendered (worst ${worst.toFixed(0)} ms, n=${times.length}, ${what})`,
    baseline: base, baselineUnit: 'ms median, the same for a manager of an empty site',
    ratio: p50 / base, target: `median and worst < ${RENDER_TARGET_MS} ms`, ok: worst < RENDER_TARGET_MS,
    details: { runsMs: times.map(round), baselineRunsMs: baseline.map(round) },
  };
}

/**
 * The dashboard's budgets (issue 6): the initial JavaScript of a fresh build, the overview of a
 * 500-device fleet with 100 open alerts rendered in Debian's chromium, and alarm → board latency.
 * Server in this process; chromium in its own.
 */
export const cockpitBench: Benchmark = {
  name: 'cockpit',
  description: `dashboard: initial JS (gzip -9) of a fresh build; overview of ${FLEET.sites * FLEET.gatewaysPerSite * FLEET.devicesPerGateway} devices and ${OPEN_ALERTS} open alerts rendered in headless chromium (signed in with an API token through the form, cache cleared, ${RENDER_RUNS} runs); alarm event over MQTT → alert on the open board (${BOARD_SAMPLES} samples, from the alert's raisedAt); server time of GET /overview and GET /sites/:id/devices against GET /healthz`,
  async run(): Promise<BenchResult[]> {
    const missing = chromiumMissing();
    if (missing) throw new Error(`cockpit: ${missing}`);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-bench-cockpit-'));
    const dashboard = await buildDashboard();
    const cleanups: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true }), () => dashboard.remove()];
    try {
      const js = await measureInitialJs(dashboard.dir);
      const secretHash = await hashSecret(SECRET, { N: 1024, r: 8, p: 1 });
      const sites = Array.from({ length: FLEET.sites }, (_, s) => ({ id: siteId(s), name: `Site ${s + 1}` }));
      const gatewayIds = sites.flatMap((_, s) => Array.from({ length: FLEET.gatewaysPerSite }, (_, g) => ({ id: gatewayId(s, g), site: siteId(s), secretHash })));
      const server = await startServer(serverConfigSchema.parse({
        dataDir: path.join(dir, 'server'), broker: { host: '127.0.0.1', port: 0 },
        http: { host: '127.0.0.1', port: 0, dashboard: { dir: dashboard.dir } },
        sites: [...sites, { id: EMPTY_SITE, name: 'Empty site' }], gateways: gatewayIds,
        alerts: { tickIntervalMs: 1_000 }, log: { level: 'error' },
      }), { logger: silent });
      cleanups.push(() => server.stop());
      const gateways: FakeGateway[] = [];
      for (const g of gatewayIds) gateways.push(await FakeGateway.connect(server.brokerPort, g.id, SECRET));
      cleanups.push(() => Promise.all(gateways.map((g) => g.close())));
      await seedFleet(server, gateways);

      const url = `http://127.0.0.1:${server.httpPort}`;
      const admin = (await readFile(path.join(dir, 'server', ADMIN_TOKEN_FILE), 'utf8')).trim();
      await api(server, admin, 'POST', '/users', { id: 'empty-manager', name: 'Empty', role: 'manager', sites: [EMPTY_SITE] });
      const emptyToken = (await api<{ token: string }>(server, admin, 'POST', '/users/empty-manager/tokens', { label: 'bench' })).token;
      // Before the browser runs, on the seeded fleet only (the board samples add alerts).
      const reads = await serverReadsResult(url, admin, siteId(0), `${gatewayIds.length * FLEET.devicesPerGateway} devices, ${OPEN_ALERTS} open alerts, admin`);

      const browser = await launchChromium();
      cleanups.push(() => browser.close());
      const full = await overviewRenderRuns(browser.context, url, admin, RENDER_RUNS);
      const empty = await overviewRenderRuns(browser.context, url, emptyToken, RENDER_RUNS);

      const board = await openBoard(browser.context, url, admin);
      const stream = await openAlertStream(url, admin);
      cleanups.push(async () => stream.close());
      const samples: { id: number; shownMs: number; streamedMs: number }[] = [];
      const raiser = gateways[0] as FakeGateway;
      for (let i = 0; i < BOARD_SAMPLES; i++) {
        // Random phase against the page's timers and the server's tick.
        await sleep(100 + Math.random() * 400);
        const device = deviceId(OPEN_ALERTS / gateways.length + i);
        const streamed = stream.alertFor(device);
        await raiser.raise(device, 'bench-live', i, `Live fault ${i + 1}`);
        const { id, receivedAt } = await withTimeout(streamed, 10_000, `live alert event for ${device}`);
        const shownAt = await board.shownAt(id, 10_000);
        const { raisedAt } = await api<{ raisedAt: number }>(server, admin, 'GET', `/alerts/${id}`);
        samples.push({ id, shownMs: shownAt - raisedAt, streamedMs: receivedAt - raisedAt });
      }
      const shown = samples.map((s) => s.shownMs);
      const streamedMs = samples.map((s) => s.streamedMs);
      const p99 = percentile(shown, 99);
      return [
        {
          name: 'cockpit-initial-js', figure: js.gzipBytes / 1024,
          unit: `KB gzipped, scripts index.html loads at start (${js.files.map((f) => f.file).join(', ')})`,
          baseline: js.allJsGzipBytes / 1024, baselineUnit: 'KB gzipped, every JS file of the build (lazy chunks too)',
          ratio: js.gzipBytes / js.allJsGzipBytes, target: `<= ${INITIAL_JS_TARGET_KB} KB`, ok: js.gzipBytes / 1024 <= INITIAL_JS_TARGET_KB,
          details: { files: js.files },
        },
        renderResult('cockpit-overview-render', full, empty, `${FLEET.sites} sites, ${gatewayIds.length} gateways, admin`),
        {
          name: 'cockpit-fault-to-board', figure: p99,
          unit: `ms p99, alert raisedAt → shown on the open board (p50 ${percentile(shown, 50).toFixed(0)} ms, n=${shown.length})`,
          baseline: percentile(streamedMs, 99), baselineUnit: `ms p99, raisedAt → the same event at a plain HTTP client of the stream (p50 ${percentile(streamedMs, 50).toFixed(0)} ms)`,
          ratio: p99 / Math.max(1, percentile(streamedMs, 99)), target: `p99 <= ${BOARD_TARGET_MS} ms`, ok: p99 <= BOARD_TARGET_MS,
          details: { samples: samples.map((s) => ({ ...s, shownMs: round(s.shownMs), streamedMs: round(s.streamedMs) })) },
        },
        reads,
      ];
    } finally {
      for (const step of cleanups.reverse()) await step().catch(() => undefined);
    }
  },
};
