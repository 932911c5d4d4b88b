import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import type { ApiDeps } from './api-deps.js';
import { parseInput } from './api-error.js';
import { visibleGateway } from './api-lookup.js';
import { ApiId, Instant, Limit, checkRange } from './api-schemas.js';

const HOUR_MS = 3_600_000;
/** Default windows ending now: raw readings of the last hour, rollups of the last day. */
export const DEFAULT_WINDOW_MS = { raw: HOUR_MS, rollup: 24 * HOUR_MS } as const;

const Params = z.strictObject({ id: ApiId, device: ApiId });
const Query = z.strictObject({
  point: ApiId,
  from: Instant.optional(),
  to: Instant.optional(),
  mode: z.enum(['raw', 'rollup']).default('raw'),
  limit: Limit(1_000),
}).superRefine(checkRange);

/**
 * GET /gateways/:id/devices/:device/telemetry — one point's history, raw readings (from <= ts <
 * to) or hourly rollups (hours starting in [from, to), from rounded down to its hour). Any role
 * within its sites.
 */
export function registerTelemetryRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store } = deps;

  app.get('/gateways/:id/devices/:device/telemetry', async (req) => {
    const params = parseInput(Params, req.params, 'params');
    const q = parseInput(Query, req.query, 'query');
    const gateway = await visibleGateway(req, store, params.id);
    const to = q.to ?? (q.from !== undefined ? q.from + DEFAULT_WINDOW_MS[q.mode] : deps.now());
    const from = q.from ?? to - DEFAULT_WINDOW_MS[q.mode];
    const base = { gateway: gateway.id, device: params.device, point: q.point, limit: q.limit };
    if (q.mode === 'raw') {
      const rows = await store.telemetry({ ...base, from, to });
      const items = rows.map((r) => ({ ts: r.ts, value: r.value, quality: r.quality, seq: r.seq }));
      return { ...base, mode: q.mode, from, to, items, truncated: items.length === q.limit };
    }
    // An hour that started before `from` still holds readings after it: include it.
    const hourFrom = Math.floor(from / HOUR_MS) * HOUR_MS;
    const rows = await store.rollups({ ...base, from: hourFrom, to });
    const items = rows.map((r) => ({ hour: r.hour, count: r.count, min: r.min, max: r.max, avg: r.avg, last: r.last, lastTs: r.lastTs }));
    return { ...base, mode: q.mode, from: hourFrom, to, items, truncated: items.length === q.limit };
  });
}
