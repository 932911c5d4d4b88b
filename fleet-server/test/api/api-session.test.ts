import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../src/api/api-deps.js';
import { installErrorHandler } from '../../src/api/api-error.js';
import { registerSessionRoutes } from '../../src/api/session-routes.js';
import { startApiServer } from './api-helpers.js';
import type { ApiBody, ApiTestServer } from './api-helpers.js';

interface AuditItem { actor: string; action: string; target: string; details: Record<string, unknown> }
interface SignIn { token: string; tokenId: string; user: { id: string; role: string; sites: string[] }; expiresAt: number }

const TWELVE_HOURS = 12 * 3_600_000;
const REFUSED = 'unknown user or wrong password';

let api: ApiTestServer;
let engineer: string;
let manager: string;
beforeAll(async () => {
  api = await startApiServer();
  engineer = await api.userToken({ id: 'erin', role: 'engineer' });
  manager = await api.userToken({ id: 'mona', role: 'manager', sites: ['north'] });
});
afterAll(async () => api.cleanup());

const signIn = (user: string, password: string) => api.call<SignIn & ApiBody>('POST', '/session', undefined, { user, password });

async function auditOf(action: string): Promise<AuditItem[]> {
  // Newest first; the route filters by actor and target only.
  const reply = await api.call<{ items: AuditItem[] }>('GET', '/audit?limit=1000', api.adminToken);
  expect(reply.status).toBe(200);
  return reply.body.items.filter((a) => a.action === action);
}

describe('password sign-in', () => {
  it('an admin sets a password; the user trades it for a 12 h "dashboard sign-in" token', async () => {
    expect((await api.call('PUT', '/users/mona/password', api.adminToken, { password: 'correct horse battery' })).status).toBe(204);
    const reply = await signIn('mona', 'correct horse battery');
    expect(reply.status).toBe(201);
    expect(reply.body.user).toMatchObject({ id: 'mona', role: 'manager', sites: ['north'] });
    expect(reply.body.expiresAt).toBe(api.clock.now + TWELVE_HOURS);
    expect(reply.body.token).toMatch(/^ef_/);
    const me = await api.call<{ user: { id: string }; tokenId: string }>('GET', '/me', reply.body.token);
    expect(me.body).toMatchObject({ user: { id: 'mona' }, tokenId: reply.body.tokenId });
    const tokens = await api.call<{ items: { id: string; label: string }[] }>('GET', '/users/mona/tokens', api.adminToken);
    expect(tokens.body.items.find((t) => t.id === reply.body.tokenId)?.label).toBe('dashboard sign-in');
    const [created] = await auditOf('session.create');
    expect(created).toMatchObject({ actor: 'user:mona', target: `token:${reply.body.tokenId}` });
    const [set] = await auditOf('user.password');
    expect(set).toMatchObject({ actor: 'user:admin', target: 'user:mona' });
    expect(JSON.stringify(set)).not.toContain('correct horse');
  });

  it('refuses a wrong password, an unknown user and a user without a password alike', async () => {
    for (const [user, password] of [['mona', 'wrong password!'], ['nobody', 'correct horse battery'], ['erin', 'correct horse battery'], ['Bad Id!', 'x']] as const) {
      const reply = await signIn(user, password);
      expect(reply.status).toBe(401);
      expect(reply.body.error).toEqual({ code: 'UNAUTHENTICATED', message: REFUSED });
    }
    expect((await api.call('POST', '/session', undefined, { user: 'mona' })).body.error?.code).toBe('INVALID_REQUEST');
    // Audited, newest first: the address as actor, the user only when it exists, never the password.
    const refused = (await auditOf('session.refused')).slice(0, 4).reverse();
    expect(refused.map((a) => [a.actor, a.target, a.details])).toEqual([
      ['address:127.0.0.1', 'user:mona', { reason: 'wrong-password', address: '127.0.0.1' }],
      ['address:127.0.0.1', 'user:?', { reason: 'unknown-user', address: '127.0.0.1' }],
      ['address:127.0.0.1', 'user:erin', { reason: 'no-password', address: '127.0.0.1' }],
      ['address:127.0.0.1', 'user:?', { reason: 'unknown-user', address: '127.0.0.1' }],
    ]);
    expect(JSON.stringify(refused)).not.toMatch(/wrong password!|correct horse|nobody|Bad Id/);
  });

  it('the token expires after 12 hours', async () => {
    const reply = await signIn('mona', 'correct horse battery');
    expect((await api.call('GET', '/me', reply.body.token)).status).toBe(200);
    api.clock.now += TWELVE_HOURS;
    expect((await api.call('GET', '/me', reply.body.token)).status).toBe(401);
  });

  it('DELETE /session revokes only the caller\'s token', async () => {
    const reply = await signIn('mona', 'correct horse battery');
    expect((await api.call('DELETE', '/session', reply.body.token)).status).toBe(204);
    expect((await api.call('GET', '/me', reply.body.token)).status).toBe(401);
    expect((await api.call('GET', '/me', manager)).status).toBe(200);
    const [ended] = await auditOf('session.end');
    expect(ended).toMatchObject({ actor: 'user:mona', target: `token:${reply.body.tokenId}` });
    expect((await api.call('DELETE', '/session')).status).toBe(401);
  });

  it('users set their own password, only admins another\'s; 10..256 characters', async () => {
    expect((await api.call('PUT', '/users/erin/password', engineer, { password: 'erins own password' })).status).toBe(204);
    expect((await signIn('erin', 'erins own password')).status).toBe(201);
    const other = await api.call('PUT', '/users/erin/password', manager, { password: 'monas idea of it' });
    expect(other.status).toBe(403);
    expect(other.body.error?.code).toBe('FORBIDDEN');
    expect((await api.call('PUT', '/users/nobody/password', manager, { password: 'monas idea of it' })).status).toBe(403);
    expect((await api.call('PUT', '/users/nobody/password', api.adminToken, { password: 'long enough pw' })).status).toBe(404);
    for (const password of ['short', 'x'.repeat(257)]) {
      const reply = await api.call('PUT', '/users/erin/password', engineer, { password });
      expect(reply.status).toBe(400);
      expect(reply.body.error?.message).toMatch(/^body\.password: /);
    }
    // The old password stops working when a new one is set.
    expect((await api.call('PUT', '/users/erin/password', api.adminToken, { password: 'reset by the admin' })).status).toBe(204);
    expect((await signIn('erin', 'erins own password')).status).toBe(401);
    expect((await signIn('erin', 'reset by the admin')).status).toBe(201);
  });

  it('POST /users takes an optional password and never echoes it', async () => {
    const created = await api.call('POST', '/users', api.adminToken, { id: 'pia', name: 'Pia', role: 'engineer', password: 'pias first password' });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('password');
    expect((await signIn('pia', 'pias first password')).status).toBe(201);
    const [audit] = await auditOf('user.create');
    expect(audit?.details).toEqual({ role: 'engineer', sites: [], password: true });
    expect((await api.call('POST', '/users', api.adminToken, { id: 'quin', name: 'Q', role: 'engineer', password: 'short' })).status).toBe(400);
    expect((await api.call('GET', '/users/quin', api.adminToken)).status).toBe(404);
  });

  it('a non-admin changing their own password must give the current one; an admin reset needs none', async () => {
    api.clock.now += 60_000; // a full sign-in bucket: the checks below count against it
    const tess = await api.userToken({ id: 'tess', role: 'engineer' });
    expect((await api.call('PUT', '/users/tess/password', api.adminToken, { password: 'tess first password' })).status).toBe(204);
    const missing = await api.call('PUT', '/users/tess/password', tess, { password: 'taken over by a thief' });
    expect(missing.status).toBe(400);
    expect(missing.body.error?.message).toMatch(/^body\.currentPassword: /);
    const wrong = await api.call('PUT', '/users/tess/password', tess, { password: 'taken over by a thief', currentPassword: 'a wrong guess here' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toEqual({ code: 'UNAUTHENTICATED', message: 'current password is wrong' });
    expect((await signIn('tess', 'taken over by a thief')).status).toBe(401);
    expect((await signIn('tess', 'tess first password')).status).toBe(201);

    const right = await api.call('PUT', '/users/tess/password', tess, { password: 'tess second password', currentPassword: 'tess first password' });
    expect(right.status).toBe(204);
    expect((await signIn('tess', 'tess first password')).status).toBe(401);
    expect((await signIn('tess', 'tess second password')).status).toBe(201);
    const [changed] = await auditOf('user.password');
    expect(changed).toMatchObject({ actor: 'user:tess', target: 'user:tess', details: { reset: false } });
    expect(JSON.stringify(changed)).not.toContain('tess first');

    expect((await api.call('PUT', '/users/tess/password', api.adminToken, { password: 'reset by the admin' })).status).toBe(204);
    expect((await signIn('tess', 'reset by the admin')).status).toBe(201);
    const [reset] = await auditOf('user.password');
    expect(reset).toMatchObject({ actor: 'user:admin', target: 'user:tess', details: { reset: true } });
  });

  it('a password change ends the user\'s other dashboard sign-ins; the caller\'s token and API tokens stay', async () => {
    api.clock.now += 60_000;
    const apiToken = await api.userToken({ id: 'uma', role: 'engineer' });
    expect((await api.call('PUT', '/users/uma/password', api.adminToken, { password: 'umas first password' })).status).toBe(204);
    const mine = (await signIn('uma', 'umas first password')).body;
    const other = (await signIn('uma', 'umas first password')).body;
    const unrelated = (await signIn('mona', 'correct horse battery')).body;
    const change = await api.call('PUT', '/users/uma/password', mine.token, { password: 'umas second password', currentPassword: 'umas first password' });
    expect(change.status).toBe(204);
    expect((await api.call('GET', '/me', mine.token)).status).toBe(200);
    expect((await api.call('GET', '/me', other.token)).status).toBe(401);
    expect((await api.call('GET', '/me', apiToken)).status).toBe(200);
    expect((await api.call('GET', '/me', unrelated.token)).status).toBe(200);
    const [changed] = await auditOf('user.password');
    expect(changed).toMatchObject({ actor: 'user:uma', target: 'user:uma', details: { reset: false, signInsEnded: 1 } });
    const tokens = await api.call<{ items: { id: string; revokedAt: number | null }[] }>('GET', '/users/uma/tokens', api.adminToken);
    expect(tokens.body.items.find((t) => t.id === other.tokenId)?.revokedAt).toBe(api.clock.now);

    // An admin reset ends every sign-in of that user, the admin's own token being someone else's.
    const later = (await signIn('uma', 'umas second password')).body;
    expect((await api.call('PUT', '/users/uma/password', api.adminToken, { password: 'umas reset password' })).status).toBe(204);
    for (const token of [mine.token, later.token]) expect((await api.call('GET', '/me', token)).status).toBe(401);
    expect((await api.call('GET', '/me', apiToken)).status).toBe(200);
    expect((await api.call('GET', '/me', api.adminToken)).status).toBe(200);
    const [reset] = await auditOf('user.password');
    expect(reset).toMatchObject({ actor: 'user:admin', target: 'user:uma', details: { reset: true, signInsEnded: 2 } });
  });

  it('limits attempts per address: 429 RATE_LIMITED with Retry-After, refilled over the minute', async () => {
    api.clock.now += 60_000;
    let limited: Response | undefined;
    for (let i = 0; i < 25 && !limited; i++) {
      // A new id each time, so the per-user limit (below) does not answer first.
      const res = await fetch(`http://127.0.0.1:${api.server.httpPort}/api/v1/session`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: `guess-${i}`, password: `guess number ${i}` }),
      });
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(401);
    }
    expect(limited?.headers.get('retry-after')).toBe('3');
    expect(((await limited!.json()) as ApiBody).error?.code).toBe('RATE_LIMITED');
    // Even the right password is refused until the bucket refills.
    expect((await signIn('mona', 'correct horse battery')).status).toBe(429);
    // Checking a current password is an attempt too: a stolen token cannot guess past the limit.
    const change = await api.call('PUT', '/users/erin/password', engineer, { password: 'never set at all', currentPassword: 'reset by the admin' });
    expect(change.status).toBe(429);
    expect(change.body.error?.code).toBe('RATE_LIMITED');
    api.clock.now += 3_000;
    expect((await signIn('mona', 'correct horse battery')).status).toBe(201);
  });
});

describe('per-user sign-in failure limit (10 per 15 minutes, across addresses)', () => {
  // The session routes alone on an inject()able app over the same store, so each attempt can come
  // from another remoteAddress: the per-address limit never answers here.
  let app: FastifyInstance;
  let address = 0;
  beforeAll(async () => {
    app = Fastify();
    const deps = { store: api.store, now: () => api.clock.now } as Pick<ApiDeps, 'store' | 'now'> as ApiDeps;
    await app.register(async (scope) => {
      installErrorHandler(scope);
      registerSessionRoutes(scope, deps);
    }, { prefix: '/api/v1' });
    expect((await api.call('PUT', '/users/mona/password', api.adminToken, { password: 'correct horse battery' })).status).toBe(204);
  });
  afterAll(async () => app.close());

  const attempt = async (user: string, password: string) => {
    address += 1;
    const res = await app.inject({ method: 'POST', url: '/api/v1/session', remoteAddress: `10.0.${address >> 8}.${address & 255}`, payload: { user, password } });
    return { status: res.statusCode, retryAfter: res.headers['retry-after'], body: res.json<ApiBody>() };
  };
  const fail = async (user: string, times: number) => {
    for (let i = 0; i < times; i++) expect((await attempt(user, `wrong guess ${i}`)).status).toBe(401);
  };

  it('after 10 failures from 10 addresses the 11th address gets 429, even with the right password; refilled over time', async () => {
    await fail('mona', 10);
    const limited = await attempt('mona', 'correct horse battery');
    expect(limited).toMatchObject({ status: 429, retryAfter: '90', body: { error: { code: 'RATE_LIMITED' } } });
    const [audit] = await auditOf('session.refused');
    expect(audit).toMatchObject({ actor: `address:10.0.0.${address}`, target: 'user:mona', details: { reason: 'rate-limited', address: `10.0.0.${address}` } });
    expect(JSON.stringify(audit)).not.toContain('correct horse');
    api.clock.now += 90_000;
    expect((await attempt('mona', 'correct horse battery')).status).toBe(201);
  });

  it('a success clears the user\'s count', async () => {
    api.clock.now += 15 * 60_000;
    await fail('mona', 9);
    expect((await attempt('mona', 'correct horse battery')).status).toBe(201);
    await fail('mona', 10);
    expect((await attempt('mona', 'wrong guess 10')).status).toBe(429);
  });

  it('an unknown id is limited the same way: the 429 does not reveal which ids exist', async () => {
    api.clock.now += 15 * 60_000;
    await fail('mona', 10);
    await fail('ghost', 10);
    const known = await attempt('mona', 'eleventh guess');
    const unknown = await attempt('ghost', 'eleventh guess');
    expect(unknown.status).toBe(429);
    expect(unknown).toEqual(known);
    const [audit] = await auditOf('session.refused');
    expect(audit).toMatchObject({ target: 'user:?', details: { reason: 'rate-limited' } });
    expect(JSON.stringify(await auditOf('session.refused'))).not.toMatch(/ghost|guess/);
  });
});
