import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import type { ApiToken, User } from '../store/store-api-types.js';
import { principalOf, requireRole } from './api-auth.js';
import { auditApiCall } from './api-audit.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, parseInput } from './api-error.js';
import { hashSecret } from '../broker/secret-hash.js';
import { ApiId } from './api-schemas.js';
import { issueToken } from './issue-token.js';
import { Password, SESSION_LABEL } from './session-routes.js';

const TTL_UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MAX_TTL_MS = 3_650 * 86_400_000;

/** "90d", "12h", "30m", "3600s" → ms. */
const Ttl = z.string().transform((text, ctx) => {
  const match = /^(\d{1,7})(s|m|h|d)$/.exec(text);
  const ms = match?.[1] && match[2] ? Number(match[1]) * TTL_UNIT_MS[match[2] as keyof typeof TTL_UNIT_MS] : NaN;
  if (ms > 0 && ms <= MAX_TTL_MS) return ms;
  ctx.addIssue({ code: 'custom', message: 'must be a duration from 1s to 3650d such as "90d", "12h", "30m" or "3600s"' });
  return z.NEVER;
});

const UserBody = z.strictObject({
  id: ApiId,
  name: z.string().trim().min(1).max(200),
  role: z.enum(['admin', 'engineer', 'manager']),
  /** Required (at least one) for managers; must be absent or empty for the other roles. */
  sites: z.array(ApiId).max(1_000).default([]),
  /** Optional: lets the user sign in to the dashboard (POST /session); only its scrypt hash is stored. */
  password: Password.optional(),
}).superRefine((u, ctx) => {
  if (u.role === 'manager' && u.sites.length === 0) ctx.addIssue({ code: 'custom', path: ['sites'], message: 'a manager needs at least one site' });
  if (u.role !== 'manager' && u.sites.length > 0) ctx.addIssue({ code: 'custom', path: ['sites'], message: `only managers are limited to sites; a ${u.role} sees every site` });
  u.sites.forEach((site, i) => {
    if (u.sites.indexOf(site) !== i) ctx.addIssue({ code: 'custom', path: ['sites', i], message: `site "${site}" is listed twice` });
  });
});

const TokenBody = z.strictObject({
  // The sign-in label tells dashboard sign-ins apart (a password change ends them; `fleet user
  // tokens` shows them as sign-ins), so an API token may not wear it.
  label: z.string().trim().min(1).max(200).refine((l) => l !== SESSION_LABEL, `"${SESSION_LABEL}" is reserved for dashboard sign-ins`).default('api'),
  /** Absent: the token lives until revoked. */
  ttl: Ttl.optional(),
}).default({ label: 'api' });

const UserParams = z.strictObject({ id: ApiId });
const TokenParams = z.strictObject({ id: z.string().regex(/^tok_[0-9a-f]{16}$/, 'must be a token id such as tok_0123456789abcdef') });

/** Field by field, so a store row that carried its hash could never leak it into a reply. */
const tokenView = (t: ApiToken): ApiToken => ({
  id: t.id, userId: t.userId, label: t.label, createdAt: t.createdAt, expiresAt: t.expiresAt, revokedAt: t.revokedAt, lastUsedAt: t.lastUsedAt,
});

/** /users, /users/:id/tokens, GET|DELETE /tokens/:id (admin) and /me (any role). */
export function registerUsersRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store } = deps;

  const existingUser = async (id: string): Promise<User> => {
    const user = await store.getUser(id);
    if (!user) throw new ApiError('NOT_FOUND', `user ${id} not found`);
    return user;
  };

  const existingToken = async (id: string): Promise<ApiToken> => {
    const token = (await store.listTokens()).find((t) => t.id === id);
    if (!token) throw new ApiError('NOT_FOUND', `token ${id} not found`);
    return token;
  };

  app.get('/me', async (req) => {
    const p = principalOf(req);
    return { user: p.user, tokenId: p.tokenId };
  });

  app.get('/users', async (req) => {
    requireRole(req, 'admin');
    return { items: await store.listUsers() };
  });

  app.post('/users', async (req, reply) => {
    requireRole(req, 'admin');
    const { password, ...body } = parseInput(UserBody, req.body, 'body');
    for (const [i, site] of body.sites.entries()) {
      if (!(await store.getSite(site))) {
        throw new ApiError('INVALID_REQUEST', `body.sites.${i}: unknown site "${site}"`, { issues: [{ field: `body.sites.${i}`, message: `unknown site "${site}"` }] });
      }
    }
    if (await store.getUser(body.id)) throw new ApiError('CONFLICT', `user ${body.id} already exists`);
    const user: User = { ...body, createdAt: deps.now() };
    await store.createUser(user);
    // Hashed after the insert succeeded (a refused user costs no scrypt); never in the reply or the audit.
    if (password !== undefined) await store.setUserPasswordHash(user.id, await hashSecret(password));
    await auditApiCall(deps, req, 'user.create', `user:${user.id}`, { role: user.role, sites: user.sites, password: password !== undefined });
    return reply.code(201).send(user);
  });

  app.get('/users/:id', async (req) => {
    requireRole(req, 'admin');
    return existingUser(parseInput(UserParams, req.params, 'params').id);
  });

  app.delete('/users/:id', async (req, reply) => {
    const p = requireRole(req, 'admin');
    const { id } = parseInput(UserParams, req.params, 'params');
    await existingUser(id);
    // Deleting yourself could leave the deployment without any admin.
    if (id === p.user.id) throw new ApiError('CONFLICT', 'you cannot delete your own user; ask another admin');
    await store.deleteUser(id, deps.now());
    await auditApiCall(deps, req, 'user.delete', `user:${id}`);
    return reply.code(204).send();
  });

  app.get('/users/:id/tokens', async (req) => {
    requireRole(req, 'admin');
    const { id } = parseInput(UserParams, req.params, 'params');
    await existingUser(id);
    return { items: (await store.listTokens(id)).map(tokenView) };
  });

  app.post('/users/:id/tokens', async (req, reply) => {
    requireRole(req, 'admin');
    const { id } = parseInput(UserParams, req.params, 'params');
    const body = parseInput(TokenBody, req.body, 'body');
    await existingUser(id);
    const at = deps.now();
    const issued = await issueToken(store, { userId: id, label: body.label, at, expiresAt: body.ttl === undefined ? null : at + body.ttl });
    await auditApiCall(deps, req, 'token.create', `token:${issued.token.id}`, { user: id, label: body.label, expiresAt: issued.token.expiresAt });
    // The only time the text leaves the server: the store keeps its hash.
    return reply.code(201).send({ ...tokenView(issued.token), token: issued.text });
  });

  // One token by id, so a client can tell an unknown id from a revoked one before DELETE (a no-op then).
  app.get('/tokens/:id', async (req) => {
    requireRole(req, 'admin');
    return tokenView(await existingToken(parseInput(TokenParams, req.params, 'params').id));
  });

  app.delete('/tokens/:id', async (req, reply) => {
    requireRole(req, 'admin');
    const { id } = parseInput(TokenParams, req.params, 'params');
    const token = await existingToken(id);
    if (token.revokedAt === null) {
      await store.revokeToken(id, deps.now());
      await auditApiCall(deps, req, 'token.revoke', `token:${id}`, { user: token.userId });
    }
    return reply.code(204).send();
  });
}
