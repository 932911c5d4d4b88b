import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { durationMs } from '@edgefleet/device-profiles';
import { Duration } from '@edgefleet/protocol';
import { hashSecret } from '../broker/secret-hash.js';
import { RateLimiter } from '../broker/rate-limiter.js';
import { actorOf, requireRole } from './api-auth.js';
import { auditApiCall } from './api-audit.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, parseInput } from './api-error.js';
import { visibleSite } from './api-lookup.js';
import { ApiId } from './api-schemas.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Skips the /api/v1 bearer check (register-api.ts): POST /enroll, POST /session, GET /events (their own credential). */
    public?: boolean;
  }
}

const DEFAULT_TTL_MS = 3_600_000;
/** A week: long enough to post a box to a site, short enough that a lost token dies on its own. */
const MAX_TTL_MS = 7 * 24 * 3_600_000;
/** Per client address. Tokens carry 256 bits, so this is about load (each success costs a scrypt), not guessing. */
const ENROLL_RATE = { attempts: 10, windowMs: 60_000 };

const ProvisionBody = z.strictObject({
  site: ApiId,
  name: z.string().trim().min(1).max(200),
  /** Default: the name as a slug ("Depot North" → "depot-north"). */
  id: ApiId.optional(),
  ttl: Duration.refine((t) => durationMs(t) > 0 && durationMs(t) <= MAX_TTL_MS, `must be more than 0 and at most ${MAX_TTL_MS / 3_600_000}h`).optional(),
  /** Re-key an existing gateway (a replaced box): its old secret stops working when the new box enrolls. */
  replace: z.boolean().default(false),
});

const EnrollBody = z.strictObject({ token: z.string().min(1).max(200) });

/** "Depot North (B3)" → "depot-north-b3"; undefined when nothing usable is left. */
export function slugOf(name: string): string | undefined {
  const slug = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
  return ApiId.safeParse(slug).success ? slug : undefined;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The broker URL an enrolled gateway is given: configured, else the host it reached the API at. */
export function brokerUrlFor(broker: ApiDeps['gatewayBroker'], apiHostname: string): string {
  if (broker?.publicUrl !== undefined) return broker.publicUrl;
  const host = apiHostname === '' ? '127.0.0.1' : apiHostname;
  return `${broker?.tls ? 'mqtts' : 'mqtt'}://${host}:${broker?.port ?? 1883}`;
}

/**
 * POST /gateways/provision (admin or engineer): a one-time enrollment token for a gateway that
 * does not exist yet. Only the token's SHA-256 is stored; the gateway row and its secret are
 * created when the box trades the token (POST /enroll), so an unused token leaves nothing behind.
 */
export function registerProvisionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store } = deps;
  app.post('/gateways/provision', async (req, reply) => {
    const principal = requireRole(req, 'admin', 'engineer');
    const body = parseInput(ProvisionBody, req.body, 'body');
    const site = await visibleSite(req, store, body.site);
    const gatewayId = body.id ?? slugOf(body.name);
    if (gatewayId === undefined) {
      throw new ApiError('INVALID_REQUEST', 'body.id: required when the name has no letters or digits to make an id from', {
        issues: [{ field: 'body.id', message: 'required when the name has no letters or digits to make an id from' }],
      });
    }
    const existing = await store.getGateway(gatewayId);
    if (existing && !body.replace) {
      throw new ApiError('CONFLICT', `gateway ${gatewayId} already exists (site ${existing.site}); pick another id, or set replace to re-key it`);
    }
    if (existing && existing.site !== site.id) throw new ApiError('CONFLICT', `gateway ${gatewayId} belongs to site ${existing.site}, not ${site.id}`);
    const token = `efe_${randomBytes(32).toString('base64url')}`;
    const now = deps.now();
    const enrollment = await store.createEnrollment({
      hash: sha256(token), site: site.id, gatewayId, name: body.name, createdAt: now,
      expiresAt: now + (body.ttl === undefined ? DEFAULT_TTL_MS : durationMs(body.ttl)), createdBy: actorOf(principal),
    });
    await auditApiCall(deps, req, 'gateway.provision', `gateway:${gatewayId}`, { site: site.id, name: body.name, expiresAt: enrollment.expiresAt, replace: body.replace });
    return reply.code(201).send({ token, gatewayId, site: site.id, name: body.name, expiresAt: enrollment.expiresAt });
  });
}

/**
 * POST /enroll — outside the bearer scope: the box holds no API token, only the enrollment
 * token. Trades it (atomically, once) for the gateway's identity, a fresh secret (only its scrypt
 * hash is stored) and the broker URL. The broker reads secrets from the store at CONNECT, so the
 * gateway connects at once.
 */
export function registerEnrollRoute(app: FastifyInstance, deps: ApiDeps): void {
  const { store } = deps;
  const limiter = new RateLimiter(ENROLL_RATE, deps.now);
  app.post('/enroll', { config: { public: true } }, async (req, reply) => {
    if (!limiter.tryTake(req.ip)) {
      void reply.header('retry-after', String(Math.ceil(ENROLL_RATE.windowMs / ENROLL_RATE.attempts / 1000)));
      throw new ApiError('RATE_LIMITED', `too many enrollment attempts from ${req.ip}; wait a minute`);
    }
    const { token } = parseInput(EnrollBody, req.body, 'body');
    const hash = sha256(token.trim());
    const now = deps.now();
    const enrollment = await store.consumeEnrollment(hash, now);
    if (!enrollment) {
      // Only to word the refusal: the consume above already decided, atomically.
      const found = await store.findEnrollment(hash);
      if (!found) throw new ApiError('ENROLL_TOKEN_INVALID', 'unknown enrollment token');
      if (found.usedAt !== null) throw new ApiError('ENROLL_TOKEN_USED', `enrollment token for gateway ${found.gatewayId} was already used at ${new Date(found.usedAt).toISOString()}`);
      throw new ApiError('ENROLL_TOKEN_EXPIRED', `enrollment token for gateway ${found.gatewayId} expired at ${new Date(found.expiresAt).toISOString()}`);
    }
    const secret = randomBytes(32).toString('base64url');
    await store.upsertGateway({ id: enrollment.gatewayId, site: enrollment.site, name: enrollment.name, secretHash: await hashSecret(secret) });
    await store.appendAudit({
      at: deps.now(), actor: `gateway:${enrollment.gatewayId}`, action: 'gateway.enroll', target: `gateway:${enrollment.gatewayId}`,
      details: { site: enrollment.site, provisionedBy: enrollment.createdBy, address: req.ip },
    });
    return reply.code(201).send({
      gatewayId: enrollment.gatewayId, site: enrollment.site, name: enrollment.name, secret,
      mqtt: { url: brokerUrlFor(deps.gatewayBroker, req.hostname), username: enrollment.gatewayId },
    });
  });
}
