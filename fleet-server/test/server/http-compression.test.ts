import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../../src/config/server-config.js';
import { startServer } from '../../src/main.js';
import type { RunningServer } from '../../src/main.js';
import { makeConfig, START_TIME } from '../api/api-helpers.js';
import { ActingGateway } from '../api/downlink-fixtures.js';
import { SseClient } from '../api/sse-client.js';

/**
 * Response compression (docs/api.md "Compression") against a real server on port 0, read with
 * node:http, which sends only the headers given and never decodes, so what is asserted is
 * exactly what went over the wire.
 */

interface RawReply { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

function get(url: string, headers: Record<string, string> = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** The body as the client would read it after undoing the one Content-Encoding named. */
function decoded(reply: RawReply): string {
  const encoding = reply.headers['content-encoding'];
  if (encoding === undefined) return reply.body.toString('utf8');
  if (encoding === 'gzip') return gunzipSync(reply.body).toString('utf8');
  if (encoding === 'br') return brotliDecompressSync(reply.body).toString('utf8');
  throw new Error(`unexpected content-encoding ${encoding}`);
}

/** Repetitive, as a bundle is, and well over the threshold. */
const APP_JS = `export const views = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `view-${i}`))};\n`;
const DEVICES = 80;

interface Running { server: RunningServer; base: string; token: string }
const running: Running[] = [];
let dir: string;
let build: string;

async function start(name: string, http: Partial<ServerConfig['http']> = {}): Promise<Running> {
  const data = path.join(dir, name);
  await mkdir(data);
  const config = await makeConfig(data);
  const server = await startServer({ ...config, http: { ...config.http, dashboard: { enabled: true, dir: build }, ...http } }, { logger: pino({ level: 'silent' }), now: () => START_TIME });
  for (let d = 0; d < DEVICES; d++) {
    await server.store.upsertDevice({ gateway: 'gw-a', device: `lift-${d}`, profile: 'liftronic-lmi-200', name: `Lift ${d} of the north garage`, location: `Core ${d % 4}` });
  }
  const token = (await readFile(path.join(data, 'admin-token'), 'utf8')).trim();
  const r = { server, base: `http://127.0.0.1:${server.httpPort}`, token };
  running.push(r);
  return r;
}

let t: Running;
const auth = () => ({ authorization: `Bearer ${t.token}` });

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-compression-'));
  build = path.join(dir, 'build');
  await mkdir(path.join(build, 'assets'), { recursive: true });
  await writeFile(path.join(build, 'index.html'), '<!doctype html><title>EdgeFleet</title><script type="module" src="/assets/index-abc123.js"></script>\n');
  await writeFile(path.join(build, 'assets', 'index-abc123.js'), APP_JS);
  t = await start('default');
});
afterAll(async () => {
  for (const r of running) await r.server.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('API response compression', () => {
  it('encodes a large reply br or gzip as the client asks, decoding to the same JSON', async () => {
    const url = `${t.base}/api/v1/sites/north/devices`;
    const plain = await get(url, auth());
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(8 * 1024);
    const json = JSON.parse(plain.body.toString('utf8')) as { items: unknown[] };
    expect(json.items).toHaveLength(DEVICES);

    for (const [accept, encoding] of [['br', 'br'], ['gzip', 'gzip'], ['gzip, deflate, br', 'br'], ['br;q=0.5, gzip', 'gzip'], ['x-gzip', 'gzip']] as const) {
      const reply = await get(url, { ...auth(), 'accept-encoding': accept });
      expect(reply.status, accept).toBe(200);
      expect(reply.headers['content-encoding'], accept).toBe(encoding);
      expect(reply.headers.vary, accept).toBe('accept-encoding');
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(reply.body.length, accept).toBeLessThan(plain.body.length / 4);
      expect(JSON.parse(decoded(reply)), accept).toEqual(json);
    }
  });

  it('answers identity to clients without Accept-Encoding, with only unoffered encodings, or refusing all', async () => {
    const url = `${t.base}/api/v1/sites/north/devices`;
    for (const accept of [undefined, 'identity', 'deflate', 'zstd', 'br;q=0, gzip;q=0']) {
      const reply = await get(url, { ...auth(), ...(accept === undefined ? {} : { 'accept-encoding': accept }) });
      expect(reply.status, accept).toBe(200);
      expect(reply.headers['content-encoding'], accept).toBeUndefined();
      expect(Number(reply.headers['content-length']), accept).toBe(reply.body.length);
      expect((JSON.parse(reply.body.toString('utf8')) as { items: unknown[] }).items, accept).toHaveLength(DEVICES);
    }
  });

  it('sends small replies (under the threshold) and errors as they are, still varying on Accept-Encoding', async () => {
    const me = await get(`${t.base}/api/v1/me`, { ...auth(), 'accept-encoding': 'gzip, br' });
    expect(me.status).toBe(200);
    expect(me.body.length).toBeLessThan(1024);
    expect(me.headers['content-encoding']).toBeUndefined();
    expect(me.headers.vary).toBe('accept-encoding');
    expect(JSON.parse(me.body.toString('utf8'))).toMatchObject({ user: { id: 'admin' } });
    const denied = await get(`${t.base}/api/v1/me`, { 'accept-encoding': 'gzip, br' });
    expect(denied.status).toBe(401);
    expect(denied.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(denied.body.toString('utf8'))).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('does not inflate request bodies: a gzip body is refused, nothing is created', async () => {
    const body = gzipSync(JSON.stringify({ id: 'zipped', name: 'Zipped site' }));
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${t.base}/api/v1/sites`, {
        method: 'POST', headers: { ...auth(), 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(body.length) },
      }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(400);
    expect((await get(`${t.base}/api/v1/sites/zipped`, auth())).status).toBe(404);
  });

  it('serves /metrics plain to a plain scraper and gzip to one that asks', async () => {
    const plain = await get(`${t.base}/metrics`);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(plain.body.toString('utf8')).toMatch(/^# HELP /m);
    expect(plain.body.length).toBeGreaterThan(1024);
    const zipped = await get(`${t.base}/metrics`, { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(decoded(zipped)).toMatch(/^# TYPE edgefleet_live_streams gauge$/m);
  });

  it('never encodes the live event stream: each event arrives before the next is sent', async () => {
    const ticket = JSON.parse((await new Promise<string>((resolve, reject) => {
      const req = http.request(`${t.base}/api/v1/events/ticket`, { method: 'POST', headers: auth() }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString('utf8')));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    }))) as { ticket: string };
    const stream = await SseClient.open(`${t.base}/api/v1/events?ticket=${ticket.ticket}`, { 'accept-encoding': 'gzip, deflate, br' });
    if (!(stream instanceof SseClient)) throw new Error(`stream refused: ${stream.status}`);
    const gw = await ActingGateway.connect(t.server.brokerPort, 'gw-a');
    try {
      expect(stream.headers.get('content-encoding')).toBeNull();
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      await stream.next('hello');
      // One at a time: an encoder holding bytes back (gzip fills its window first) would stall the first.
      for (let i = 1; i <= 3; i++) {
        const reading = { seq: i, device: 'lift-1', point: 'floor', ts: START_TIME + i, value: i, quality: 'good' };
        await gw.publish('telemetry', { v: 1, gateway: 'gw-a', stream: 'telemetry', sentAt: START_TIME + i, items: [reading] });
        expect(await stream.next('values')).toMatchObject({ gateway: 'gw-a', device: 'lift-1', values: [{ point: 'floor', value: i }] });
      }
    } finally {
      stream.close();
      await gw.close();
    }
  });

  it('leaves the dashboard files to their own gzip: never br, never encoded twice', async () => {
    const zipped = await get(`${t.base}/assets/index-abc123.js`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.status).toBe(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // One gunzip gives the file: a second encoding would leave gzip bytes behind.
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(APP_JS);
    const brOnly = await get(`${t.base}/assets/index-abc123.js`, { 'accept-encoding': 'br' });
    expect(brOnly.headers['content-encoding']).toBeUndefined();
    expect(brOnly.body.toString('utf8')).toBe(APP_JS);
    const index = await get(`${t.base}/`, { 'accept-encoding': 'gzip, br' });
    expect(index.headers['content-encoding']).toBeUndefined();
    expect(index.body.toString('utf8')).toMatch(/^<!doctype html>/);
  });

  it('http.compression: a threshold above the reply leaves it plain; enabled: false encodes nothing, dashboard files included', async () => {
    const high = await start('high-threshold', { compression: { enabled: true, threshold: 1024 * 1024 } });
    const large = await get(`${high.base}/api/v1/sites/north/devices`, { authorization: `Bearer ${high.token}`, 'accept-encoding': 'gzip, br' });
    expect(large.status).toBe(200);
    expect(large.headers['content-encoding']).toBeUndefined();
    expect(large.headers.vary).toBe('accept-encoding');

    const off = await start('disabled', { compression: { enabled: false, threshold: 1024 } });
    const api = await get(`${off.base}/api/v1/sites/north/devices`, { authorization: `Bearer ${off.token}`, 'accept-encoding': 'gzip, br' });
    expect(api.status).toBe(200);
    expect(api.headers['content-encoding']).toBeUndefined();
    expect(api.headers.vary).toBeUndefined();
    expect((JSON.parse(api.body.toString('utf8')) as { items: unknown[] }).items).toHaveLength(DEVICES);
    const asset = await get(`${off.base}/assets/index-abc123.js`, { 'accept-encoding': 'gzip, br' });
    expect(asset.headers['content-encoding']).toBeUndefined();
    expect(asset.body.toString('utf8')).toBe(APP_JS);
  });
});
