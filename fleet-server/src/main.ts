import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import pino from 'pino';
import type { Logger } from 'pino';
import { seedContacts, startAlerting } from './alerting.js';
import type { Alerting } from './alerting.js';
import { MemoryCredentials } from './broker/credentials.js';
import { startBroker } from './broker/start-broker.js';
import { databasePath } from './config/server-config.js';
import type { ServerConfig } from './config/server-config.js';
import { registerAckRoutes } from './http/ack-routes.js';
import { createIngestMetrics } from './ingest/ingest-metrics.js';
import { startIngest } from './ingest/start-ingest.js';
import type { Ingest } from './ingest/start-ingest.js';
import { registerBrokerMetrics } from './metrics/broker-metrics.js';
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from './metrics/metrics-registry.js';
import { SqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store.js';

export interface StartServerOptions {
  logger?: Logger;
  now?: () => number;
}

export interface RunningServer {
  brokerPort: number;
  httpPort: number;
  store: Store;
  ingest: Ingest;
  metrics: MetricsRegistry;
  alerting: Alerting;
  stop(): Promise<void>;
}

/** Registers the configured sites and gateways so statuses and devices have rows to refer to. */
async function seedInventory(store: Store, config: ServerConfig): Promise<void> {
  for (const site of config.sites) await store.upsertSite({ id: site.id, name: site.name, timezone: site.timezone });
  for (const g of config.gateways) {
    await store.upsertGateway({ id: g.id, site: g.site, name: g.name ?? g.id, secretHash: g.secretHash });
  }
}

/**
 * Starts the fleet server: SQLite store, MQTT broker (gateways from server.yaml), ingest, alert
 * engine + SMS sender, and the HTTP app with GET /healthz, GET /metrics and GET /ack/:token. Everything started is undone by stop(), also when
 * a later step fails to start.
 */
export async function startServer(config: ServerConfig, options: StartServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.log.level });
  const undo: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const step of undo.reverse()) await step().catch((err: unknown) => logger.error({ err }, 'shutdown step failed'));
    undo.length = 0;
  };
  try {
    const store = SqliteStore.open({ path: databasePath(config), ...(options.now ? { now: options.now } : {}) });
    undo.push(() => store.close());
    await seedInventory(store, config);
    await seedContacts(store, config);

    const credentials = new MemoryCredentials();
    for (const g of config.gateways) credentials.addHash(g.id, g.secretHash);
    const broker = await startBroker({ ...config.broker, credentials, logger: logger.child({ part: 'mqtt' }) });
    undo.push(() => broker.close());

    const now = options.now ?? Date.now;
    const alerting = startAlerting({ config, store, logger: logger.child({ part: 'alerts' }), now });
    // Undone after the ingest has drained, so no event is fed to a stopped engine.
    undo.push(() => alerting.stop());

    const metrics = new MetricsRegistry();
    const ingest = await startIngest({
      broker: broker.broker, store, metrics: createIngestMetrics(metrics), logger: logger.child({ part: 'ingest' }),
      ...(options.now ? { now: options.now } : {}),
    });
    // Ingest stops (and drains) before the broker and store close: pushed after them, undone first.
    undo.push(() => ingest.stop());
    alerting.feed(ingest);
    const refreshBrokerMetrics = registerBrokerMetrics(metrics, broker);

    // Signed ack tokens run to ~200 characters; fastify's default maxParamLength (100) answers 414.
    const app = Fastify({ logger: false, routerOptions: { maxParamLength: 1_024 } });
    app.get('/healthz', async (_req, reply) => {
      const checks = { store: 'ok', broker: broker.broker.closed ? 'closed' : 'ok' };
      try {
        await store.listSites();
      } catch (err) {
        checks.store = (err as Error).message;
      }
      const ok = checks.store === 'ok' && checks.broker === 'ok';
      return reply.code(ok ? 200 : 503).send({ ok, checks });
    });
    app.get('/metrics', async (_req, reply) => {
      refreshBrokerMetrics();
      return reply.type(PROMETHEUS_CONTENT_TYPE).send(metrics.render());
    });
    registerAckRoutes(app, { store, secret: alerting.ackSecret, now, onAcknowledged: () => alerting.sender.notify() });
    await app.listen({ host: config.http.host, port: config.http.port });
    // HTTP closes first so no scrape runs against a closing store.
    undo.push(() => app.close());
    const httpPort = (app.server.address() as AddressInfo).port;
    logger.info({ brokerPort: broker.port, httpPort }, 'fleet server started');

    return { brokerPort: broker.port, httpPort, store, ingest, metrics, alerting, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
