import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import pino from 'pino';
import { topicFor } from '@edgefleet/protocol';
import type { Reading, UplinkChannel } from '@edgefleet/protocol';
import { hashSecret } from '../../src/broker/secret-hash.js';
import { serverConfigSchema } from '../../src/config/server-config.js';
import { startServer } from '../../src/main.js';
import type { RetentionConfig } from '../../src/retention/retention-config.js';
import type { RunningServer } from '../../src/main.js';

const CHEAP_SCRYPT = { N: 1024, r: 8, p: 1 };
export const SECRETS = { 'gw-a': 'alpha-secret', 'gw-b': 'bravo-secret' } as const;
export type TestGateway = keyof typeof SECRETS;

export interface TestServer extends RunningServer {
  dir: string;
  /** Stops the server and removes its temp dir. */
  cleanup(): Promise<void>;
}

/**
 * Retention is off unless a test asks for it: its crons fire on the wall clock (rollup at minute 5
 * of every hour, prune at 03:17 UTC), and a prune deletes these tests' 2023-dated fixtures (older
 * than rawDays and eventDays) between a publish and the read that checks it.
 */
export async function startTestServer(options: { retention?: Partial<RetentionConfig> } = {}): Promise<TestServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-server-'));
  const gateways = [];
  for (const [id, secret] of Object.entries(SECRETS)) gateways.push({ id, secretHash: await hashSecret(secret, CHEAP_SCRYPT) });
  const config = serverConfigSchema.parse({
    dataDir: dir,
    broker: { host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    gateways,
    retention: options.retention ?? { enabled: false },
    log: { level: 'silent' },
  });
  const server = await startServer(config, { logger: pino({ level: 'silent' }) });
  return {
    ...server,
    dir,
    async cleanup() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An authenticated gateway connection (no reconnects: a dropped link must fail the test). */
export function connectGateway(port: number, id: TestGateway): Promise<MqttClient> {
  const client = mqtt.connect(`mqtt://127.0.0.1:${port}`, {
    protocolVersion: 4, clientId: id, username: id, password: SECRETS[id], reconnectPeriod: 0, connectTimeout: 5000,
  });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
  });
}

/** Publishes at QoS 1 and resolves on PUBACK, which the broker sends only once the ingest handled the message. */
export async function publishJson(client: MqttClient, gatewayId: string, channel: UplinkChannel, body: unknown): Promise<void> {
  await client.publishAsync(topicFor(gatewayId, channel), JSON.stringify(body), { qos: 1 });
}

export function readings(from: number, count: number, ts = 1_700_000_000_000): Reading[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: from + i, device: 'lift-1', point: 'floor', ts: ts + (from + i) * 1000, value: (from + i) % 20, quality: 'good' as const,
  }));
}

export function telemetryBatch(gateway: string, items: Reading[]): object {
  return { v: 1, gateway, stream: 'telemetry', sentAt: 1_700_000_100_000, items };
}

export async function fetchText(port: number, route: string): Promise<{ status: number; body: string; type: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${route}`);
  return { status: res.status, body: await res.text(), type: res.headers.get('content-type') ?? '' };
}

/** The value of one series in a Prometheus text exposition (0 when absent). */
export function metricValue(text: string, name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

export interface HandledCounter {
  /** Resolves once `n` uplink messages (valid or not) have been handled since the counter started. */
  until(n: number): Promise<void>;
}

/**
 * Counts handled uplink messages through the ingest's onMessage: for QoS 0 publishes, which get
 * no PUBACK to wait on (a QoS 1 PUBACK already means handled).
 */
export function countHandled(server: RunningServer): HandledCounter {
  let count = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  server.ingest.listen({
    onMessage() {
      count += 1;
      for (const w of waiters.filter((x) => x.n <= count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
  });
  return {
    until(n) {
      if (count >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
  };
}
