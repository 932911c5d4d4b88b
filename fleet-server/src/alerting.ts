import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { AlertEngine } from './alerts/alert-engine.js';
import type { EscalationPolicy } from './alerts/escalation-policy.js';
import type { ServerConfig } from './config/server-config.js';
import { createAckCode } from './dispatch/ack-code.js';
import { ackUrlFor, createAckToken } from './dispatch/ack-link.js';
import { NotificationSender } from './dispatch/notification-sender.js';
import type { NotificationSenderOptions } from './dispatch/notification-sender.js';
import type { Ingest } from './ingest/start-ingest.js';
import { createSmsProvider } from './notify/provider-config.js';
import type { Store } from './store/store.js';

export interface Alerting {
  readonly engine: AlertEngine;
  readonly sender: NotificationSender;
  /** The HMAC key ack links are signed with (configured, or random for this run). */
  readonly ackSecret: string;
  /** Connects the ingest's new events and statuses to the engine; returns the disconnect. */
  feed(ingest: Ingest): () => void;
  /** Stops the tick, waits for engine work in flight, then stops the sender. */
  stop(): Promise<void>;
}

export interface AlertingOptions {
  readonly config: ServerConfig;
  readonly store: Store;
  readonly logger: Logger;
  readonly now: () => number;
  /** Each SMS send outcome (the /metrics series). */
  readonly onSendOutcome?: NotificationSenderOptions['onOutcome'];
}

/** Site contacts from server.yaml become store rows, so alerts and audits can name them. */
export async function seedContacts(store: Store, config: ServerConfig): Promise<void> {
  for (const site of config.sites) {
    for (const c of site.contacts) await store.upsertContact({ ...c, site: site.id });
  }
}

/**
 * Alert engine + SMS sender, fed by the ingest: new events and gateway statuses raise or clear
 * alerts; a timer escalates; every enqueue wakes the sender at once rather than at its next poll.
 */
export function startAlerting(options: AlertingOptions): Alerting {
  const { config, store, logger, now } = options;
  const ackSecret = config.alerts.ackSecret ?? randomBytes(32).toString('base64url');
  const policies = new Map<string, EscalationPolicy>(config.sites.map((s) => [s.id, s.escalation]));
  const engine = new AlertEngine({
    store, now,
    thresholds: config.alerts.thresholds,
    policyFor: (siteId) => policies.get(siteId) ?? { steps: [] },
    contactsFor: (siteId) => store.listContacts(siteId),
    siteOf: async (gatewayId) => (await store.getGateway(gatewayId))?.site,
    ackUrlFor: (alertId, notificationKey) => ackUrlFor(
      config.alerts.publicBaseUrl,
      createAckToken({ alertId, notificationKey, expiresAt: now() + config.alerts.ackLinkTtlMs }, ackSecret),
    ),
    // Replies reach POST /sms/inbound only from a Twilio-compatible provider: elsewhere the code
    // would cost fault text for nothing.
    ...(config.sms.kind === 'twilio' ? { ackReplyCodeFor: (alertId: number) => createAckCode(alertId, ackSecret) } : {}),
  });
  const sender = new NotificationSender({
    store, provider: createSmsProvider(config.sms), logger: logger.child({ part: 'sms' }), now,
    ...(options.onSendOutcome ? { onOutcome: options.onSendOutcome } : {}),
  });
  sender.start();

  const inFlight = new Set<Promise<void>>();
  const track = (what: string, work: Promise<void>): void => {
    const done = work.then(() => sender.notify(), (err: unknown) => logger.error({ err }, `alert engine: ${what} failed`));
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };
  const timer = setInterval(() => track('tick', engine.tick()), config.alerts.tickIntervalMs);
  // The tick alone must not keep a process alive whose servers have closed.
  timer.unref();

  return {
    engine, sender, ackSecret,
    feed: (ingest) => ingest.listen({
      onEvents: (gatewayId, events) => track('events', engine.handleEvents(gatewayId, events)),
      onStatus: (status) => track('status', engine.handleStatus(status.gateway, status)),
    }),
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      await sender.stop();
    },
  };
}
