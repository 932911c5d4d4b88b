import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as z from 'zod';
import { durationMs } from '@edgefleet/device-profiles';
import { CommandRequest, Duration, Id, WIRE_VERSION } from '@edgefleet/protocol';
import { checkCommand } from '../downlink/check-command.js';
import { CommandResults } from '../downlink/command-results.js';
import { publishDownlink } from '../downlink/publish-downlink.js';
import { actorOf, principalOf, requireRole } from './api-auth.js';
import { auditApiCall } from './api-audit.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, parseInput } from './api-error.js';
import { visibleGateway } from './api-lookup.js';
import { ApiId, Limit } from './api-schemas.js';
import { clientGone, WaitQuery } from './wait-query.js';

const ParamValue = z.union([z.number(), z.boolean(), z.string()]);
/** A command must reach the site in time to matter: a day is far beyond any real use. */
const MAX_TTL_MS = 24 * 3_600_000;
const DEFAULT_TTL_MS = 30_000;

const SendBody = z.strictObject({
  device: Id,
  command: Id.optional(),
  params: z.record(z.string(), ParamValue).default({}),
  write: z.strictObject({ point: Id, value: ParamValue }).optional(),
  /** How long the gateway may still run it; default 30s. */
  ttl: Duration.optional(),
  /** Absolute expiry (epoch ms) instead of ttl. */
  expiresAt: z.int().min(0).optional(),
}).superRefine((b, ctx) => {
  if ((b.command === undefined) === (b.write === undefined)) ctx.addIssue({ code: 'custom', path: ['command'], message: 'give exactly one of command or write' });
  if (b.write !== undefined && Object.keys(b.params).length > 0) ctx.addIssue({ code: 'custom', path: ['params'], message: 'params go with a command, not a write' });
  if (b.ttl !== undefined && b.expiresAt !== undefined) ctx.addIssue({ code: 'custom', path: ['ttl'], message: 'give ttl or expiresAt, not both' });
  if (b.ttl !== undefined) {
    const ms = durationMs(b.ttl);
    if (ms <= 0 || ms > MAX_TTL_MS) ctx.addIssue({ code: 'custom', path: ['ttl'], message: `must be more than 0 and at most ${MAX_TTL_MS / 3_600_000}h` });
  }
});

const GatewayParams = z.strictObject({ id: ApiId });
const CommandParams = z.strictObject({ id: z.string().min(1).max(64) });
const ListQuery = z.strictObject({ device: ApiId.optional(), limit: Limit(100) });

const invalid = (field: string, message: string): ApiError =>
  new ApiError('INVALID_REQUEST', `${field}: ${message}`, { issues: [{ field, message }] });

/**
 * Commands: checked against the device's profile, stored, published QoS 1 to the gateway's cmd
 * topic; the result arrives through the ingest (downlink/command-results.ts). Admin and engineer only.
 */
export function registerCommandsRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store, profiles } = deps;
  const results = new CommandResults({
    store, ingest: deps.ingest, logger: deps.logger.child({ part: 'commands' }), now: deps.now,
    ...(deps.commands === undefined ? {} : { unanswered: deps.commands }),
  });
  results.start();
  // preClose, not onClose: fastify closes the HTTP server first, which waits for requests in
  // flight, and a ?wait= request would hold it for the rest of its wait.
  app.addHook('preClose', async () => results.cancelWaits());
  app.addHook('onClose', () => results.stop());

  /** The device's profile: from the inventory, else from the gateway's latest desired config. */
  async function profileIdOf(gatewayId: string, deviceId: string): Promise<string> {
    const row = await store.getDevice(gatewayId, deviceId);
    if (row) return row.profile;
    const desired = await store.latestDesiredConfig(gatewayId);
    const configured = desired?.config.devices.find((d) => d.id === deviceId);
    if (configured) return configured.profile;
    throw invalid('body.device', `gateway ${gatewayId} has no device "${deviceId}" (neither in the inventory nor in its desired config)`);
  }

  app.post('/gateways/:id/commands', async (req: FastifyRequest, reply) => {
    requireRole(req, 'admin', 'engineer');
    const gateway = await visibleGateway(req, store, parseInput(GatewayParams, req.params, 'params').id);
    const { wait } = parseInput(WaitQuery, req.query, 'query');
    const body = parseInput(SendBody, req.body, 'body');
    const profileId = await profileIdOf(gateway.id, body.device);
    if (!profiles.has(profileId)) throw invalid('body.device', `device "${body.device}" has profile "${profileId}", which this server does not know`);
    const issue = checkCommand(body, profiles.get(profileId));
    if (issue) throw invalid(`body.${issue.field}`, issue.message);

    const issuedAt = deps.now();
    const expiresAt = body.expiresAt ?? issuedAt + (body.ttl === undefined ? DEFAULT_TTL_MS : durationMs(body.ttl));
    if (expiresAt <= issuedAt) throw invalid('body.expiresAt', `already passed (${new Date(expiresAt).toISOString()}; now ${new Date(issuedAt).toISOString()})`);
    const request = CommandRequest.parse({
      v: WIRE_VERSION, id: randomUUID(), device: body.device, issuedAt, expiresAt, params: body.params,
      ...(body.command !== undefined ? { command: body.command } : {}), ...(body.write !== undefined ? { write: body.write } : {}),
    });
    const stored = await store.insertCommand({ gateway: gateway.id, request, createdAt: issuedAt, createdBy: actorOf(principalOf(req)) });
    await auditApiCall(deps, req, 'command.send', `command:${request.id}`, {
      gateway: gateway.id, device: request.device, ...(request.command !== undefined ? { command: request.command, params: request.params } : { write: request.write }),
      expiresAt,
    });
    // Waiting starts before the publish: a gateway on the same host can answer within a millisecond.
    const outcome = wait === undefined ? undefined : results.waitFor(request.id, wait, clientGone(reply));
    try {
      await publishDownlink(deps.broker, gateway.id, 'cmd', request);
    } catch (err) {
      throw new ApiError('GATEWAY_UNREACHABLE', `command ${request.id} stored but not published: ${(err as Error).message}`);
    }
    const command = (await outcome) ?? stored;
    return reply.code(command.state === 'pending' ? 202 : 200).send(command);
  });

  app.get('/commands/:id', async (req) => {
    requireRole(req, 'admin', 'engineer');
    const { id } = parseInput(CommandParams, req.params, 'params');
    const command = await store.getCommand(id);
    if (!command) throw new ApiError('NOT_FOUND', `command ${id} not found`);
    return command;
  });

  app.get('/gateways/:id/commands', async (req) => {
    requireRole(req, 'admin', 'engineer');
    const gateway = await visibleGateway(req, store, parseInput(GatewayParams, req.params, 'params').id);
    const q = parseInput(ListQuery, req.query, 'query');
    const items = await store.listCommands({ gateway: gateway.id, limit: q.limit, ...(q.device !== undefined ? { device: q.device } : {}) });
    return { items };
  });
}
