import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_COMPRESSION_THRESHOLD, type CompressionConfig } from './compression-config.js';

/** fleet-server/web/dist, found from this file so the server serves it from any cwd. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** The two log calls made here (a pino logger fits). */
export interface DashboardLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface DashboardOptions {
  enabled: boolean;
  /** The Vite build output (index.html + assets/); default DEFAULT_DASHBOARD_DIR. */
  dir?: string | undefined;
  /**
   * server.yaml http.compression, so one setting governs every reply: disabled, no file is
   * gzipped here either; threshold as for the API. Default: on, DEFAULT_COMPRESSION_THRESHOLD.
   */
  compression?: CompressionConfig | undefined;
}

/**
 * The dashboard's own origin only: no inline script or style (the Vite build emits none), no
 * framing (clickjacking of the Acknowledge buttons), no <base> games, forms post home only.
 */
export const DASHBOARD_CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const SECURITY_HEADERS = {
  'content-security-policy': DASHBOARD_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** Vite puts a content hash in every file name under assets/, so a name never changes content. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const NOT_BUILT_PAGE = '<!doctype html><meta charset="utf-8"><title>EdgeFleet</title><p>Dashboard not built: run `npm run build:web`</p>\n';
/** Text worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /^(text\/|application\/(javascript|json)|image\/svg\+xml)/;

/**
 * gzip on the fly for files the build did not precompress (preCompressed serves a sibling .br or
 * .gz of an asset when there is one): the initial JS budget is measured gzipped. The only
 * encoder of these routes: @fastify/compress is registered in the API's scope, not here.
 */
const gzipFiles = (minBytes: number) => async (req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
  const type = String(reply.getHeader('content-type') ?? '');
  const length = Number(reply.getHeader('content-length') ?? 0);
  const accepts = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (req.method !== 'GET' || reply.statusCode !== 200 || !accepts || reply.hasHeader('content-encoding')
    || !COMPRESSIBLE.test(type) || length < minBytes || !isReadable(payload)) return payload;
  reply.header('content-encoding', 'gzip').header('vary', 'Accept-Encoding').removeHeader('content-length');
  // pipeline, not pipe: a read error of the file must destroy the gzip stream (and so the reply)
  // instead of leaving the response open forever; fastify logs the stream error.
  const gzip = createGzip();
  pipeline(payload, gzip, () => undefined);
  return gzip;
};

const isReadable = (value: unknown): value is NodeJS.ReadableStream =>
  typeof value === 'object' && value !== null && typeof (value as NodeJS.ReadableStream).pipe === 'function';

/** Top-level files of the build other than index.html (e.g. a favicon), each served at /<name>. */
function topLevelFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && e.name !== 'index.html').map((e) => e.name);
  } catch {
    return [];
  }
}

/**
 * Serves the dashboard (docs/dashboard.md) at `/`: index.html (revalidated on every load), the
 * hashed files under /assets/ (cached for a year) and the build's other top-level files. Only
 * those paths: every other route (/api/v1, /healthz, /ack/:token, …) and every unknown path
 * answer as before, so an unknown /api/v1 route is still the API's JSON error, never index.html.
 * A missing build answers GET / with 503 and is logged once; it is looked for again at each
 * request, so `npm run build:web` on a running server is picked up (new top-level files
 * besides index.html and assets/ need a restart).
 */
export async function registerDashboard(app: FastifyInstance, options: DashboardOptions, logger: DashboardLogger): Promise<void> {
  if (!options.enabled) return;
  const dir = path.resolve(options.dir ?? DEFAULT_DASHBOARD_DIR);
  const index = path.join(dir, 'index.html');
  if (existsSync(index)) logger.info({ dir }, 'dashboard served at /');
  else logger.warn({ dir }, `dashboard not built (${index} missing): GET / answers 503 until \`npm run build:web\` is run`);

  await app.register(async (scope) => {
    scope.addHook('onSend', async (_req, reply, payload) => {
      reply.headers(SECURITY_HEADERS);
      return payload;
    });
    const compression = options.compression ?? { enabled: true, threshold: DEFAULT_COMPRESSION_THRESHOLD };
    if (compression.enabled) scope.addHook('onSend', gzipFiles(compression.threshold));
    // wildcard (the default) under /assets/ only: a build made while the server runs is served too.
    const assets = path.join(dir, 'assets');
    await scope.register(fastifyStatic, {
      root: assets, prefix: '/assets/', index: false, list: false, preCompressed: true, cacheControl: false,
      // The build writes no dotfiles; anything such dropped there (an editor's .swp, a .env) stays private.
      dotfiles: 'ignore',
      // Also called for sendFile below. no-cache: the browser revalidates (ETag) and so sees a new build at once.
      setHeaders: (reply, file) => reply.header('cache-control', file.startsWith(assets + path.sep) ? IMMUTABLE : 'no-cache'),
    });

    const sendBuilt = (reply: FastifyReply, file: string) => {
      if (!existsSync(path.join(dir, file))) return reply.code(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT_PAGE);
      return reply.sendFile(file, dir);
    };
    scope.get('/', async (_req, reply) => sendBuilt(reply, 'index.html'));
    scope.get('/index.html', async (_req, reply) => sendBuilt(reply, 'index.html'));
    for (const file of topLevelFiles(dir)) {
      scope.get(`/${file}`, async (_req, reply) => reply.sendFile(file, dir));
    }
  });
}
