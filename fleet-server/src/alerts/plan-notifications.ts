import type { Alert, Contact } from '../store/store-types.js';
import { resolveStepContacts, URGENT_SEVERITIES, type EscalationPolicy } from './escalation-policy.js';
import { quietHoursEnd } from './quiet-hours.js';

/** What the planner knows beyond the alert itself. */
export interface AlertHistory {
  /** The rule is flapping (see flapping.ts): plan no new round. */
  readonly flapping: boolean;
  /** Keys already enqueued; they are left out (the store would ignore them anyway). */
  readonly enqueuedKeys?: ReadonlySet<string>;
}

export interface PlannedNotification {
  /** alert:{id}:step:{n}:round:{k}:contact:{contactId} — enqueueing it twice is harmless. */
  readonly key: string;
  readonly alertId: number;
  readonly step: number;
  readonly round: number;
  readonly contact: Contact;
  /** When this round fell due (raise + afterMs + round × repeatMs). */
  readonly dueAt: number;
}

export function notificationKey(alertId: number, step: number, round: number, contactId: string): string {
  return `alert:${alertId}:step:${step}:round:${round}:contact:${contactId}`;
}

const KEY_PATTERN = /^alert:(\d{1,16}):step:(\d{1,9}):round:(\d{1,9}):contact:(.+)$/s;

/** The parts of a key made by notificationKey; undefined for any other string. */
export function parseNotificationKey(key: string): { alertId: number; step: number; round: number; contactId: string } | undefined {
  const [, alertId, step, round, contactId] = KEY_PATTERN.exec(key) ?? [];
  if (alertId === undefined || step === undefined || round === undefined || contactId === undefined) return undefined;
  if (!Number.isSafeInteger(Number(alertId))) return undefined;
  return { alertId: Number(alertId), step: Number(step), round: Number(round), contactId };
}

/**
 * The notifications due at `now` for an open, unacknowledged alert. Step n (1-based) starts at
 * raisedAt + afterMs; every started step is repeated every repeatMs until acknowledged. Only the
 * newest due round of each step is planned, so a server that was down sends one catch-up message,
 * not a burst. Minor/info alerts plan nothing during quiet hours: the first tick after they end
 * plans the newest round.
 */
export function planNotifications(
  alert: Alert, policy: EscalationPolicy, contacts: readonly Contact[], now: number, history: AlertHistory,
): PlannedNotification[] {
  if (alert.state === 'acknowledged' || alert.state === 'resolved' || history.flapping) return [];
  if (policy.quietHours && !URGENT_SEVERITIES.has(alert.severity) && quietHoursEnd(now, policy.quietHours) !== undefined) {
    return [];
  }
  const planned: PlannedNotification[] = [];
  policy.steps.forEach((step, index) => {
    const startsAt = alert.raisedAt + step.afterMs;
    if (now < startsAt) return;
    const repeat = policy.repeatMs;
    const round = repeat !== undefined && repeat > 0 ? Math.floor((now - startsAt) / repeat) : 0;
    const dueAt = startsAt + round * (repeat ?? 0);
    for (const contact of resolveStepContacts(step, contacts)) {
      const key = notificationKey(alert.id, index + 1, round, contact.id);
      if (history.enqueuedKeys?.has(key)) continue;
      planned.push({ key, alertId: alert.id, step: index + 1, round, contact, dueAt });
    }
  });
  return planned;
}
