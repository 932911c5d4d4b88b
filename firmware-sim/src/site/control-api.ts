import Fastify, { type FastifyInstance } from 'fastify';
import * as z from 'zod';
import type { SimSite } from './site.js';
import { SiteError, type SiteErrorCode } from './site-error.js';

const FaultBody = z.strictObject({
  fault: z.string().min(1),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
});

const STATUS: Record<SiteErrorCode, number> = {
  SITE_UNKNOWN_DEVICE: 404,
  SITE_UNKNOWN_FAULT: 400,
  SITE_BAD_FAULT_PARAMS: 400,
  SITE_UNKNOWN_PROFILE: 400,
};

/**
 * The simulator's control interface: ground truth and fault injection over HTTP, the same
 * operations SimSite offers in-process.
 *
 *   GET    /healthz
 *   GET    /site                         name, endpoints, devices
 *   GET    /devices                      devices with active faults
 *   GET    /devices/:id                  ground truth: values, faults, request stats
 *   GET    /devices/:id/faults           { available: {name: description}, active: [...] }
 *   POST   /devices/:id/faults           { fault, params? } → 201
 *   DELETE /devices/:id/faults/:fault    clears one fault
 *   DELETE /devices/:id/faults           clears all faults
 */
export function buildControlApi(site: SimSite): FastifyInstance {
  const app = Fastify({ logger: false });

  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof SiteError) return reply.code(STATUS[err.code]).send({ error: { code: err.code, message: err.message } });
    if (err instanceof z.ZodError) return reply.code(400).send({ error: { code: 'SITE_BAD_REQUEST', message: z.prettifyError(err) } });
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send({ error: { code: status >= 500 ? 'SITE_INTERNAL' : 'SITE_BAD_REQUEST', message: (err as Error).message } });
  });

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/site', async () => ({ name: site.config.name, endpoints: site.endpoints(), devices: site.devices() }));
  app.get('/devices', async () => site.devices());
  app.get<{ Params: { id: string } }>('/devices/:id', async (req) => site.truth(req.params.id));
  app.get<{ Params: { id: string } }>('/devices/:id/faults', async (req) => ({
    available: site.availableFaults(req.params.id),
    active: site.truth(req.params.id).faults,
  }));
  app.post<{ Params: { id: string } }>('/devices/:id/faults', async (req, reply) => {
    const body = FaultBody.parse(req.body ?? {});
    site.injectFault(req.params.id, body.fault, body.params);
    return reply.code(201).send({ active: site.truth(req.params.id).faults });
  });
  app.delete<{ Params: { id: string; fault: string } }>('/devices/:id/faults/:fault', async (req) => {
    site.clearFault(req.params.id, req.params.fault);
    return { active: site.truth(req.params.id).faults };
  });
  app.delete<{ Params: { id: string } }>('/devices/:id/faults', async (req) => {
    site.clearAllFaults(req.params.id);
    return { active: site.truth(req.params.id).faults };
  });
  return app;
}
