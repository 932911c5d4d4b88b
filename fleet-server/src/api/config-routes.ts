import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { Device } from '@edgefleet/protocol';
import { ConfigStates, outcomeFor } from '../downlink/config-states.js';
import { republishDesiredConfigs } from '../downlink/republish-desired-configs.js';
import { requireRole } from './api-auth.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, parseInput } from './api-error.js';
import { visibleGateway } from './api-lookup.js';
import { ApiId, Limit } from './api-schemas.js';
import { ifMatchVersion } from './if-match.js';
import { versionMismatchText } from '../store/check-base-version.js';
import type { DesiredConfigRecord } from '../store/store-api-types.js';
import { pushDesiredConfig } from './desired-config-push.js';
import type { PushResult } from './desired-config-push.js';
import { clientGone, WaitQuery } from './wait-query.js';

const GatewayParams = z.strictObject({ id: ApiId });
const DeviceParams = z.strictObject({ id: ApiId, device: ApiId });
/** `config` is checked by pushDesiredConfig, so its issues carry full paths (body.config.devices.0.unit). */
const PutBody = z.strictObject({ config: z.unknown().refine((c) => c !== undefined, 'required') });
const HistoryQuery = z.strictObject({ limit: Limit(50) });

/** 200 once the gateway reported applied or rejected; 202 while pending. */
const statusOf = (result: PushResult): number => (result.outcome.state === 'pending' ? 202 : 200);

/**
 * Desired config per gateway: read it with the gateway's reported state, its history, replace
 * it, or add/remove one device of it. Every change is a new version, published retained.
 * Admin and engineer only.
 */
export function registerConfigRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store } = deps;
  const states = new ConfigStates({ store, ingest: deps.ingest, logger: deps.logger.child({ part: 'config' }) });
  states.start();
  // preClose, not onClose: fastify closes the HTTP server first, which waits for requests in
  // flight, and a ?wait= request would hold it for the rest of its wait.
  app.addHook('preClose', async () => states.cancelWaits());
  app.addHook('onClose', () => states.stop());
  // Before the server takes requests: retained configs do not survive a restart of the embedded broker.
  app.addHook('onReady', async () => {
    const count = await republishDesiredConfigs({ store, broker: deps.broker, logger: deps.logger });
    if (count > 0) deps.logger.info({ count }, 'desired configs republished (retained)');
  });

  app.get('/gateways/:id/config', async (req) => {
    requireRole(req, 'admin', 'engineer');
    const gateway = await visibleGateway(req, store, parseInput(GatewayParams, req.params, 'params').id);
    const [desired, reported] = await Promise.all([store.latestDesiredConfig(gateway.id), store.gatewayConfigState(gateway.id)]);
    return { gateway: gateway.id, desired: desired ?? null, reported, outcome: desired ? outcomeFor(desired.version, reported) : null };
  });

  app.get('/gateways/:id/config/history', async (req) => {
    requireRole(req, 'admin', 'engineer');
    const gateway = await visibleGateway(req, store, parseInput(GatewayParams, req.params, 'params').id);
    const { limit } = parseInput(HistoryQuery, req.query, 'query');
    return { items: await store.listDesiredConfigs(gateway.id, limit) };
  });

  app.put('/gateways/:id/config', async (req, reply) => {
    requireRole(req, 'admin', 'engineer');
    const gateway = await visibleGateway(req, store, parseInput(GatewayParams, req.params, 'params').id);
    const { wait } = parseInput(WaitQuery, req.query, 'query');
    const body = parseInput(PutBody, req.body, 'body');
    const result = await pushDesiredConfig(deps, states, req, {
      gateway: gateway.id, config: body.config, field: 'body.config', action: 'config.put', waitMs: wait, signal: clientGone(reply), baseVersion: ifMatchVersion(req),
    });
    return reply.code(statusOf(result)).send(result);
  });

  /** Adds one device to the latest desired config: a new version (the CLI's `device add`). */
  app.post('/gateways/:id/config/devices', async (req, reply) => {
    requireRole(req, 'admin', 'engineer');
    const gateway = await visibleGateway(req, store, parseInput(GatewayParams, req.params, 'params').id);
    const { wait } = parseInput(WaitQuery, req.query, 'query');
    const device = parseInput(Device, req.body, 'body');
    const result = await changeLatest(gateway.id, ifMatchVersion(req), async (latest) => {
      // Without a desired config the gateway runs its local gateway.yaml; a config holding only
      // this device would replace all of it, so the first version must be a whole PUT.
      if (!latest) throw new ApiError('CONFLICT', `gateway ${gateway.id} has no desired config yet; PUT /gateways/${gateway.id}/config first`);
      if (latest.config.devices.some((d) => d.id === device.id)) {
        throw new ApiError('CONFLICT', `device ${device.id} is already in version ${latest.version} of gateway ${gateway.id}'s config`);
      }
      const config = { ...latest.config, devices: [...latest.config.devices, device] };
      const index = config.devices.length - 1;
      return pushDesiredConfig(deps, states, req, {
        gateway: gateway.id, config, field: 'body.config', action: 'config.device.add', details: { device: device.id, profile: device.profile },
        waitMs: wait, signal: clientGone(reply), baseVersion: latest.version,
      }).catch((err: unknown) => {
        throw rebase(err, `body.config.devices.${index}.`, 'body.');
      });
    });
    return reply.code(statusOf(result)).send(result);
  });

  /** Removes one device from the latest desired config: a new version (the CLI's `device remove`). */
  app.delete('/gateways/:id/config/devices/:device', async (req, reply) => {
    requireRole(req, 'admin', 'engineer');
    const params = parseInput(DeviceParams, req.params, 'params');
    const gateway = await visibleGateway(req, store, params.id);
    const { wait } = parseInput(WaitQuery, req.query, 'query');
    const result = await changeLatest(gateway.id, ifMatchVersion(req), async (latest) => {
      if (!latest?.config.devices.some((d) => d.id === params.device)) {
        throw new ApiError('NOT_FOUND', `device ${params.device} is not in gateway ${gateway.id}'s desired config`);
      }
      const schedule = latest.config.schedules.find((s) => s.devices?.includes(params.device));
      if (schedule) throw new ApiError('CONFLICT', `schedule "${schedule.id}" names device ${params.device}; change the schedule first`);
      const config = { ...latest.config, devices: latest.config.devices.filter((d) => d.id !== params.device) };
      return pushDesiredConfig(deps, states, req, {
        gateway: gateway.id, config, field: 'config', action: 'config.device.remove', details: { device: params.device },
        waitMs: wait, signal: clientGone(reply), baseVersion: latest.version,
      });
    });
    return reply.code(statusOf(result)).send(result);
  });

  /**
   * A device add/remove merges into the latest version. Two merges at once would both read it and
   * the second would drop the first's change, so each is stored only if its base is still the
   * latest; a lost race is merged again into the newer version. With If-Match the client named the
   * base itself: a newer version is its conflict to resolve (412), not ours.
   */
  async function changeLatest(gatewayId: string, ifMatch: number | undefined, change: (latest: DesiredConfigRecord | undefined) => Promise<PushResult>): Promise<PushResult> {
    for (let attempt = 1; ; attempt++) {
      const latest = await store.latestDesiredConfig(gatewayId);
      const latestVersion = latest?.version ?? 0;
      if (ifMatch !== undefined && ifMatch !== latestVersion) {
        throw new ApiError('VERSION_MISMATCH', versionMismatchText(gatewayId, latestVersion, ifMatch), { latest: latestVersion });
      }
      try {
        return await change(latest);
      } catch (err) {
        if (ifMatch !== undefined || attempt >= MAX_MERGE_ATTEMPTS || !(err instanceof ApiError) || err.code !== 'VERSION_MISMATCH') throw err;
      }
    }
  }
}

/**
 * A merge loses only to another change that was stored in between, so with n changes at once
 * none needs more than n attempts. Beyond this many, something is changing the config in a
 * loop: give up with the 412.
 */
const MAX_MERGE_ATTEMPTS = 20;

/** Issues about the added device are reported against the request body, not the merged config. */
function rebase(err: unknown, from: string, to: string): unknown {
  if (!(err instanceof ApiError) || err.code !== 'INVALID_REQUEST') return err;
  const details = err.details as { issues?: { field: string; message: string }[] } | undefined;
  const issues = (details?.issues ?? []).map((i) => ({ ...i, field: i.field.startsWith(from) ? to + i.field.slice(from.length) : i.field }));
  const first = issues[0];
  return new ApiError('INVALID_REQUEST', first ? `${first.field}: ${first.message}` : err.message, { issues });
}
