import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import type { Profile } from '@edgefleet/device-profiles';
import type { LatestValue } from '../store/store-types.js';
import type { ApiDeps } from './api-deps.js';
import { parseInput } from './api-error.js';
import { visibleSite } from './api-lookup.js';
import { ApiId } from './api-schemas.js';
import { DeviceHealthIndex } from './device-health.js';
import { valueViews } from './value-views.js';

const Params = z.strictObject({ id: ApiId });

/** GET /sites/:id/devices — every registered device of the site with its state and latest values. Any role within its sites. */
export function registerSiteDevicesRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store, profiles } = deps;
  const profileOf = (id: string): Profile | undefined => (profiles.has(id) ? profiles.get(id) : undefined);

  app.get('/sites/:id/devices', async (req) => {
    const site = await visibleSite(req, store, parseInput(Params, req.params, 'params').id);
    const [gateways, devices, reports] = await Promise.all([
      store.listGateways(site.id), store.listSiteDevices([site.id]), store.listLatestHealth([site.id]),
    ]);
    // One latest-values read per gateway that has devices, never one per device.
    const withDevices = gateways.filter((g) => devices.some((d) => d.gateway === g.id));
    const latest = new Map<string, LatestValue[]>();
    for (const values of await Promise.all(withDevices.map((g) => store.latestValues(g.id)))) {
      for (const v of values) {
        const key = `${v.gateway}/${v.device}`;
        const list = latest.get(key);
        if (list) list.push(v);
        else latest.set(key, [v]);
      }
    }
    const status = new Map(gateways.map((g) => [g.id, g.status]));
    const health = new DeviceHealthIndex(reports);
    const items = devices.map((d) => {
      const profile = profileOf(d.profile);
      const { state, lastGoodAt } = health.of(d.gateway, d.device);
      return {
        gateway: d.gateway, device: d.device, name: d.name, location: d.location, profile: d.profile,
        family: profile?.family ?? null, state, gatewayStatus: status.get(d.gateway) ?? 'unknown', lastGoodAt,
        values: valueViews(latest.get(`${d.gateway}/${d.device}`) ?? [], profile),
      };
    });
    return { site, items };
  });
}
