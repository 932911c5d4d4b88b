import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../src/config/server-config.js';
import { DASHBOARD_CSP, DEFAULT_DASHBOARD_DIR, registerDashboard } from '../../src/http/dashboard-static.js';
import { startServer } from '../../src/main.js';
import type { RunningServer } from '../../src/main.js';
import { makeConfig } from '../api/api-helpers.js';

const INDEX = '<!doctype html><title>EdgeFleet</title><script type="module" src="/assets/index-abc123.js"></script>\n';
/** Big enough (and repetitive enough) to be worth gzipping. */
const APP_JS = `export const views = ${JSON.stringify(Array.from({ length: 200 }, (_, i) => `view-${i}`))};\n`;

let dir: string;

/** A temp "build": index.html, one hashed asset, a favicon. */
async function writeBuild(root: string): Promise<void> {
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), INDEX);
  await writeFile(path.join(root, 'assets', 'index-abc123.js'), APP_JS);
  await writeFile(path.join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
}

/** Warnings the plugin logged, to count them. */
function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { warn: (_obj: object, msg: string) => void warnings.push(msg), info: () => undefined } };
}

async function appWith(options: { enabled: boolean; dir?: string }, logger = recordingLogger().logger): Promise<FastifyInstance> {
  const app = Fastify();
  await registerDashboard(app, options, logger);
  app.get('/healthz', async () => ({ ok: true }));
  return app;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-dashboard-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dashboard static files', () => {
  let app: FastifyInstance;
  afterEach(async () => {
    await app.close();
  });

  it('serves index.html revalidated on every load, with the security headers', async () => {
    const build = path.join(dir, 'built');
    await writeBuild(build);
    app = await appWith({ enabled: true, dir: build });
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    // A revalidation with the ETag is a 304, so an unchanged build is not downloaded again.
    const again = await app.inject({ method: 'GET', url: '/', headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect((await app.inject({ method: 'GET', url: '/favicon.svg' })).headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets as immutable for a year, gzipped when the browser accepts it', async () => {
    const build = path.join(dir, 'built');
    app = await appWith({ enabled: true, dir: build });
    const plain = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toBe(APP_JS);
    expect(plain.headers['content-type']).toMatch(/javascript/);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/accept-encoding/i);
    expect(zipped.rawPayload.length).toBeLessThan(APP_JS.length / 2);
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(APP_JS);
    expect((await app.inject({ method: 'GET', url: '/assets/missing-123.js' })).statusCode).toBe(404);
    // No way out of the build directory, and nothing hidden in it (an editor's swap file, a .env).
    expect((await app.inject({ method: 'GET', url: '/assets/..%2f..%2fetc%2fpasswd' })).statusCode).toBeGreaterThanOrEqual(400);
    await writeFile(path.join(build, 'assets', '.env'), 'SECRET=1');
    expect((await app.inject({ method: 'GET', url: '/assets/.env' })).statusCode).toBe(404);
  });

  it('answers GET / with 503 and logs one warning while the build is missing, and serves it once built', async () => {
    const later = path.join(dir, 'later');
    const { warnings, logger } = recordingLogger();
    app = await appWith({ enabled: true, dir: later }, logger);
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('Dashboard not built: run `npm run build:web`');
    await app.inject({ method: 'GET', url: '/' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/dashboard not built/);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // `npm run build:web` while the server runs.
    await writeBuild(later);
    expect((await app.inject({ method: 'GET', url: '/' })).body).toBe(INDEX);
    expect((await app.inject({ method: 'GET', url: '/assets/index-abc123.js' })).statusCode).toBe(200);
  });

  it('adds no route at all when disabled', async () => {
    app = await appWith({ enabled: false, dir: path.join(dir, 'built') });
    expect((await app.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/assets/index-abc123.js' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('dashboard in the fleet server', () => {
  let server: RunningServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-dashboard-server-'));
    const config = await makeConfig(dataDir);
    server = await startServer({ ...config, http: { ...config.http, dashboard: { enabled: true, dir: path.join(dir, 'built') } } }, { logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const get = (route: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${server.httpPort}${route}`, { headers });

  it('serves the dashboard at / next to the API, health and metrics', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(await index.text()).toBe(INDEX);
    expect((await get('/healthz')).status).toBe(200);
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-security-policy')).toBeNull();
  });

  it('keeps an unknown /api/v1 route the API\'s JSON error, never index.html', async () => {
    const anonymous = await get('/api/v1/no-such-route');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const token = (await import('node:fs/promises')).readFile(path.join(dataDir, 'admin-token'), 'utf8');
    const known = await get('/api/v1/no-such-route', { authorization: `Bearer ${(await token).trim()}` });
    expect(known.status).toBe(404);
    expect(known.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await known.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    // Other unknown paths are plain 404s too, not the page.
    expect((await get('/sites/north')).status).toBe(404);
  });
});

describe('http.dashboard in server.yaml', () => {
  const FILE = '/etc/edgefleet/server.yaml';

  it('is on by default, serving this package\'s web/dist', () => {
    const config = parseServerConfig('dataDir: /d\n', FILE);
    expect(config.http.dashboard).toEqual({ enabled: true });
    expect(DEFAULT_DASHBOARD_DIR).toBe(path.resolve(import.meta.dirname, '../../web/dist'));
  });

  it('resolves a relative dir against the config file and refuses unknown keys', () => {
    const config = parseServerConfig('dataDir: /d\nhttp:\n  dashboard:\n    dir: ../www/dist\n', FILE);
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080, dashboard: { enabled: true, dir: path.resolve('/etc/www/dist') }, compression: { enabled: true, threshold: 1024 } });
    expect(parseServerConfig('dataDir: /d\nhttp:\n  dashboard:\n    enabled: false\n', FILE).http.dashboard).toEqual({ enabled: false });
    expect(() => parseServerConfig('dataDir: /d\nhttp:\n  dashboard:\n    root: /x\n', FILE)).toThrow(/root/);
  });
});
