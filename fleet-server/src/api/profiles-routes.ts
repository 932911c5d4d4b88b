import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import type { Profile } from '@edgefleet/device-profiles';
import type { ApiDeps } from './api-deps.js';
import { ApiError, parseInput } from './api-error.js';
import { ApiId } from './api-schemas.js';

const Params = z.strictObject({ id: ApiId });

/** What a list shows of a profile: enough to name and group devices. */
function profileSummary(p: Profile) {
  return { id: p.id, family: p.family, vendor: p.vendor, model: p.model, description: p.description ?? null, version: p.version };
}

/**
 * The parts of a profile a client needs to label values and draw command buttons. Register
 * addresses, codec details and alarm conditions stay on the server.
 */
function profileDetail(p: Profile) {
  return {
    ...profileSummary(p),
    points: p.points.map((pt) => ({
      id: pt.id, name: pt.name, unit: pt.unit ?? null, type: pt.type, access: pt.access, enum: pt.enum ?? null,
      labels: pt.labels ?? null, min: pt.min ?? null, max: pt.max ?? null, description: pt.description ?? null,
    })),
    commands: p.commands.map((c) => ({
      id: c.id, name: c.name, description: c.description ?? null,
      params: c.params.map((param) => ({
        name: param.name, type: param.type, description: param.description ?? null,
        min: param.min ?? null, max: param.max ?? null, values: param.values ?? null,
      })),
    })),
  };
}

/** GET /profiles and GET /profiles/:id — the server's built-in device profiles. Any role. */
export function registerProfilesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { profiles } = deps;

  app.get('/profiles', async () => ({ items: profiles.list().map(profileSummary) }));

  app.get('/profiles/:id', async (req) => {
    const { id } = parseInput(Params, req.params, 'params');
    if (!profiles.has(id)) throw new ApiError('NOT_FOUND', `profile ${id} not found`);
    return profileDetail(profiles.get(id));
  });
}
