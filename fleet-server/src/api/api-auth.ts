import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiStore } from '../store/store-api.js';
import type { Role, User } from '../store/store-api-types.js';
import { ApiError } from './api-error.js';

export interface Principal {
  user: User;
  tokenId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the /api/v1 auth hook; undefined only on routes outside it. */
    principal?: Principal;
  }
}

/** "ef_" + 43 base64url chars (256 bits). The prefix lets secret scanners and humans spot it. */
export function newApiToken(): string {
  return `ef_${randomBytes(32).toString('base64url')}`;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** fastify onRequest hook: resolves `Authorization: Bearer <token>` to a principal or answers 401. */
export function bearerAuth(store: Pick<ApiStore, 'authenticateToken'>, now: () => number) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = req.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new ApiError('UNAUTHENTICATED', 'missing bearer token (Authorization: Bearer <token>)');
    const found = await store.authenticateToken(hashApiToken(match[1]), now());
    if (!found) throw new ApiError('UNAUTHENTICATED', 'unknown, expired or revoked token');
    req.principal = { user: found.user, tokenId: found.token.id };
  };
}

export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new ApiError('UNAUTHENTICATED', 'not signed in');
  return req.principal;
}

/** Throws FORBIDDEN unless the caller has one of `roles`. */
export function requireRole(req: FastifyRequest, ...roles: Role[]): Principal {
  const p = principalOf(req);
  if (!roles.includes(p.user.role)) throw new ApiError('FORBIDDEN', `needs role ${roles.join(' or ')}; you are ${p.user.role}`);
  return p;
}

export function canSeeSite(p: Principal, siteId: string): boolean {
  return p.user.role !== 'manager' || p.user.sites.includes(siteId);
}

/**
 * For a resource of `siteId`: a manager of another site gets NOT_FOUND (not FORBIDDEN), so ids
 * of other sites' devices and alerts cannot be probed.
 */
export function requireSite(req: FastifyRequest, siteId: string, what: string): Principal {
  const p = principalOf(req);
  if (!canSeeSite(p, siteId)) throw new ApiError('NOT_FOUND', `${what} not found`);
  return p;
}

/** The sites a listing is limited to: undefined = all (admin, engineer). */
export function siteScope(p: Principal): string[] | undefined {
  return p.user.role === 'manager' ? p.user.sites : undefined;
}

/** The audit actor for the caller. */
export const actorOf = (p: Principal): string => `user:${p.user.id}`;
