import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import pino from 'pino';
import type { Logger } from 'pino';
import { ProfileRegistry, loadBuiltinProfiles } from '@edgefleet/device-profiles';
import { seedContacts, startAlerting } from './alerting.js';
import type { Alerting } from './alerting.js';
import { bootstrapAdmin } from './api/bootstrap-admin.js';
import { registerApi } from './api/register-api.js';
import { startBroker } from './broker/start-broker.js';
import { StoreCredentials } from './broker/store-credentials.js';
import { readTlsMaterial } from './broker/tls-material.js';
import type { ServerConfig } from './config/server-config.js';
import { registerAckRoutes } from './http/ack-routes.js';
import { closeKeepAliveOnClose } from './http/close-keep-alive.js';
import { registerCompression } from './http/compression.js';
import { registerDashboard } from './http/dashboard-static.js';
import { registerSmsInboundRoute } from './http/sms-inbound-route.js';
import { createIngestMetrics } from './ingest/ingest-metrics.js';
import { startIngest } from './ingest/start-ingest.js';
import type { Ingest } from './ingest/start-ingest.js';
import { startLive } from './live/start-live.js';
import { registerAlertMetrics } from './metrics/alert-metrics.js';
import { registerBrokerMetrics } from './metrics/broker-metrics.js';
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from './metrics/metrics-registry.js';
import { openStore } from './open-store.js';
import { startRetention } from './retention/start-retention.js';
import type { RetentionScheduler } from './retention/retention-scheduler.js';
import type { ApiStore } from './store/store-api.js';
import type { Store } from './store/store.js';

export interface StartServerOptions {
  logger?: Logger;
  now?: () => number;
  /** Live event streams' heartbeat and token re-check interval (default 15 s). */
  liveHeartbeatMs?: number;
}

export interface RunningServer {
  brokerPort: number;
  /** The mqtts port when `broker.tls` is configured. */
  brokerTlsPort?: number;
  httpPort: number;
  store: Store;
  ingest: Ingest;
  metrics: MetricsRegistry;
  alerting: Alerting;
  /** Hourly rollups and daily pruning; runNow() for tests and admin. */
  retention: RetentionScheduler;
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
 * Starts the fleet server: store (SQLite or PostgreSQL), MQTT broker (gateways from the store), ingest, alert
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
    const store = await openStore(config, options.now);
    undo.push(() => store.close());
    await seedInventory(store, config);
    await seedContacts(store, config);

    const now = options.now ?? Date.now;
    // Before any listener opens: the first start leaves <dataDir>/admin-token for the operator.
    await bootstrapAdmin({ store: store as Store & ApiStore, dataDir: config.dataDir, logger, now });
    // Stopped (waiting for a run in flight) before the store closes.
    const retention = startRetention({ config: config.retention, dataDir: config.dataDir, store, logger: logger.child({ part: 'retention' }), now });
    undo.push(() => retention.stop());
    const metrics = new MetricsRegistry();
    const alertMetrics = registerAlertMetrics(metrics, store, logger.child({ part: 'metrics' }));
    // Before the alert engine and the API use the store: it observes the store's alert and command changes.
    const live = startLive({
      store, metrics, logger: logger.child({ part: 'live' }), now,
      ...(options.liveHeartbeatMs === undefined ? {} : { heartbeatMs: options.liveHeartbeatMs }),
    });
    undo.push(async () => live.stop());
    const alerting = startAlerting({ config, store, logger: logger.child({ part: 'alerts' }), now, onSendOutcome: alertMetrics.onOutcome });
    // Undone after the ingest has drained, so no event is fed to a stopped engine.
    undo.push(() => alerting.stop());

    // Built before the broker, which hands it every uplink publish before writing the PUBACK.
    const ingest = startIngest({
      store, metrics: createIngestMetrics(metrics), logger: logger.child({ part: 'ingest' }),
      ...(options.now ? { now: options.now } : {}),
    });
    alerting.feed(ingest);
    live.feed(ingest);

    // Read from the store at every CONNECT: gateways enrolled at runtime connect without a restart.
    const credentials = new StoreCredentials(store);
    const tls = config.broker.tls === undefined ? undefined : await readTlsMaterial(config.broker.tls, config.dataDir);
    const broker = await startBroker({
      host: config.broker.host, port: config.broker.port, ...(tls ? { tls } : {}),
      credentials, uplink: ingest, logger: logger.child({ part: 'mqtt' }),
    });
    undo.push(() => broker.close());
    // Undone before the broker closes: publishes (and the wills of the closing broker) arriving
    // after this are refused without PUBACK, so the gateways keep them for the next start.
    undo.push(() => ingest.stop());
    const refreshBrokerMetrics = registerBrokerMetrics(metrics, broker);

    // Ack tokens are at most 48 characters (dispatch/ack-link.ts); above fastify's default maxParamLength (100)
    // a pasted or mangled link would be answered 414 instead of 400 ACK_MALFORMED.
    const app = Fastify({ logger: false, routerOptions: { maxParamLength: 1_024 } });
    closeKeepAliveOnClose(app);
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
    registerAckRoutes(app, { store, secret: alerting.ackSecret, now, onAcknowledged: () => alerting.sender.notify() });
    registerSmsInboundRoute(app, {
      store, secret: alerting.ackSecret, now, logger: logger.child({ part: 'sms-inbound' }), publicBaseUrl: config.alerts.publicBaseUrl,
      twilioAuthToken: config.sms.kind === 'twilio' ? config.sms.authToken : undefined, onAcknowledged: () => alerting.sender.notify(),
    });
    // One compression mechanism per route (http/compression.ts): br/gzip for /metrics and the API,
    // registered in this scope only; the dashboard gzips its own files; GET /events is never encoded.
    await app.register(async (compressed) => {
      await registerCompression(compressed, config.http.compression);
      compressed.get('/metrics', async (_req, reply) => {
        refreshBrokerMetrics();
        await alertMetrics.refresh();
        return reply.type(PROMETHEUS_CONTENT_TYPE).send(metrics.render());
      });
      await registerApi(compressed, {
        store: store as Store & ApiStore, broker: broker.broker, profiles: new ProfileRegistry(loadBuiltinProfiles()),
        logger: logger.child({ part: 'api' }), now, ingest, live, wakeSender: () => alerting.sender.notify(), commands: config.commands,
        gatewayBroker: { publicUrl: config.broker.publicUrl, port: broker.tlsPort ?? broker.port, tls: broker.tlsPort !== undefined },
      });
    });
    await registerDashboard(app, { ...config.http.dashboard, compression: config.http.compression }, logger.child({ part: 'dashboard' }));
    await app.listen({ host: config.http.host, port: config.http.port });
    // HTTP closes first so no scrape runs against a closing store.
    undo.push(() => app.close());
    const httpPort = (app.server.address() as AddressInfo).port;
    logger.info({ brokerPort: broker.port, brokerTlsPort: broker.tlsPort, httpPort }, 'fleet server started');

    return {
      brokerPort: broker.port, ...(broker.tlsPort === undefined ? {} : { brokerTlsPort: broker.tlsPort }),
      httpPort, store, ingest, metrics, alerting, retention, stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
