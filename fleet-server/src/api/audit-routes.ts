import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { requireRole } from './api-auth.js';
import type { ApiDeps } from './api-deps.js';
import { parseInput } from './api-error.js';
import { Instant, Limit, checkRange } from './api-schemas.js';

const Query = z.strictObject({
  /** Exact match, e.g. "user:alice", "contact:c-1", "system". */
  actor: z.string().min(1).max(200).optional(),
  /** Exact match, e.g. "gateway:gw-1", "alert:17". */
  target: z.string().min(1).max(200).optional(),
  from: Instant.optional(),
  to: Instant.optional(),
  limit: Limit(100),
}).superRefine(checkRange);

/** GET /audit — newest first (admin only: the log names every user and contact). */
export function registerAuditRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/audit', async (req) => {
    requireRole(req, 'admin');
    const q = parseInput(Query, req.query, 'query');
    const items = await deps.store.listAudit({
      limit: q.limit,
      ...(q.actor === undefined ? {} : { actor: q.actor }),
      ...(q.target === undefined ? {} : { target: q.target }),
      ...(q.from === undefined ? {} : { from: q.from }),
      ...(q.to === undefined ? {} : { to: q.to }),
    });
    return { items, truncated: items.length === q.limit };
  });
}
