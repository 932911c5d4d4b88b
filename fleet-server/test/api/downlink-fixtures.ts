import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import pg from 'pg';
import type { IPublishPacket, MqttClient } from 'mqtt';
import pino from 'pino';
import { topicFor } from '@edgefleet/protocol';
import type { CommandResult, GatewayEvent, GatewayStatus, UplinkChannel } from '@edgefleet/protocol';
import { issueToken } from '../../src/api/issue-token.js';
import { hashSecret } from '../../src/broker/secret-hash.js';
import { serverConfigSchema } from '../../src/config/server-config.js';
import { startServer } from '../../src/main.js';
import type { RunningServer } from '../../src/main.js';
import type { ApiStore } from '../../src/store/store-api.js';
import type { Role } from '../../src/store/store-api-types.js';
import { startFakeHttpServer } from '../notify/fake-http-server.js';
import type { FakeHttpServer } from '../notify/fake-http-server.js';

/** An event as the test writes it; the acting gateway numbers it. */
export type Unnumbered<E> = E extends unknown ? Omit<E, 'seq'> : never;

const CHEAP_SCRYPT = { N: 1024, r: 8, p: 1 };
/** gw-a is on site "south" (contact c-south, texted at once), gw-b on site "north". */
export const GATEWAYS = { 'gw-a': { secret: 'alpha-secret', site: 'south' }, 'gw-b': { secret: 'bravo-secret', site: 'north' } } as const;
export type TestGatewayId = keyof typeof GATEWAYS;

export const USERS: Record<string, { role: Role; sites: string[] }> = {
  root: { role: 'admin', sites: [] },
  eng: { role: 'engineer', sites: [] },
  'mgr-south': { role: 'manager', sites: ['south'] },
  'mgr-north': { role: 'manager', sites: ['north'] },
};

export interface ErrorBody {
  error: { code: string; message: string; details?: { issues: { field: string; message: string }[] } };
}

export interface ApiTestServer {
  /** The running server (a new one after restart()). */
  readonly server: RunningServer;
  /** Stops the server and starts it again on the same data dir (new ports; users and tokens kept). */
  restart(): Promise<void>;
  /** The fake SMS webhook the server texts through. */
  sms: FakeHttpServer;
  /** Bearer token text per user id of USERS. */
  tokens: Record<keyof typeof USERS, string>;
  /** One API call as `user`; T is the body shape the test expects (the error shape on failures). */
  call<T = ErrorBody>(user: keyof typeof USERS, method: string, route: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  cleanup(): Promise<void>;
}

export type ApiTestStore = 'sqlite' | 'postgres';

const pgUrl = process.env.EDGEFLEET_TEST_PG;
/** Every suite runs on SQLite, and on PostgreSQL too when EDGEFLEET_TEST_PG is set. */
export const API_TEST_STORES: ApiTestStore[] = pgUrl ? ['sqlite', 'postgres'] : ['sqlite'];
if (!pgUrl) console.log('API downlink/alert suites on PostgreSQL skipped: set EDGEFLEET_TEST_PG (e.g. postgres://postgres@127.0.0.1:5432/test) to run them');

async function dropSchema(schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}

/**
 * A real fleet server (SQLite in a temp dir, or a fresh PostgreSQL schema; broker and HTTP on
 * port 0) with two sites, users and tokens.
 */
export async function startApiTestServer(storeKind: ApiTestStore = 'sqlite'): Promise<ApiTestServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-api-'));
  const schema = storeKind === 'postgres' ? `edgefleet_api_${randomBytes(6).toString('hex')}` : undefined;
  const sms = await startFakeHttpServer();
  sms.respondWith(() => ({ status: 200, body: '{"id":"sms-ok"}' }));
  const gateways = [];
  for (const [id, g] of Object.entries(GATEWAYS)) gateways.push({ id, site: g.site, secretHash: await hashSecret(g.secret, CHEAP_SCRYPT) });
  const config = serverConfigSchema.parse({
    dataDir: dir,
    ...(schema === undefined ? {} : { store: { kind: 'postgres', url: pgUrl, schema } }),
    broker: { host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    sites: [
      {
        id: 'south', name: 'South', contacts: [{ id: 'c-south', name: 'Sam', phone: '+4915100000001' }],
        escalation: { steps: [{ contacts: ['c-south'], afterMs: 0 }] },
      },
      { id: 'north', name: 'North' },
    ],
    gateways,
    sms: { kind: 'webhook', url: `${sms.baseUrl}/sms`, secret: 'webhook-secret-0123456789' },
    alerts: { tickIntervalMs: 100 },
    // No grace and a quick sweep: a command given a short ttl turns 'unanswered' within a test.
    commands: { replyGraceMs: 0, sweepIntervalMs: 100 },
    log: { level: 'silent' },
  });
  let server = await startServer(config, { logger: pino({ level: 'silent' }) });
  const store = server.store as RunningServer['store'] & ApiStore;
  const tokens: Record<string, string> = {};
  for (const [id, u] of Object.entries(USERS)) {
    await store.createUser({ id, name: id, role: u.role, sites: u.sites, createdAt: Date.now() });
    tokens[id] = (await issueToken(store, { userId: id, label: 'test', at: Date.now(), expiresAt: null })).text;
  }
  return {
    get server() {
      return server;
    },
    async restart() {
      await server.stop();
      server = await startServer(config, { logger: pino({ level: 'silent' }) });
    },
    sms, tokens,
    async call<T>(user: string, method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
      const res = await fetch(`http://127.0.0.1:${server.httpPort}/api/v1${route}`, {
        method,
        headers: { authorization: `Bearer ${tokens[user] ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
    },
    async cleanup() {
      await server.stop();
      await sms.close();
      await rm(dir, { recursive: true, force: true });
      if (schema !== undefined) await dropSchema(schema);
    },
  };
}

/**
 * Plays the gateway's side of the downlink with a plain mqtt.js client (fleet-server tests may
 * not import the gateway package): receives cmd and config, answers with cmd-result and status.
 */
export class ActingGateway {
  readonly received: { channel: 'cmd' | 'config'; packet: IPublishPacket; body: unknown }[] = [];
  private seq = 0;
  private readonly listeners = new Set<() => void>();

  private constructor(readonly id: TestGatewayId, private readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const channel = topic === topicFor(id, 'cmd') ? 'cmd' : 'config';
      this.received.push({ channel, packet, body: payload.length === 0 ? undefined : JSON.parse(payload.toString('utf8')) });
      for (const l of [...this.listeners]) l();
    });
  }

  static async connect(port: number, id: TestGatewayId): Promise<ActingGateway> {
    const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
      protocolVersion: 4, clientId: id, username: id, password: GATEWAYS[id].secret, reconnectPeriod: 0, connectTimeout: 5000,
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', (err) => {
        client.end(true);
        reject(err);
      });
    });
    const gateway = new ActingGateway(id, client);
    await client.subscribeAsync([topicFor(id, 'cmd'), topicFor(id, 'config')], { qos: 1 });
    return gateway;
  }

  /**
   * The next message on `channel` (one already received and not yet taken counts). 15 s: it
   * arrives within ms, and the limit only names the failure; 5 s is thin for a loaded 2-core CI.
   */
  next(channel: 'cmd' | 'config', timeoutMs = 15_000): Promise<{ packet: IPublishPacket; body: unknown }> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const i = this.received.findIndex((m) => m.channel === channel);
        if (i < 0) return false;
        const [m] = this.received.splice(i, 1);
        if (!m) return false;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(m);
        return true;
      };
      const listener = (): void => void check();
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`${this.id}: no ${channel} message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.listeners.add(listener);
      check();
    });
  }

  async publish(channel: UplinkChannel, body: unknown): Promise<void> {
    await this.client.publishAsync(topicFor(this.id, channel), JSON.stringify(body), { qos: 1 });
  }

  /** Results and events share the event stream's seq, as on a real gateway (its outbox). */
  async result(result: Omit<CommandResult, 'v' | 'gateway' | 'stream' | 'seq'>): Promise<void> {
    this.seq += 1;
    await this.publish('cmd-result', { v: 1, gateway: this.id, stream: 'events', seq: this.seq, ...result });
  }

  async events(items: readonly Unnumbered<GatewayEvent>[]): Promise<void> {
    const numbered = items.map((e) => ({ ...e, seq: (this.seq += 1) }));
    await this.publish('events', { v: 1, gateway: this.id, stream: 'events', sentAt: Date.now(), items: numbered });
  }

  async status(config: GatewayStatus['config'], ts = Date.now()): Promise<void> {
    await this.publish('status', { v: 1, gateway: this.id, state: 'online', ts, ...(config ? { config } : {}) });
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
