import type { Logger } from 'pino';
import { parseNotificationKey } from '../alerts/plan-notifications.js';
import type { SendOutcome } from '../dispatch/notification-sender.js';
import type { Store } from '../store/store.js';
import type { Notification } from '../store/store-types.js';
import type { MetricsRegistry } from './metrics-registry.js';

export interface AlertMetrics {
  /** For NotificationSender's onOutcome. */
  onOutcome(notification: Notification, outcome: SendOutcome, at: number): void;
  /** Refreshes the open-alert gauge from the store; call before a scrape. */
  refresh(): Promise<void>;
}

/** Seconds: an SMS inside 2 s is the target; escalations to a second contact take minutes. */
const FAULT_TO_SMS_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900];

/**
 * The alerting series on /metrics: open alerts by severity and state, every send outcome, and the
 * time from an alert being raised (the server stored the fault event) to the provider accepting
 * its first-step SMS. The gateway's part (poll wait, uplink) is outside this figure; the
 * fault-to-sms benchmark measures the whole chain from the register change.
 */
export function registerAlertMetrics(registry: MetricsRegistry, store: Pick<Store, 'listOpenAlerts' | 'getAlert'>, logger: Logger): AlertMetrics {
  const open = registry.gauge('edgefleet_alerts_open', 'Alerts not yet resolved, by severity and state');
  const outcomes = registry.counter('edgefleet_notifications_total', 'SMS notifications handled, by outcome (sent, retried, failed = gave up, deferred, skipped)');
  const faultToSms = registry.histogram('edgefleet_fault_to_sms_seconds', 'From an alert being raised to the provider accepting its first-step SMS', FAULT_TO_SMS_BUCKETS);
  const seen = new Set<string>();
  return {
    onOutcome(notification, outcome, at) {
      outcomes.inc({ outcome });
      const key = parseNotificationKey(notification.key);
      if (outcome !== 'sent' || notification.alertId === null || key?.step !== 1 || key.round !== 0) return;
      void store.getAlert(notification.alertId).then((alert) => {
        if (alert) faultToSms.observe(Math.max(0, at - alert.raisedAt) / 1000);
      }, (err: unknown) => logger.warn({ err }, 'fault-to-sms metric: alert lookup failed'));
    },
    async refresh() {
      const counts = new Map<string, number>();
      for (const a of await store.listOpenAlerts()) {
        const k = `${a.severity}\u0000${a.state}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      // A series that drops to zero must say 0, not vanish with its last value.
      for (const k of new Set([...seen, ...counts.keys()])) {
        const [severity = '', state = ''] = k.split('\u0000');
        open.set(counts.get(k) ?? 0, { severity, state });
        seen.add(k);
      }
    },
  };
}
