import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/main.js';
import { makeConfig, startApiServer } from './api-helpers.js';
import type { ApiTestServer } from './api-helpers.js';

let api: ApiTestServer | undefined;
afterEach(async () => {
  await api?.cleanup();
  api = undefined;
});

describe('API authentication', () => {
  it('bootstraps user admin once, with its token in a 0600 file', async () => {
    api = await startApiServer();
    const file = path.join(api.dir, 'admin-token');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(api.adminToken).toMatch(/^ef_[A-Za-z0-9_-]{43}$/);
    const me = await api.call<{ user: { id: string; role: string } }>('GET', '/me', api.adminToken);
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ id: 'admin', role: 'admin' });

    // A restart with users present leaves the file and the users alone.
    await api.stop();
    const again = await startApiServer(api.dir);
    try {
      expect(again.adminToken).toBe(api.adminToken);
      expect((await readFile(file, 'utf8')).trim()).toBe(api.adminToken);
      const users = await again.call<{ items: unknown[] }>('GET', '/users', again.adminToken);
      expect(users.body.items).toHaveLength(1);
    } finally {
      await again.stop();
    }
  });

  it('logs where the bootstrap token is, never the token', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-api-log-'));
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
    const server = await startServer(await makeConfig(dir), { logger: pino({ level: 'info' }, sink) });
    try {
      const token = (await readFile(path.join(dir, 'admin-token'), 'utf8')).trim();
      const log = lines.join('');
      expect(log).toContain(path.join(dir, 'admin-token'));
      expect(log).toContain('created user admin');
      expect(log).not.toContain(token);
      expect(log).not.toContain(token.slice(3, 20));
    } finally {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['no Authorization header', undefined],
    ['an unknown token', 'ef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['an empty bearer', ''],
  ])('answers 401 UNAUTHENTICATED for %s', async (_name, token) => {
    api = await startApiServer();
    for (const route of ['/me', '/sites', '/gateways', '/users', '/audit', '/gateways/gw-a/devices/x/telemetry?point=p']) {
      const reply = await api.call('GET', route, token);
      expect(reply.status, route).toBe(401);
      expect(reply.body.error?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('answers 401 for a non-Bearer scheme; an unknown route is NOT_FOUND in the same error shape', async () => {
    api = await startApiServer();
    const basic = await fetch(`http://127.0.0.1:${api.server.httpPort}/api/v1/me`, { headers: { authorization: `Basic ${api.adminToken}` } });
    expect(basic.status).toBe(401);
    const unknown = await api.call('GET', '/no-such-route', api.adminToken);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('NOT_FOUND');
  });

  it('refuses a revoked token and an expired one', async () => {
    api = await startApiServer();
    const created = await api.call<{ id: string; token: string; expiresAt: number }>('POST', '/users/admin/tokens', api.adminToken, { label: 'ci', ttl: '1h' });
    expect(created.status).toBe(201);
    expect(created.body.expiresAt).toBe(api.clock.now + 3_600_000);
    const short = created.body.token;
    expect((await api.call('GET', '/me', short)).status).toBe(200);

    api.clock.now += 3_600_000;
    const expired = await api.call('GET', '/me', short);
    expect(expired.status).toBe(401);
    expect(expired.body.error?.code).toBe('UNAUTHENTICATED');

    const other = await api.call<{ id: string; token: string }>('POST', '/users/admin/tokens', api.adminToken, { label: 'laptop' });
    expect((await api.call('GET', '/me', other.body.token)).status).toBe(200);
    expect((await api.call('DELETE', `/tokens/${other.body.id}`, api.adminToken)).status).toBe(204);
    const revoked = await api.call('GET', '/me', other.body.token);
    expect(revoked.status).toBe(401);
    // The bootstrap token is untouched by either.
    expect((await api.call('GET', '/me', api.adminToken)).status).toBe(200);
  });

  it('never shows a token again after creation, nor writes its text to the audit log', async () => {
    api = await startApiServer();
    const created = await api.call<{ id: string; token: string }>('POST', '/users/admin/tokens', api.adminToken, {});
    const listed = await api.call<{ items: Record<string, unknown>[] }>('GET', '/users/admin/tokens', api.adminToken);
    expect(listed.body.items.map((t) => t.id)).toContain(created.body.id);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
    for (const t of listed.body.items) expect(Object.keys(t).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'label', 'lastUsedAt', 'revokedAt', 'userId']);
    const audit = await api.call('GET', '/audit', api.adminToken);
    expect(JSON.stringify(audit.body)).not.toContain(created.body.token);
    expect(JSON.stringify(audit.body)).not.toContain(api.adminToken);
  });
});
