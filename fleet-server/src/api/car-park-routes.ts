import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import type { ApiDeps } from './api-deps.js';
import { parseInput } from './api-error.js';
import { visibleSite } from './api-lookup.js';
import { ApiId } from './api-schemas.js';
import { isCarParkProfile, summarizeCarPark } from './car-park-summary.js';
import type { CarParkSummary } from './car-park-summary.js';

/**
 * Older than this a zone's count is flagged stale. The free count is reported on change and in
 * the gateway's full snapshot every 15 min (polling.snapshot default), so a quiet car park is
 * still refreshed within 20 min.
 */
export const DEFAULT_CAR_PARK_MAX_AGE_S = 1_200;

const Params = z.strictObject({ id: ApiId });
const Query = z.strictObject({
  maxAge: z.coerce.number().int('must be an integer').min(1).max(30 * 86_400).default(DEFAULT_CAR_PARK_MAX_AGE_S),
});

/** GET /sites/:id/car-parks — free spaces per car-park zone controller of the site. Any role within its sites. */
export function registerCarParkRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store, profiles } = deps;

  app.get('/sites/:id/car-parks', async (req) => {
    const site = await visibleSite(req, store, parseInput(Params, req.params, 'params').id);
    const { maxAge } = parseInput(Query, req.query, 'query');
    const now = deps.now();
    const items: CarParkSummary[] = [];
    for (const gateway of await store.listGateways(site.id)) {
      const devices = (await store.listDevices(gateway.id)).filter((d) => profiles.has(d.profile) && isCarParkProfile(profiles.get(d.profile)));
      if (devices.length === 0) continue;
      const latest = await store.latestValues(gateway.id);
      for (const device of devices) items.push(summarizeCarPark(device, profiles.get(device.profile), latest, now, maxAge * 1000));
    }
    const counted = items.filter((i) => i.free !== null);
    return {
      site: site.id,
      maxAgeS: maxAge,
      total: {
        free: counted.reduce((sum, i) => sum + (i.free ?? 0), 0),
        capacity: counted.reduce((sum, i) => sum + (i.capacity ?? 0), 0),
        zones: items.length,
        // The total is only as good as its worst zone: say so instead of hiding it.
        staleZones: items.filter((i) => i.stale).length,
      },
      items,
    };
  });
}
