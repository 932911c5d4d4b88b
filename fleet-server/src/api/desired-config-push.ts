import type { FastifyRequest } from 'fastify';
import { DesiredConfig, ManagedConfig, WIRE_VERSION } from '@edgefleet/protocol';
import { checkManagedConfig } from '@edgefleet/device-profiles';
import type { ConfigOutcome, ConfigStates } from '../downlink/config-states.js';
import { publishDownlink } from '../downlink/publish-downlink.js';
import { VersionMismatchError } from '../store/check-base-version.js';
import type { DesiredConfigRecord } from '../store/store-api-types.js';
import { actorOf, principalOf } from './api-auth.js';
import { auditApiCall } from './api-audit.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError } from './api-error.js';

export interface PushResult {
  desired: DesiredConfigRecord;
  /** 'pending' without ?wait, or when the gateway did not report within it. */
  outcome: ConfigOutcome;
}

/**
 * Checks a managed config the way the gateway will (schema, then cross-checks: bus exists, unit
 * ids unique per bus, profiles known, schedules valid), stores it as the next version, audits it
 * and publishes it retained; with `waitMs`, waits for the gateway's applied/rejected report
 * (cut short when `signal` aborts: the client went away).
 * `field` prefixes the issue paths ("body.config" for PUT, "body" for a device add).
 */
export async function pushDesiredConfig(
  deps: ApiDeps,
  states: ConfigStates,
  req: FastifyRequest,
  push: {
    gateway: string; config: unknown; field: string; action: string; details?: Record<string, unknown>; waitMs?: number | undefined; signal?: AbortSignal;
    /** The version the change was made from (If-Match, or the latest a device add/remove merged into). */
    baseVersion?: number | undefined;
  },
): Promise<PushResult> {
  const parsed = ManagedConfig.safeParse(push.config);
  const issues = parsed.success
    ? checkManagedConfig(parsed.data, deps.profiles).map((i) => ({ path: i.path, message: i.message }))
    : parsed.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));
  if (!parsed.success || issues.length > 0) {
    const listed = issues.map((i) => ({ field: [push.field, ...i.path.map(String)].join('.'), message: i.message }));
    const first = listed[0];
    throw new ApiError('INVALID_REQUEST', first ? `${first.field}: ${first.message}` : `${push.field}: invalid config`, { issues: listed });
  }
  const desired = await deps.store.putDesiredConfig(push.gateway, parsed.data, deps.now(), actorOf(principalOf(req)), push.baseVersion).catch((err: unknown) => {
    throw err instanceof VersionMismatchError ? new ApiError('VERSION_MISMATCH', err.message, { latest: err.latest }) : err;
  });
  await auditApiCall(deps, req, push.action, `gateway:${push.gateway}`, { version: desired.version, ...push.details });
  const message: DesiredConfig = { v: WIRE_VERSION, version: desired.version, issuedAt: desired.createdAt, config: desired.config };
  // Waiting starts before the publish so a fast report is not missed.
  const outcome = push.waitMs === undefined ? undefined : states.waitFor(push.gateway, desired.version, push.waitMs, push.signal);
  try {
    await publishDownlink(deps.broker, push.gateway, 'config', DesiredConfig.parse(message));
  } catch (err) {
    throw new ApiError('GATEWAY_UNREACHABLE', `config version ${desired.version} stored but not published: ${(err as Error).message}`);
  }
  return { desired, outcome: (await outcome) ?? { state: 'pending', version: desired.version } };
}
