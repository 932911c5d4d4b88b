import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import pino from 'pino';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { ADMIN_TOKEN_FILE, hashSecret, serverConfigSchema, startServer } from '@edgefleet/fleet-server';
import { FakeGateway, gatewayId, siteId } from './cockpit-fleet.js';
import { timeEncodedGets, type EncodedTiming } from './encoded-get.js';
import { median } from './median.js';
import type { Benchmark, BenchResult } from './types.js';

/** One site of 500 devices (10 gateways of 50), the size the dashboard's site view must load over a phone. */
const GATEWAYS = 10;
const DEVICES_PER_GATEWAY = 50;
const ROUNDS = 50;
const SECRET = 'api-compression-bench-secret';

/**
 * The encoding alone, in this thread, on the reply's JSON with the server's settings (zlib's
 * default gzip level 6; br quality 4, @fastify/compress's default): CPU ms per encode (the
 * median of 10), the part of the per-request CPU that is compression, without the loopback.
 */
function encodeOnlyMs(body: Buffer): { gzip: number; br: number } {
  const time = (encode: () => Buffer): number => {
    const runs: number[] = [];
    for (let i = 0; i < 12; i++) {
      const before = process.cpuUsage();
      encode();
      const used = process.cpuUsage(before);
      if (i >= 2) runs.push((used.user + used.system) / 1_000);
    }
    return median(runs);
  };
  return {
    gzip: time(() => gzipSync(body)),
    br: time(() => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })),
  };
}

const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
const line = (t: EncodedTiming): string =>
  `${t.encoding}: ${kib(t.wireBytes)}, median ${t.medianMs.toFixed(1)} ms, p95 ${t.p95Ms.toFixed(1)} ms, CPU ${t.cpuMsPerRequest.toFixed(1)} ms/request`;

/**
 * GET /api/v1/sites/:id/devices of a 500-device site, plain against gzip and br (server.yaml
 * http.compression defaults: threshold 1 KiB, gzip level 6, br quality 4): bytes on the wire,
 * loopback round trip and CPU per request, one request at a time. Informational, no budget.
 */
export const srvApiCompression: Benchmark = {
  name: 'srv-api-compression',
  description: `GET /sites/:id/devices of ${GATEWAYS * DEVICES_PER_GATEWAY} devices: identity vs gzip vs br — wire bytes, round trip (median/p95 of ${ROUNDS}) and process CPU per request`,
  async run(): Promise<BenchResult[]> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-bench-compression-'));
    const cleanups: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })];
    try {
      const secretHash = await hashSecret(SECRET, { N: 1024, r: 8, p: 1 });
      const site = siteId(0);
      const gateways = Array.from({ length: GATEWAYS }, (_, g) => ({ id: gatewayId(0, g), site, secretHash }));
      const server = await startServer(serverConfigSchema.parse({
        dataDir: dir, broker: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0, dashboard: { enabled: false } },
        sites: [{ id: site, name: 'Site 1' }], gateways, log: { level: 'error' },
      }), { logger: pino({ level: 'silent' }) });
      cleanups.push(() => server.stop());
      const registry = new ProfileRegistry(loadBuiltinProfiles());
      for (const g of gateways) {
        const gw = await FakeGateway.connect(server.brokerPort, g.id, SECRET);
        cleanups.push(() => gw.close());
        await gw.report(registry, DEVICES_PER_GATEWAY, new Set());
      }
      const expected = GATEWAYS * DEVICES_PER_GATEWAY;
      for (let waited = 0; (await Promise.all(gateways.map((g) => server.store.listDevices(g.id)))).flat().length < expected; waited += 100) {
        if (waited > 60_000) throw new Error(`srv-api-compression: ${expected} devices not stored within 60 s`);
        await sleep(100);
      }

      const token = (await readFile(path.join(dir, ADMIN_TOKEN_FILE), 'utf8')).trim();
      const url = `http://127.0.0.1:${server.httpPort}/api/v1/sites/${site}/devices`;
      const headers = { authorization: `Bearer ${token}` };
      // Alternating passes damp drift (JIT, page cache, a neighbour's load); the second pass is kept.
      const timings: EncodedTiming[] = [];
      for (let pass = 0; pass < 2; pass++) {
        timings.length = 0;
        for (const encoding of ['identity', 'gzip', 'br'] as const) timings.push(await timeEncodedGets(url, headers, encoding, ROUNDS));
      }
      const [plain, gzip, br] = timings as [EncodedTiming, EncodedTiming, EncodedTiming];
      const body = Buffer.from(await (await fetch(url, { headers: { ...headers, 'accept-encoding': 'identity' } })).arrayBuffer());
      const encode = encodeOnlyMs(body);
      for (const t of [gzip, br]) if (t.answered !== t.encoding) throw new Error(`srv-api-compression: asked ${t.encoding}, got ${t.answered}`);
      const details = {
        ...Object.fromEntries(timings.map((t) => [t.encoding, {
          wireBytes: t.wireBytes, medianMs: round(t.medianMs), p95Ms: round(t.p95Ms), cpuMsPerRequest: round(t.cpuMsPerRequest, 2),
        }])),
        encodeOnlyMs: { jsonBytes: body.length, gzip: round(encode.gzip, 2), br: round(encode.br, 2) },
      };
      return [
        {
          name: 'srv-api-compression-bytes', figure: br.wireBytes / 1024,
          unit: `KiB br on the wire, GET /sites/:id/devices of ${expected} devices (${line(gzip)}; ${line(br)})`,
          baseline: plain.wireBytes / 1024, baselineUnit: `KiB identity (${line(plain)})`,
          ratio: br.wireBytes / plain.wireBytes, target: 'informational (no budget)', ok: true, details,
        },
        {
          name: 'srv-api-compression-cpu', figure: br.cpuMsPerRequest,
          unit: `ms CPU per request with br (gzip ${gzip.cpuMsPerRequest.toFixed(1)} ms; server + a raw-reading client in one process, n=${ROUNDS}; `
            + `the encoding alone: gzip ${encode.gzip.toFixed(1)} ms, br ${encode.br.toFixed(1)} ms of ${kib(body.length)})`,
          baseline: plain.cpuMsPerRequest, baselineUnit: 'ms CPU per request, identity',
          ratio: br.cpuMsPerRequest / plain.cpuMsPerRequest, target: 'informational (no budget)', ok: true, details,
        },
      ];
    } finally {
      for (const step of cleanups.reverse()) await step().catch(() => undefined);
    }
  },
};
