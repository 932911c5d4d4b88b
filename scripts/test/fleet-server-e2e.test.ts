import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { SimSite, SiteConfig } from '@edgefleet/firmware-sim';
import { hashSecret, serverConfigSchema, startServer } from '@edgefleet/fleet-server';
import type { RunningServer } from '@edgefleet/fleet-server';
import type { GatewayStatus } from '@edgefleet/protocol';
import { loadGatewayConfig, startGateway } from '@edgefleet/gateway';

const GW = 'e2e-gw';
const SECRET = 'e2e-secret-value';
const silent = pino({ level: 'silent' });

/** Resolves once the server has stored `count` telemetry messages of the gateway. */
function storedBatches(server: RunningServer, count: number): Promise<void> {
  return new Promise((resolve) => {
    let stored = 0;
    const stop = server.ingest.listen({
      onMessage: (gatewayId, channel, outcome) => {
        if (gatewayId !== GW || channel !== 'telemetry' || !outcome.ok) return;
        stored += 1;
        if (stored < count) return;
        stop();
        resolve();
      },
    });
  });
}

function statusOf(server: RunningServer, state: GatewayStatus['state']): Promise<GatewayStatus> {
  return new Promise((resolve) => {
    const stop = server.ingest.listen({
      onStatus: (s) => {
        if (s.gateway !== GW || s.state !== state) return;
        stop();
        resolve(s);
      },
    });
  });
}

describe('sim → gateway → fleet server', () => {
  it('stores the gateway status and the lift telemetry it polls, and offline on a clean stop', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-e2e-'));
    const registry = new ProfileRegistry(loadBuiltinProfiles());
    const site = await SimSite.start(
      SiteConfig.parse({
        name: 'e2e', tick: '100ms',
        transports: [{ id: 'tcp-a', kind: 'tcp', port: 0 }],
        devices: [{ id: 'lift-1', profile: 'liftronic-lmi-200', transport: 'tcp-a', unit: 7 }],
      }),
      { profile: (id) => registry.get(id) },
    );
    const server = await startServer(
      serverConfigSchema.parse({
        dataDir: path.join(dir, 'server'), broker: { host: '127.0.0.1', port: 0 }, http: { host: '127.0.0.1', port: 0 },
        gateways: [{ id: GW, secretHash: await hashSecret(SECRET, { N: 1024, r: 8, p: 1 }) }],
      }),
      { logger: silent },
    );
    try {
      const tcp = site.endpoints()[0] as { port: number };
      await writeFile(path.join(dir, 'credentials.yaml'), `username: ${GW}\npassword: ${SECRET}\n`, { mode: 0o600 });
      const configFile = path.join(dir, 'gateway.yaml');
      await writeFile(
        configFile,
        `gateway: { id: ${GW} }
uplink: { url: "mqtt://127.0.0.1:${server.brokerPort}", credentialsFile: credentials.yaml }
dataDir: data
log: { level: silent }
buses: [{ id: tcp-a, kind: tcp, host: 127.0.0.1, port: ${tcp.port}, timeout: 500ms }]
devices:
  - { id: lift-1, bus: tcp-a, unit: 7, profile: liftronic-lmi-200 }
polling: { fast: 50ms, normal: 100ms, slow: 200ms, snapshot: 1s }
`,
      );
      const online = statusOf(server, 'online');
      const telemetry = storedBatches(server, 3);
      const gateway = await startGateway(await loadGatewayConfig(configFile, registry), { registry, logger: silent });
      await Promise.all([online, telemetry]);
      expect((await server.store.getGateway(GW))?.status).toBe('online');
      const latest = await server.store.latestValues(GW, 'lift-1');
      expect(latest.length).toBeGreaterThan(0);
      expect(latest.every((v) => v.device === 'lift-1')).toBe(true);

      const offline = statusOf(server, 'offline');
      await gateway.stop();
      await offline;
      expect((await server.store.getGateway(GW))?.status).toBe('offline');
      const metrics = await (await fetch(`http://127.0.0.1:${server.httpPort}/metrics`)).text();
      expect(metrics).not.toContain('edgefleet_ingest_rejects_total{');
    } finally {
      await server.stop();
      await site.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
