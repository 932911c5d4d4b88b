import { timeEncodedGets, type EncodedTiming } from './encoded-get.js';
import { median, percentile } from './median.js';
import type { BenchResult } from './types.js';

const ROUNDS = 50;
/** The first rounds warm up the JIT and the store's statement caches; not counted. */
const WARMUP = 5;

interface Timing { medianMs: number; p95Ms: number; bytes: number }

const round = (n: number): number => Math.round(n * 10) / 10;

/**
 * Loopback round trips of one GET, one at a time (an upper bound of the server time). Node's
 * fetch asks for `gzip, deflate` and decodes, so big replies come gzipped; `bytes` is decoded.
 */
async function time(url: string, token: string): Promise<Timing> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < ROUNDS + WARMUP; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`cockpit: GET ${url}: ${res.status} ${body}`);
    if (i >= WARMUP) times.push(performance.now() - t0);
    bytes = body.length;
  }
  return { medianMs: median(times), p95Ms: percentile(times, 95), bytes };
}

const text = (t: Timing): string => `median ${t.medianMs.toFixed(1)} ms, p95 ${t.p95Ms.toFixed(1)} ms, ${(t.bytes / 1024).toFixed(0)} KiB`;

/**
 * The server's side of the dashboard's two big reads, GET /overview and GET /sites/:id/devices,
 * against the bench's seeded server; GET /healthz on the same server is the baseline (HTTP and
 * loopback cost without a store read). Informational: the budget is the rendered overview's.
 */
export async function serverReadsResult(baseUrl: string, token: string, site: string, fleet: string): Promise<BenchResult> {
  const overview = await time(`${baseUrl}/api/v1/overview`, token);
  const devices = await time(`${baseUrl}/api/v1/sites/${site}/devices`, token);
  const healthz = await time(`${baseUrl}/healthz`, token);
  // The site view's read as a plain client, Node's fetch and a browser get it (http.compression).
  const encoded: EncodedTiming[] = [];
  for (const encoding of ['identity', 'gzip', 'br'] as const) {
    encoded.push(await timeEncodedGets(`${baseUrl}/api/v1/sites/${site}/devices`, { authorization: `Bearer ${token}` }, encoding, ROUNDS, WARMUP));
  }
  const wire = encoded.map((e) => `${e.encoding} ${(e.wireBytes / 1024).toFixed(0)} KiB ${e.medianMs.toFixed(1)} ms CPU ${e.cpuMsPerRequest.toFixed(1)} ms`).join(', ');
  return {
    name: 'cockpit-server-reads', figure: overview.medianMs,
    unit: `ms median, GET /overview round trip (${text(overview)}; GET /sites/${site}/devices ${text(devices)}, on the wire ${wire}; n=${ROUNDS} each, ${fleet})`,
    baseline: healthz.medianMs, baselineUnit: `ms median, GET /healthz on the same server (p95 ${healthz.p95Ms.toFixed(1)} ms)`,
    ratio: overview.medianMs / Math.max(0.1, healthz.medianMs), target: 'informational (no budget)', ok: true,
    details: {
      overview: { medianMs: round(overview.medianMs), p95Ms: round(overview.p95Ms), bytes: overview.bytes },
      siteDevices: { site, medianMs: round(devices.medianMs), p95Ms: round(devices.p95Ms), bytes: devices.bytes },
      healthz: { medianMs: round(healthz.medianMs), p95Ms: round(healthz.p95Ms) },
      siteDevicesEncoded: Object.fromEntries(encoded.map((e) => [e.encoding, {
        wireBytes: e.wireBytes, medianMs: round(e.medianMs), p95Ms: round(e.p95Ms), cpuMsPerRequest: round(e.cpuMsPerRequest),
      }])),
    },
  };
}
