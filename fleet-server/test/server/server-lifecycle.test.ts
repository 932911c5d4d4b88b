import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { topicFor } from '@edgefleet/protocol';
import type { GatewayStatus } from '@edgefleet/protocol';
import { serverConfigSchema } from '../../src/config/server-config.js';
import { startServer } from '../../src/main.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';
import { SECRETS, startTestServer } from './server-helpers.js';

const T0 = 1_700_000_000_000;

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function connectTcp(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

describe('fleet server lifecycle', () => {
  it("stores a gateway's last will as offline when its link dies", async () => {
    const server = await startTestServer();
    try {
      const offline = new Promise<GatewayStatus>((resolve) => {
        server.ingest.listen({ onStatus: (s) => s.state === 'offline' && resolve(s) });
      });
      const will = { v: 1, gateway: 'gw-a', state: 'offline', ts: T0, reason: 'lastwill' };
      const gw = mqtt.connect(`mqtt://127.0.0.1:${server.brokerPort}`, {
        protocolVersion: 4, clientId: 'gw-a', username: 'gw-a', password: SECRETS['gw-a'], reconnectPeriod: 0,
        will: { topic: topicFor('gw-a', 'status'), payload: Buffer.from(JSON.stringify(will)), qos: 1, retain: true },
      });
      await new Promise<void>((resolve, reject) => {
        gw.once('connect', () => resolve());
        gw.once('error', reject);
      });
      await gw.publishAsync(topicFor('gw-a', 'status'), JSON.stringify({ ...will, state: 'online', reason: undefined }), { qos: 1 });
      gw.stream.destroy(); // no DISCONNECT: the broker publishes the will
      expect((await offline).reason).toBe('lastwill');
      expect((await server.store.getGateway('gw-a'))?.status).toBe('offline');
      gw.end(true);
    } finally {
      await server.cleanup();
    }
  });

  it('closes the broker it started when a later step fails (HTTP port taken)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-server-'));
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const brokerPort = await freePort();
      const config = serverConfigSchema.parse({
        dataDir: dir, broker: { host: '127.0.0.1', port: brokerPort }, http: { host: '127.0.0.1', port: (blocker.address() as AddressInfo).port },
      });
      await expect(startServer(config, { logger: pino({ level: 'silent' }) })).rejects.toThrow(/EADDRINUSE/);
      await expect(connectTcp(brokerPort)).rejects.toThrow(/ECONNREFUSED/);
      // The store was seeded before the failure and is readable again.
      const store = SqliteStore.open({ path: path.join(dir, 'edgefleet.sqlite') });
      expect(await store.listSites()).toEqual([{ id: 'default', name: 'Default site', timezone: 'UTC' }]);
      await store.close();
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    }
  });
});
