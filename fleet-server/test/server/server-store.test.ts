import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { topicFor } from '@edgefleet/protocol';
import { hashSecret } from '../../src/broker/secret-hash.js';
import { parseServerConfig, serverConfigSchema } from '../../src/config/server-config.js';
import { startServer } from '../../src/main.js';
import type { RunningServer } from '../../src/main.js';
import { MAX_QUERY_LIMIT } from '../../src/store/query-limit.js';
import { connectOnce, refusalCode } from '../broker/mqtt-helpers.js';
import { readings, telemetryBatch } from './server-helpers.js';

const CHEAP_SCRYPT = { N: 1024, r: 8, p: 1 };
const pgUrl = process.env.EDGEFLEET_TEST_PG;
if (!pgUrl) console.log('fleet server on PostgreSQL skipped: set EDGEFLEET_TEST_PG (e.g. postgres://postgres@127.0.0.1:5432/test) to run it');

describe('fleet server store selection and store-backed gateway credentials', () => {
  let dir: string;
  let server: RunningServer | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-store-sel-'));
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function start(extra: Record<string, unknown>): Promise<RunningServer> {
    const config = serverConfigSchema.parse({
      dataDir: dir, broker: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 },
      gateways: [{ id: 'gw-a', secretHash: await hashSecret('alpha-secret', CHEAP_SCRYPT) }], log: { level: 'silent' }, ...extra,
    });
    server = await startServer(config, { logger: pino({ level: 'silent' }) });
    return server;
  }

  it('opens SQLite at the legacy top-level database key, and at store.file', async () => {
    await start({ database: 'legacy.sqlite' });
    expect(existsSync(path.join(dir, 'legacy.sqlite'))).toBe(true);
    await server?.stop();
    await start({ store: { kind: 'sqlite', file: 'fleet.sqlite' } });
    expect(existsSync(path.join(dir, 'fleet.sqlite'))).toBe(true);
  });

  it('refuses database and store together, and a postgres store without a postgres:// url', () => {
    expect(() => parseServerConfig('dataDir: .\ndatabase: a.sqlite\nstore: { kind: sqlite, file: b.sqlite }\n', '/etc/edgefleet/server.yaml'))
      .toThrow(/database: set either database \(legacy\) or store/);
    expect(() => parseServerConfig('dataDir: .\nstore: { kind: postgres, url: "mysql://db/x" }\n', '/etc/edgefleet/server.yaml'))
      .toThrow(/store\.url: a postgres:\/\/ or postgresql:\/\/ connection URL/);
    expect(() => parseServerConfig('dataDir: .\nbroker: { tls: { cert: c.pem, key: k.pem, requireClientCert: true } }\n', '/etc/edgefleet/server.yaml'))
      .toThrow(/broker\.tls\.ca: required when requireClientCert is true/);
  });

  it('fails to start with a clear message when PostgreSQL is unreachable, without printing the password', async () => {
    const attempt = start({ store: { kind: 'postgres', url: 'postgres://fleet:hunter2@127.0.0.1:1/fleet' } });
    await expect(attempt).rejects.toThrow(/^store: cannot open PostgreSQL at postgres:\/\/fleet:\*\*\*@127\.0\.0\.1:1\/fleet \(schema edgefleet\): .*ECONNREFUSED/);
    await expect(attempt).rejects.not.toThrow(/hunter2/);
  });

  it('gives up on a PostgreSQL host that takes the connection and never answers, after store.connectTimeoutMs', async () => {
    // A black-holed database: the TCP connect succeeds, the startup message is never answered.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => sockets.add(s.on('error', () => undefined)));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const attempt = start({ store: { kind: 'postgres', url: `postgres://fleet@127.0.0.1:${port}/fleet`, connectTimeoutMs: 300 } });
      await expect(attempt).rejects.toThrow(/^store: cannot open PostgreSQL at postgres:\/\/fleet@127\.0\.0\.1:\d+\/fleet \(schema edgefleet\): .*timeout/i);
      expect(sockets.size).toBeGreaterThan(0);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('admits a gateway added to the store after the start, refuses a wrong secret and an unknown id', async () => {
    const running = await start({});
    await running.store.upsertGateway({ id: 'gw-late', site: 'default', name: 'enrolled later', secretHash: await hashSecret('late-secret', CHEAP_SCRYPT) });
    const client = await connectOnce(running.brokerPort, { clientId: 'gw-late', username: 'gw-late', password: 'late-secret' });
    await client.endAsync();
    expect(await refusalCode(running.brokerPort, { clientId: 'gw-late', username: 'gw-late', password: 'wrong' })).toBe(4);
    expect(await refusalCode(running.brokerPort, { clientId: 'gw-none', username: 'gw-none', password: 'late-secret' })).toBe(4);
    // Re-keyed in the store: the old secret stops working without a restart.
    await running.store.upsertGateway({ id: 'gw-late', site: 'default', name: 'enrolled later', secretHash: await hashSecret('new-secret', CHEAP_SCRYPT) });
    expect(await refusalCode(running.brokerPort, { clientId: 'gw-late', username: 'gw-late', password: 'late-secret' })).toBe(4);
  });

  describe.skipIf(!pgUrl)('on PostgreSQL', () => {
    const schema = `edgefleet_test_${randomBytes(6).toString('hex')}`;

    afterEach(async () => {
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    });

    it('stores a gateway\'s telemetry in PostgreSQL before the PUBACK', async () => {
      const running = await start({ store: { kind: 'postgres', url: pgUrl, schema, pool: 4 } });
      const gw = await connectOnce(running.brokerPort, { clientId: 'gw-a', username: 'gw-a', password: 'alpha-secret' });
      await gw.publishAsync(topicFor('gw-a', 'telemetry'), JSON.stringify(telemetryBatch('gw-a', readings(1, 5))), { qos: 1 });
      await gw.endAsync();
      // Read with a connection of our own: the rows are in PostgreSQL, not in a cache of the server.
      const own = new pg.Client({ connectionString: pgUrl });
      await own.connect();
      try {
        const { rows } = await own.query<{ seq: string }>(`SELECT seq FROM ${schema}.telemetry WHERE gateway_id = 'gw-a' ORDER BY seq`);
        expect(rows.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
      } finally {
        await own.end();
      }
      const viaStore = await running.store.telemetry({ gateway: 'gw-a', device: 'lift-1', point: 'floor', from: 0, to: 2e12, limit: MAX_QUERY_LIMIT });
      expect(viaStore).toHaveLength(5);
    });
  });
});
