import { readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { hashSecret } from '../../src/broker/secret-hash.js';
import { serverConfigSchema } from '../../src/config/server-config.js';
import { startServer } from '../../src/main.js';
import type { RunningServer } from '../../src/main.js';
import type { ApiStore } from '../../src/store/store-api.js';
import type { Store } from '../../src/store/store.js';
import { SECRETS } from '../server/server-helpers.js';

/**
 * A real fleet server for API tests: two sites (north: gw-a, south: gw-b), HTTP and MQTT on
 * port 0, a temp dataDir, and a clock the test moves (tokens expire, data goes stale).
 */
export interface ApiTestServer {
  server: RunningServer;
  store: Store & ApiStore;
  dir: string;
  /** The bootstrap admin's token, read from <dataDir>/admin-token like an operator would. */
  adminToken: string;
  clock: { now: number };
  call<T = ApiBody>(method: string, route: string, token?: string, body?: unknown): Promise<ApiReply<T>>;
  /** Creates a user and a token for it through the API; returns the token text. */
  userToken(user: { id: string; role: 'admin' | 'engineer' | 'manager'; sites?: string[] }): Promise<string>;
  stop(): Promise<void>;
  cleanup(): Promise<void>;
}

/** Loose JSON: tests read fields and assert on them. */
export type ApiBody = Record<string, unknown> & { error?: { code: string; message: string; details?: { issues: { field: string }[] } } };

export interface ApiReply<T> {
  status: number;
  body: T;
}

export const START_TIME = Date.parse('2026-11-28T10:30:00Z');

export async function makeConfig(dir: string, postgres?: { url: string; schema: string }) {
  const gateways = [
    { id: 'gw-a', site: 'north', secretHash: await hashSecret(SECRETS['gw-a'], { N: 1024, r: 8, p: 1 }) },
    { id: 'gw-b', site: 'south', secretHash: await hashSecret(SECRETS['gw-b'], { N: 1024, r: 8, p: 1 }) },
  ];
  return serverConfigSchema.parse({
    dataDir: dir,
    broker: { host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    sites: [{ id: 'north', name: 'North garage', timezone: 'Europe/Berlin' }, { id: 'south', name: 'South tower', timezone: 'UTC' }],
    gateways,
    ...(postgres ? { store: { kind: 'postgres', url: postgres.url, schema: postgres.schema, pool: 4 } } : {}),
    log: { level: 'silent' },
  });
}

/** SQLite in the temp dir, or PostgreSQL in `postgres.schema` (the caller drops it). */
export async function startApiServer(existingDir?: string, postgres?: { url: string; schema: string }): Promise<ApiTestServer> {
  const dir = existingDir ?? await mkdtemp(path.join(os.tmpdir(), 'edgefleet-api-'));
  const clock = { now: START_TIME };
  const server = await startServer(await makeConfig(dir, postgres), { logger: pino({ level: 'silent' }), now: () => clock.now });
  const adminToken = (await readFile(path.join(dir, 'admin-token'), 'utf8')).trim();
  const base = `http://127.0.0.1:${server.httpPort}/api/v1`;

  async function call<T = ApiBody>(method: string, route: string, token?: string, body?: unknown): Promise<ApiReply<T>> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${route}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    return { status: res.status, body: (text === '' ? {} : JSON.parse(text)) as T };
  }

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await server.stop();
  };
  return {
    server,
    store: server.store as Store & ApiStore,
    dir,
    adminToken,
    clock,
    call,
    async userToken(user) {
      const created = await call('POST', '/users', adminToken, { id: user.id, name: user.id, role: user.role, sites: user.sites ?? [] });
      if (created.status !== 201) throw new Error(`creating user ${user.id}: ${created.status} ${JSON.stringify(created.body)}`);
      const token = await call<{ token: string }>('POST', `/users/${user.id}/tokens`, adminToken, { label: 'test' });
      if (token.status !== 201) throw new Error(`token for ${user.id}: ${token.status} ${JSON.stringify(token.body)}`);
      return token.body.token;
    },
    stop,
    async cleanup() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
