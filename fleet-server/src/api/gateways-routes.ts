import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import type { Profile } from '@edgefleet/device-profiles';
import type { Device, LatestValue } from '../store/store-types.js';
import { principalOf, requireRole, siteScope } from './api-auth.js';
import { auditApiCall } from './api-audit.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, parseInput } from './api-error.js';
import { gatewayView, visibleGateway, visibleSite } from './api-lookup.js';
import { gatewaySummaries, isConfigInSync } from './gateway-summary.js';
import { ApiId } from './api-schemas.js';
import { valueViews } from './value-views.js';

const ListQuery = z.strictObject({ site: ApiId.optional() });
const GatewayParams = z.strictObject({ id: ApiId });
const DeviceParams = z.strictObject({ id: ApiId, device: ApiId });
const DeviceBody = z.strictObject({
  profile: ApiId,
  name: z.string().trim().min(1).max(200).optional(),
  location: z.string().trim().min(1).max(200).nullable().default(null),
});

/** A device row, or a device the gateway reports readings for but nobody registered (profile null). */
interface DeviceView {
  gateway: string;
  device: string;
  profile: string | null;
  name: string;
  location: string | null;
  registered: boolean;
  /** Read time of its newest reading; null when none arrived. */
  lastReadingAt: number | null;
}

function deviceViews(gatewayId: string, devices: readonly Device[], latest: readonly LatestValue[]): DeviceView[] {
  const newest = new Map<string, number>();
  for (const v of latest) newest.set(v.device, Math.max(newest.get(v.device) ?? 0, v.ts));
  const views: DeviceView[] = devices.map((d) => ({ ...d, registered: true, lastReadingAt: newest.get(d.device) ?? null }));
  const known = new Set(devices.map((d) => d.device));
  for (const [device, ts] of newest) {
    if (!known.has(device)) views.push({ gateway: gatewayId, device, profile: null, name: device, location: null, registered: false, lastReadingAt: ts });
  }
  return views.sort((a, b) => a.device.localeCompare(b.device));
}

/** /gateways and /gateways/:id/devices. Reads: any role within its sites; device writes: admin or engineer. */
export function registerGatewaysRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store, profiles } = deps;
  const profileOf = (id: string | null): Profile | undefined => (id !== null && profiles.has(id) ? profiles.get(id) : undefined);

  app.get('/gateways', async (req) => {
    const { site } = parseInput(ListQuery, req.query, 'query');
    if (site !== undefined) await visibleSite(req, store, site);
    const scope = siteScope(principalOf(req));
    const sites = site !== undefined ? [site] : scope;
    const [all, devices, reports, configs] = await Promise.all([
      store.listGateways(site), store.listSiteDevices(sites), store.listLatestHealth(sites), store.listConfigSync(sites),
    ]);
    const gateways = all.filter((g) => !scope || scope.includes(g.site));
    const summaries = gatewaySummaries({ gateways, devices, reports, configs });
    return { items: gateways.map((g) => ({ ...gatewayView(g), summary: summaries.get(g.id) })) };
  });

  app.get('/gateways/:id', async (req) => {
    const gateway = await visibleGateway(req, store, parseInput(GatewayParams, req.params, 'params').id);
    const [reported, desired, health] = await Promise.all([
      store.gatewayConfigState(gateway.id), store.latestDesiredConfig(gateway.id), store.latestHealth(gateway.id),
    ]);
    return {
      ...gatewayView(gateway),
      config: {
        desiredVersion: desired?.version ?? null,
        reported,
        inSync: isConfigInSync(desired?.version ?? null, reported.version),
      },
      health: health ? { receivedAt: health.receivedAt, ...health.health } : null,
    };
  });

  app.get('/gateways/:id/devices', async (req) => {
    const gateway = await visibleGateway(req, store, parseInput(GatewayParams, req.params, 'params').id);
    const [devices, latest] = await Promise.all([store.listDevices(gateway.id), store.latestValues(gateway.id)]);
    return { items: deviceViews(gateway.id, devices, latest) };
  });

  app.get('/gateways/:id/devices/:device', async (req) => {
    const params = parseInput(DeviceParams, req.params, 'params');
    const gateway = await visibleGateway(req, store, params.id);
    const [device, latest] = await Promise.all([store.getDevice(gateway.id, params.device), store.latestValues(gateway.id, params.device)]);
    const [view] = deviceViews(gateway.id, device ? [device] : [], latest);
    if (!view) throw new ApiError('NOT_FOUND', `device ${params.device} not found on gateway ${gateway.id}`);
    return { ...view, values: valueViews(latest, profileOf(view.profile)) };
  });

  app.put('/gateways/:id/devices/:device', async (req) => {
    requireRole(req, 'admin', 'engineer');
    const params = parseInput(DeviceParams, req.params, 'params');
    const gateway = await visibleGateway(req, store, params.id);
    const body = parseInput(DeviceBody, req.body, 'body');
    if (!profiles.has(body.profile)) {
      const message = `unknown profile "${body.profile}"; known: ${profiles.ids().join(', ')}`;
      throw new ApiError('INVALID_REQUEST', `body.profile: ${message}`, { issues: [{ field: 'body.profile', message }] });
    }
    const device: Device = { gateway: gateway.id, device: params.device, profile: body.profile, name: body.name ?? params.device, location: body.location };
    await store.upsertDevice(device);
    await auditApiCall(deps, req, 'device.upsert', `device:${gateway.id}/${params.device}`, { profile: device.profile, name: device.name, location: device.location });
    return device;
  });

  app.delete('/gateways/:id/devices/:device', async (req, reply) => {
    requireRole(req, 'admin', 'engineer');
    const params = parseInput(DeviceParams, req.params, 'params');
    const gateway = await visibleGateway(req, store, params.id);
    if (!(await store.getDevice(gateway.id, params.device))) throw new ApiError('NOT_FOUND', `device ${params.device} not found on gateway ${gateway.id}`);
    await store.deleteDevice(gateway.id, params.device);
    await auditApiCall(deps, req, 'device.delete', `device:${gateway.id}/${params.device}`);
    return reply.code(204).send();
  });
}
