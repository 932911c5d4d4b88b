import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from './api-helpers.js';
import type { ApiTestServer } from './api-helpers.js';

interface AuditItem { actor: string; action: string; target: string; details: Record<string, unknown> }

let api: ApiTestServer;
let engineer: string;
let manager: string;
beforeAll(async () => {
  api = await startApiServer();
  engineer = await api.userToken({ id: 'erin', role: 'engineer' });
  manager = await api.userToken({ id: 'mona', role: 'manager', sites: ['north'] });
});
afterAll(async () => api.cleanup());

describe('users and tokens', () => {
  it('lists and reads users (admin only)', async () => {
    const list = await api.call<{ items: { id: string }[] }>('GET', '/users', api.adminToken);
    expect(list.status).toBe(200);
    expect(list.body.items.map((u) => u.id).sort()).toEqual(['admin', 'erin', 'mona']);
    const mona = await api.call('GET', '/users/mona', api.adminToken);
    expect(mona.body).toMatchObject({ id: 'mona', role: 'manager', sites: ['north'] });
    expect((await api.call('GET', '/users/nobody', api.adminToken)).status).toBe(404);
  });

  it.each([
    ['GET', '/users'], ['POST', '/users'], ['GET', '/users/erin'], ['DELETE', '/users/erin'], ['GET', '/users/erin/tokens'],
    ['POST', '/users/erin/tokens'], ['GET', '/tokens/tok_0123456789abcdef'], ['DELETE', '/tokens/tok_0123456789abcdef'], ['GET', '/audit'],
  ])('answers 403 FORBIDDEN to engineers and managers for %s %s', async (method, route) => {
    for (const token of [engineer, manager]) {
      const reply = await api.call(method, route, token, method === 'POST' ? {} : undefined);
      expect(reply.status).toBe(403);
      expect(reply.body.error?.code).toBe('FORBIDDEN');
    }
  });

  it('GET /me works for every role', async () => {
    const me = await api.call<{ user: { id: string; sites: string[] } }>('GET', '/me', manager);
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: 'mona', sites: ['north'] });
  });

  it.each([
    [{ id: 'x', name: 'X', role: 'manager' }, 'body.sites'],
    [{ id: 'x', name: 'X', role: 'engineer', sites: ['north'] }, 'body.sites'],
    [{ id: 'x', name: 'X', role: 'manager', sites: ['atlantis'] }, 'body.sites.0'],
    [{ id: 'x', name: 'X', role: 'manager', sites: ['north', 'north'] }, 'body.sites.1'],
    [{ id: 'Not A Slug', name: 'X', role: 'admin' }, 'body.id'],
    [{ id: 'x', name: 'X', role: 'root' }, 'body.role'],
    [{ id: 'x', role: 'admin' }, 'body.name'],
    [{ id: 'x', name: 'X', role: 'admin', extra: 1 }, 'body'],
  ])('rejects user %j naming %s', async (body, field) => {
    const reply = await api.call('POST', '/users', api.adminToken, body);
    expect(reply.status).toBe(400);
    expect(reply.body.error?.code).toBe('INVALID_REQUEST');
    expect(reply.body.error?.message.startsWith(`${field}:`)).toBe(true);
    expect(reply.body.error?.details?.issues[0]?.field).toBe(field);
  });

  it('rejects a bad ttl naming body.ttl, and a duplicate user with CONFLICT', async () => {
    const ttl = await api.call('POST', '/users/erin/tokens', api.adminToken, { ttl: 'forever' });
    expect(ttl.status).toBe(400);
    expect(ttl.body.error?.message).toMatch(/^body\.ttl: /);
    // A password change ends the tokens labelled as sign-ins: an API token may not pass for one.
    const label = await api.call('POST', '/users/erin/tokens', api.adminToken, { label: ' dashboard sign-in ' });
    expect([label.status, label.body.error?.message]).toEqual([400, 'body.label: "dashboard sign-in" is reserved for dashboard sign-ins']);
    const dup = await api.call('POST', '/users', api.adminToken, { id: 'erin', name: 'Erin', role: 'engineer' });
    expect(dup.status).toBe(409);
    expect(dup.body.error?.code).toBe('CONFLICT');
  });

  it('reads one token by id without its hash, revokedAt set after DELETE; an unknown id is 404, a malformed one 400', async () => {
    const issued = await api.call<{ id: string }>('POST', '/users/erin/tokens', api.adminToken, { label: 'spare' });
    const before = await api.call('GET', `/tokens/${issued.body.id}`, api.adminToken);
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ id: issued.body.id, userId: 'erin', label: 'spare', createdAt: api.clock.now, expiresAt: null, revokedAt: null, lastUsedAt: null });
    expect((await api.call('DELETE', `/tokens/${issued.body.id}`, api.adminToken)).status).toBe(204);
    expect((await api.call('GET', `/tokens/${issued.body.id}`, api.adminToken)).body).toMatchObject({ revokedAt: api.clock.now });
    const unknown = await api.call('GET', '/tokens/tok_0123456789abcdef', api.adminToken);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.message).toBe('token tok_0123456789abcdef not found');
    expect((await api.call('GET', '/tokens/nope', api.adminToken)).body.error?.message).toMatch(/^params\.id: /);
  });

  it('an admin cannot delete themselves', async () => {
    const reply = await api.call('DELETE', '/users/admin', api.adminToken);
    expect(reply.status).toBe(409);
  });

  it('deleting a user revokes their tokens, and every mutation is audited with the admin as actor', async () => {
    const token = await api.userToken({ id: 'temp', role: 'engineer' });
    expect((await api.call('GET', '/me', token)).status).toBe(200);
    const second = await api.call<{ id: string }>('POST', '/users/temp/tokens', api.adminToken, { label: 'spare', ttl: '30d' });
    expect((await api.call('DELETE', `/tokens/${second.body.id}`, api.adminToken)).status).toBe(204);
    expect((await api.call('DELETE', '/users/temp', api.adminToken)).status).toBe(204);
    expect((await api.call('GET', '/me', token)).status).toBe(401);
    expect((await api.call('GET', '/users/temp', api.adminToken)).status).toBe(404);

    const audit = await api.call<{ items: AuditItem[] }>('GET', '/audit?actor=user:admin&limit=1000', api.adminToken);
    const mine = audit.body.items.filter((e) => e.target === 'user:temp' || e.details.user === 'temp').map((e) => e.action);
    // Newest first.
    expect(mine).toEqual(['user.delete', 'token.revoke', 'token.create', 'token.create', 'user.create']);
    const revoke = audit.body.items.find((e) => e.action === 'token.revoke');
    expect(revoke).toMatchObject({ actor: 'user:admin', target: `token:${second.body.id}`, details: { user: 'temp' } });
  });

  it('filters the audit log by target and time, newest first, and validates its query', async () => {
    const byTarget = await api.call<{ items: AuditItem[] }>('GET', '/audit?target=user:mona', api.adminToken);
    expect(byTarget.body.items.map((e) => e.action)).toEqual(['user.create']);
    const future = new Date(api.clock.now + 60_000).toISOString();
    expect((await api.call<{ items: unknown[] }>('GET', `/audit?from=${future}`, api.adminToken)).body.items).toEqual([]);
    const bad = await api.call('GET', '/audit?from=10&to=5', api.adminToken);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toMatch(/^query\.to: /);
    const badTime = await api.call('GET', '/audit?from=yesterday', api.adminToken);
    expect(badTime.body.error?.message).toMatch(/^query\.from: /);
    const badLimit = await api.call('GET', '/audit?limit=0', api.adminToken);
    expect(badLimit.body.error?.message).toMatch(/^query\.limit: /);
  });
});
