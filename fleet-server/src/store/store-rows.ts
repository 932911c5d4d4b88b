import type { Severity } from '@edgefleet/protocol';
import type {
  Alert, AlertState, AttemptInput, Contact, Device, Gateway, GatewayStatusValue, Notification, NotificationAttempt, NotificationStatus,
} from './store-types.js';

/**
 * Row shapes and row → record mappers shared by the SQLite and PostgreSQL stores: both use the
 * same table and column names, so one definition keeps them from drifting apart.
 */

/** ITU-T E.164: "+", a non-zero country code digit, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;

/** notified → notified: each repeat or escalation step (EN 81-28) is recorded as a notification. */
export const ALERT_TRANSITIONS: Record<AlertState, readonly AlertState[]> = {
  raised: ['notified', 'acknowledged', 'resolved'],
  notified: ['notified', 'acknowledged', 'resolved'],
  acknowledged: ['resolved'],
  resolved: [],
};

export interface AlertRow {
  id: number; gateway_id: string; device_id: string; rule: string; state: AlertState; severity: Severity;
  message: string; raised_at: number; updated_at: number; acknowledged_at: number | null;
  acknowledged_by: string | null; resolved_at: number | null;
}

export const toAlert = (r: AlertRow): Alert => ({
  id: r.id, gateway: r.gateway_id, device: r.device_id, rule: r.rule, state: r.state, severity: r.severity,
  message: r.message, raisedAt: r.raised_at, updatedAt: r.updated_at, acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by, resolvedAt: r.resolved_at,
});

export interface ContactRow { id: string; site_id: string; name: string; phone: string; role: string; escalation_order: number }
export interface GatewayRow {
  id: string; site_id: string; name: string; secret_hash: string; status: GatewayStatusValue;
  last_seen_at: number | null; config_version: number | null;
}
export interface DeviceRow { gateway_id: string; device_id: string; profile: string; name: string; location: string | null }

export const toContact = (r: ContactRow): Contact => ({
  id: r.id, site: r.site_id, name: r.name, phone: r.phone, role: r.role, escalationOrder: r.escalation_order,
});
export const toGateway = (r: GatewayRow): Gateway => ({
  id: r.id, site: r.site_id, name: r.name, secretHash: r.secret_hash, status: r.status,
  lastSeenAt: r.last_seen_at, configVersion: r.config_version,
});
export const toDevice = (r: DeviceRow): Device => ({
  gateway: r.gateway_id, device: r.device_id, profile: r.profile, name: r.name, location: r.location,
});

export interface NotificationRow {
  id: number; key: string; alert_id: number | null; recipient: string; body: string; status: NotificationStatus;
  attempts: number; next_attempt_at: number; created_at: number; sent_at: number | null; not_before: number;
}
export interface AttemptRow {
  notification_id: number; attempt: number; at: number; outcome: AttemptInput['outcome']; reply: string;
  next_attempt_at: number | null;
}

export const NOTIFICATION_COLUMNS = 'id, key, alert_id, recipient, body, status, attempts, not_before, next_attempt_at, created_at, sent_at';

export const toNotification = (r: NotificationRow): Notification => ({
  id: r.id, key: r.key, alertId: r.alert_id, recipient: r.recipient, body: r.body, notBefore: r.not_before,
  createdAt: r.created_at, status: r.status, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, sentAt: r.sent_at,
});

export const toAttempt = (r: AttemptRow): NotificationAttempt => ({
  notificationId: r.notification_id, attempt: r.attempt, at: r.at, outcome: r.outcome, reply: r.reply,
  ...(r.next_attempt_at === null ? {} : { nextAttemptAt: r.next_attempt_at }),
});
