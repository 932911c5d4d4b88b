import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod';
import { RateLimiter } from '../broker/rate-limiter.js';
import { hashSecret, verifySecret } from '../broker/secret-hash.js';
import { isTokenLiveAt } from '../store/token-state.js';
import { principalOf } from './api-auth.js';
import { auditApiCall } from './api-audit.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, parseInput } from './api-error.js';
import { ApiId } from './api-schemas.js';
import { issueToken } from './issue-token.js';

/** A dashboard sign-in lasts a working day; the page keeps it in sessionStorage (docs/dashboard.md). */
export const SESSION_TTL_MS = 12 * 3_600_000;
export const SESSION_LABEL = 'dashboard sign-in';
/**
 * Per client address, every attempt counted (as POST /enroll). Each attempt costs a scrypt
 * (~50 ms, 16 MiB), so this bounds both guessing and load; 20 a minute leaves room for a few
 * people signing in behind one NAT.
 */
const SIGN_IN_RATE = { attempts: 20, windowMs: 60_000 };
/**
 * Per attempted user id, across all addresses: a guesser spread over many addresses gets 10
 * tries a quarter hour per id. Every attempt takes a token before the check (so concurrent
 * guesses cannot all slip past) and a success forgets the id, so in effect only failures count.
 * Unknown ids are limited alike, so the 429 does not tell which ids exist. In memory, per instance.
 */
const USER_FAILURE_RATE = { attempts: 10, windowMs: 15 * 60_000 };
/** One message for every refusal, so a caller cannot learn which user ids exist or have a password. */
const REFUSED = 'unknown user or wrong password';

/** 10..256 characters: long enough to resist guessing at the rate limit, short enough to bound the hash's work. */
export const Password = z.string().min(10, 'must be at least 10 characters').max(256, 'must be at most 256 characters');

const SignInBody = z.strictObject({ user: z.string().min(1).max(64), password: z.string().min(1).max(256) });
/** `currentPassword`: needed when a non-admin changes their own password and has one already. */
const PasswordBody = z.strictObject({ password: Password, currentPassword: z.string().min(1).max(256).optional() });
const UserParams = z.strictObject({ id: ApiId });

type RefusedReason = 'unknown-user' | 'no-password' | 'wrong-password' | 'rate-limited';

/** Seconds until a limiter with `rate` gives back one attempt. */
const retryAfter = (rate: { attempts: number; windowMs: number }): string => String(Math.ceil(rate.windowMs / rate.attempts / 1000));

/**
 * Verifies against a hash of a random text when the user is unknown or has no password, so the
 * answer takes as long as a wrong password and its time does not tell the two apart.
 */
function decoyHash(): () => Promise<string> {
  let decoy: Promise<string> | undefined;
  return () => (decoy ??= hashSecret(randomBytes(32).toString('base64url')));
}

/**
 * Password sign-in for the dashboard: POST /session trades user + password for a 12 h bearer
 * token (public route: the caller has no token yet), DELETE /session revokes the caller's token,
 * PUT /users/:id/password sets a password (admin for anyone, any user for themself, who must
 * give the current one: a stolen token alone must not take over the password).
 */
export function registerSessionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store } = deps;
  const limiter = new RateLimiter(SIGN_IN_RATE, deps.now);
  const userLimiter = new RateLimiter(USER_FAILURE_RATE, deps.now);
  const decoy = decoyHash();

  /** Every password check (sign-in or current password) counts against the caller's address. */
  const takeAttempt = (req: FastifyRequest, reply: FastifyReply): void => {
    if (limiter.tryTake(req.ip)) return;
    void reply.header('retry-after', retryAfter(SIGN_IN_RATE));
    throw new ApiError('RATE_LIMITED', `too many sign-in attempts from ${req.ip}; wait a minute`);
  };

  /**
   * Audits a refused sign-in. The actor is the address (no user is proven); the target names the
   * user only when it exists (the log is admin-only), never the attempted text otherwise, which
   * may be a password typed into the wrong field. Never the password.
   */
  const auditRefused = (req: FastifyRequest, userId: string | undefined, reason: RefusedReason): Promise<unknown> =>
    store.appendAudit({ at: deps.now(), actor: `address:${req.ip}`, action: 'session.refused', target: `user:${userId ?? '?'}`, details: { reason, address: req.ip } });

  /** Revokes the user's live dashboard sign-ins but `keep`; API tokens stay. Through revokeToken, so live streams end. */
  const endSignIns = async (userId: string, keep: string): Promise<number> => {
    const at = deps.now();
    const live = (await store.listTokens(userId)).filter((t) => t.label === SESSION_LABEL && t.id !== keep && isTokenLiveAt(t, at));
    for (const t of live) await store.revokeToken(t.id, at);
    return live.length;
  };

  app.post('/session', { config: { public: true } }, async (req, reply) => {
    takeAttempt(req, reply);
    const body = parseInput(SignInBody, req.body, 'body');
    const user = ApiId.safeParse(body.user).success ? await store.getUser(body.user) : undefined;
    if (!userLimiter.tryTake(body.user)) {
      await auditRefused(req, user?.id, 'rate-limited');
      void reply.header('retry-after', retryAfter(USER_FAILURE_RATE));
      throw new ApiError('RATE_LIMITED', 'too many failed sign-ins for this user; wait a few minutes');
    }
    const stored = user && (await store.getUserPasswordHash(user.id));
    // verifySecret compares in constant time; the decoy keeps the unknown-user path as slow.
    const ok = await verifySecret(body.password, stored ?? (await decoy()));
    if (!user || stored === undefined || !ok) {
      await auditRefused(req, user?.id, !user ? 'unknown-user' : stored === undefined ? 'no-password' : 'wrong-password');
      throw new ApiError('UNAUTHENTICATED', REFUSED);
    }
    userLimiter.forget(body.user);
    const at = deps.now();
    const issued = await issueToken(store, { userId: user.id, label: SESSION_LABEL, at, expiresAt: at + SESSION_TTL_MS });
    await store.appendAudit({
      at, actor: `user:${user.id}`, action: 'session.create', target: `token:${issued.token.id}`, details: { address: req.ip, expiresAt: issued.token.expiresAt },
    });
    return reply.code(201).send({ token: issued.text, tokenId: issued.token.id, user, expiresAt: issued.token.expiresAt });
  });

  app.delete('/session', async (req, reply) => {
    const p = principalOf(req);
    await store.revokeToken(p.tokenId, deps.now());
    await auditApiCall(deps, req, 'session.end', `token:${p.tokenId}`);
    return reply.code(204).send();
  });

  app.put('/users/:id/password', async (req, reply) => {
    const p = principalOf(req);
    const { id } = parseInput(UserParams, req.params, 'params');
    // Checked before the user is looked up: a non-admin learns nothing about other ids.
    if (p.user.role !== 'admin' && p.user.id !== id) throw new ApiError('FORBIDDEN', 'only an admin may set another user\'s password');
    const { password, currentPassword } = parseInput(PasswordBody, req.body, 'body');
    if (!(await store.getUser(id))) throw new ApiError('NOT_FOUND', `user ${id} not found`);
    // Past the check above a non-admin is changing their own password. A user without one yet
    // has nothing to confirm (an admin gave them only API tokens).
    const stored = p.user.role === 'admin' ? undefined : await store.getUserPasswordHash(id);
    if (stored !== undefined) {
      if (currentPassword === undefined) {
        throw new ApiError('INVALID_REQUEST', 'body.currentPassword: required to change your own password', { issues: [{ field: 'body.currentPassword', message: 'required to change your own password' }] });
      }
      takeAttempt(req, reply);
      // verifySecret compares in constant time.
      if (!(await verifySecret(currentPassword, stored))) throw new ApiError('UNAUTHENTICATED', 'current password is wrong');
    }
    await store.setUserPasswordHash(id, await hashSecret(password));
    // Whoever signed in with the old password is signed out; the caller's own token stays.
    const signInsEnded = await endSignIns(id, p.tokenId);
    await auditApiCall(deps, req, 'user.password', `user:${id}`, { reset: id !== p.user.id, signInsEnded });
    return reply.code(204).send();
  });
}
