import type { GatewayEvent, GatewayHealth, Quality, Severity, WireValue } from '@edgefleet/protocol';

/** Result of one ingest call: items newly stored, and items whose (gateway, stream, epoch, seq) was already seen. */
export interface IngestResult {
  stored: number;
  duplicates: number;
}

export interface LatestValue {
  gateway: string;
  device: string;
  point: string;
  ts: number;
  seq: number;
  value: WireValue;
  quality: Quality;
}

export type TelemetryRow = LatestValue;

/** One point's readings with from <= ts < to, oldest first, at most `limit` (default 1000). */
export interface TelemetryQuery {
  gateway: string;
  device: string;
  point: string;
  from: number;
  to: number;
  limit?: number;
}

export interface StoredEvent {
  gateway: string;
  /** The outbox epoch its seq belongs to (0 for a gateway that sends none). */
  epoch: number;
  seq: number;
  type: GatewayEvent['type'];
  ts: number;
  event: GatewayEvent;
  receivedAt: number;
}

/** Events of one gateway with from <= ts < to (both optional), oldest first, at most `limit` (default 1000). */
export interface EventQuery {
  gateway: string;
  from?: number;
  to?: number;
  limit?: number;
}

export interface Site {
  id: string;
  name: string;
  /** IANA zone, e.g. "Europe/Berlin": quiet hours are local time. */
  timezone: string;
}

export interface Contact {
  id: string;
  site: string;
  name: string;
  /** E.164, e.g. "+4915112345678". */
  phone: string;
  role: string;
  /** 1 is texted first; equal orders are texted together. */
  escalationOrder: number;
}

export type GatewayStatusValue = 'unknown' | 'online' | 'offline';

export interface Gateway {
  id: string;
  site: string;
  name: string;
  /** The KDF output (e.g. "scrypt$..."), never the secret. */
  secretHash: string;
  status: GatewayStatusValue;
  lastSeenAt: number | null;
  configVersion: number | null;
}

/** What upsertGateway takes: status, last seen and config version are kept by their own writes. */
export type GatewayInput = Pick<Gateway, 'id' | 'site' | 'name' | 'secretHash'>;

export interface Device {
  gateway: string;
  device: string;
  profile: string;
  name: string;
  location: string | null;
}

export type AlertState = 'raised' | 'notified' | 'acknowledged' | 'resolved';

export interface AlertKey {
  gateway: string;
  device: string;
  rule: string;
}

export interface AlertFields {
  severity: Severity;
  message: string;
  at: number;
}

export interface Alert extends AlertKey {
  id: number;
  state: AlertState;
  severity: Severity;
  message: string;
  raisedAt: number;
  updatedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
}

export interface OpenAlertResult {
  alert: Alert;
  /** false: an open alert for this (gateway, device, rule) already existed and is returned unchanged. */
  created: boolean;
}

export type NotificationStatus = 'pending' | 'sending' | 'sent' | 'failed';

export interface NotificationInput {
  /** Unique per intended message (e.g. "alert:17:step:2"): enqueueing the same key again returns the first. */
  key: string;
  alertId: number | null;
  recipient: string;
  body: string;
  /** Earliest send time. */
  notBefore: number;
  createdAt: number;
}

export interface Notification extends NotificationInput {
  id: number;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: number;
  sentAt: number | null;
}

export type AttemptOutcome = 'sent' | 'retry' | 'failed';

export interface AttemptInput {
  at: number;
  outcome: AttemptOutcome;
  /** The provider's reply (status and body, truncated by the caller), or the local error. */
  reply: string;
  /** Required for outcome 'retry': when the notification becomes due again. */
  nextAttemptAt?: number;
}

export interface NotificationAttempt extends AttemptInput {
  notificationId: number;
  attempt: number;
}

export interface AuditInput {
  at: number;
  /**
   * Who: "user:<id>" (API or dashboard), "contact:<id>" (SMS reply), "ack-link:<key>" (an
   * acknowledgement link), "gateway:<id>" (enrolment), "address:<ip>" (a refused sign-in, where
   * no user is proven) or "system" (the alert engine).
   */
  actor: string;
  /** What, as a stable verb such as "alert.acknowledge" or "gateway.upsert". */
  action: string;
  /** On what, e.g. "alert:17" or "gateway:gw-1". */
  target: string;
  details: Record<string, unknown>;
}

export interface AuditEntry extends AuditInput {
  id: number;
}

/** Newest first; from <= at < to; actor and target filter exactly. */
export interface AuditQuery {
  from?: number;
  to?: number;
  actor?: string;
  target?: string;
  limit?: number;
}

export interface StoredHealth {
  health: GatewayHealth;
  receivedAt: number;
}
