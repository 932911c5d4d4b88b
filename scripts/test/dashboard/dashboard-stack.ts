import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadBuiltinProfiles, ProfileRegistry } from '@edgefleet/device-profiles';
import { buildControlApi, SimSite } from '@edgefleet/firmware-sim';
import { ADMIN_TOKEN_FILE, hashSecret, startServer, type RunningServer } from '@edgefleet/fleet-server';
import { loadGatewayConfig, startGateway, type RunningGateway } from '@edgefleet/gateway';
import { buildDashboard } from '../../src/dashboard/build-dashboard.js';
import { DEMO_DEVICES, DEMO_GATEWAY, demoSiteConfig } from '../../src/demo/demo-setup.js';
import { startSmsSink, type DemoSms } from '../../src/demo/sms-sink.js';
import { stackGatewayYaml, stackServerConfig } from './stack-config.js';
import { createStackUsers, type StackUsers } from './stack-users.js';

const SECRET = 'dashboard-stack-gateway-secret';
const silent = pino({ level: 'silent' });

export interface DashboardStack {
  /** http://127.0.0.1:<port>: the dashboard at `/`, the API at `/api/v1`. */
  url: string;
  adminToken: string;
  users: StackUsers;
  server: RunningServer;
  site: SimSite;
  /** The demo site's gateway; stop() it to take it offline (it publishes its offline status; stopping again is a no-op). */
  gateway: RunningGateway;
  /** The sim's control API (POST /devices/:id/faults, GET /devices/:id). */
  controlUrl: string;
  /** Every text the server's webhook provider sent. */
  sms: DemoSms[];
  /** Resolves with the first text (already sent or coming) that matches. */
  smsMatching(match: (sms: DemoSms) => boolean): Promise<DemoSms>;
  stop(): Promise<void>;
}

/** Resolves once `ready()` holds after some handled uplink message (checked once at the start, too). */
function untilIngested(server: RunningServer, ready: () => Promise<boolean>): Promise<void> {
  return new Promise((resolve, reject) => {
    let checking = false;
    let stop = (): void => undefined;
    const check = (): void => {
      if (checking) return;
      checking = true;
      ready().then((ok) => {
        checking = false;
        if (!ok) return;
        stop();
        resolve();
      }, (err: unknown) => {
        stop();
        reject(err as Error);
      });
    };
    stop = server.ingest.listen({ onMessage: (_gw, _channel, outcome) => outcome.ok && check() });
    check();
  });
}

/**
 * The whole chain the dashboard shows, in this process: a fresh dashboard build, an SMS sink
 * for the webhook provider, the demo's simulated site (Modbus TCP) with its control API, the
 * fleet server (SQLite in a temp dir, the build as `http.dashboard.dir`), the real gateway, and
 * an engineer and two managers created through the API. Resolves once every demo device has
 * been learned from the gateway's health and has values.
 */
export async function startDashboardStack(): Promise<DashboardStack> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-dashboard-stack-'));
  const undo: (() => Promise<unknown>)[] = [() => rm(dir, { recursive: true, force: true })];
  const stop = async (): Promise<void> => {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    undo.length = 0;
  };
  try {
    const dashboard = await buildDashboard();
    undo.push(() => dashboard.remove());
    const sms: DemoSms[] = [];
    const texts = new EventEmitter();
    const sink = await startSmsSink((m) => {
      sms.push(m);
      texts.emit('sms', m);
    });
    const smsMatching = (match: (m: DemoSms) => boolean): Promise<DemoSms> => {
      const seen = sms.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => {
        const onSms = (m: DemoSms): void => {
          if (!match(m)) return;
          texts.off('sms', onSms);
          resolve(m);
        };
        texts.on('sms', onSms);
      });
    };
    undo.push(() => sink.close());

    const registry = new ProfileRegistry(loadBuiltinProfiles());
    const site = await SimSite.start(demoSiteConfig(false), { profile: (id) => registry.get(id) });
    undo.push(() => site.stop());
    const control = buildControlApi(site);
    const controlUrl = await control.listen({ host: '127.0.0.1', port: 0 });
    undo.push(() => control.close());

    const dataDir = path.join(dir, 'server');
    const server = await startServer(
      stackServerConfig({ dataDir, dashboardDir: dashboard.dir, sms: sink, gatewaySecretHash: await hashSecret(SECRET, { N: 1024, r: 8, p: 1 }) }),
      { logger: silent },
    );
    undo.push(() => server.stop());

    await writeFile(path.join(dir, 'credentials.yaml'), `username: ${DEMO_GATEWAY.id}\npassword: ${SECRET}\n`, { mode: 0o600 });
    const configFile = path.join(dir, 'gateway.yaml');
    await writeFile(configFile, stackGatewayYaml(site.endpoints(), server.brokerPort));
    const gateway = await startGateway(await loadGatewayConfig(configFile, registry), { registry, logger: silent });
    // Undone in reverse: the gateway stops while the server still runs.
    undo.push(() => gateway.stop());

    await untilIngested(server, async () => {
      const devices = await server.store.listDevices(DEMO_GATEWAY.id);
      if (devices.length < DEMO_DEVICES.length) return false;
      const values = await Promise.all(DEMO_DEVICES.map((d) => server.store.latestValues(DEMO_GATEWAY.id, d.id)));
      return values.every((v) => v.length > 0);
    });

    const url = `http://127.0.0.1:${server.httpPort}`;
    const adminToken = (await readFile(path.join(dataDir, ADMIN_TOKEN_FILE), 'utf8')).trim();
    const users = await createStackUsers(url, adminToken);
    return { url, adminToken, users, server, site, gateway, controlUrl, sms, smsMatching, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
