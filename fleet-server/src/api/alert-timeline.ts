import type { Alert, AuditEntry, Notification, NotificationAttempt } from '../store/store-types.js';

/** One thing that happened to an alert, in time order (docs/api.md "GET /alerts/:id"). */
export type TimelineEntry =
  | { at: number; kind: 'raised'; severity: Alert['severity']; message: string }
  | {
    at: number; kind: 'notification'; notification: number; key: string; recipient: string;
    /** Escalation step and repeat round, read from the key (alert:{id}:step:{n}:round:{k}:contact:{c}); null for other keys. */
    step: number | null; round: number | null; contact: string | null;
    notBefore: number; status: Notification['status'];
  }
  | { at: number; kind: 'attempt'; notification: number; attempt: number; outcome: NotificationAttempt['outcome']; reply: string; recipient: string }
  | { at: number; kind: 'acknowledged'; by: string; via: string | null }
  | { at: number; kind: 'resolved'; by: string; reason: string | null }
  | { at: number; kind: 'audit'; action: string; by: string; details: Record<string, unknown> };

const KEY = /^alert:\d+:step:(\d+):round:(\d+):contact:(.+)$/;

function stepOf(key: string): { step: number | null; round: number | null; contact: string | null } {
  const m = KEY.exec(key);
  return m ? { step: Number(m[1]), round: Number(m[2]), contact: m[3] ?? null } : { step: null, round: null, contact: null };
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Pure: the alert's history from its row, its notifications with every attempt (and the
 * provider's reply), and the audit entries of target alert:<id>. Acknowledgement and resolution
 * come from the audit log (who and how); the row's timestamps fill in if no entry exists.
 */
export function alertTimeline(
  alert: Alert,
  notifications: readonly { notification: Notification; attempts: readonly NotificationAttempt[] }[],
  audit: readonly AuditEntry[],
): TimelineEntry[] {
  const entries: TimelineEntry[] = [{ at: alert.raisedAt, kind: 'raised', severity: alert.severity, message: alert.message }];
  for (const { notification: n, attempts } of notifications) {
    entries.push({ at: n.createdAt, kind: 'notification', notification: n.id, key: n.key, recipient: n.recipient, ...stepOf(n.key), notBefore: n.notBefore, status: n.status });
    for (const a of attempts) {
      entries.push({ at: a.at, kind: 'attempt', notification: n.id, attempt: a.attempt, outcome: a.outcome, reply: a.reply, recipient: n.recipient });
    }
  }
  let acked = false;
  let resolved = false;
  for (const e of audit) {
    if (e.action === 'alert.acknowledge') {
      acked = true;
      entries.push({ at: e.at, kind: 'acknowledged', by: e.actor, via: text(e.details['via']) });
    } else if (e.action === 'alert.resolve') {
      resolved = true;
      entries.push({ at: e.at, kind: 'resolved', by: e.actor, reason: text(e.details['reason']) ?? text(e.details['note']) });
    } else {
      entries.push({ at: e.at, kind: 'audit', action: e.action, by: e.actor, details: e.details });
    }
  }
  if (!acked && alert.acknowledgedAt !== null) entries.push({ at: alert.acknowledgedAt, kind: 'acknowledged', by: alert.acknowledgedBy ?? 'unknown', via: null });
  if (!resolved && alert.resolvedAt !== null) entries.push({ at: alert.resolvedAt, kind: 'resolved', by: 'unknown', reason: null });
  // Stable: entries of the same millisecond keep the order above (raised, queued, attempts, ack, resolve).
  return entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i).map(({ e }) => e);
}
