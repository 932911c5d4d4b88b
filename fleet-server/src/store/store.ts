import type { GatewayEvent, GatewayHealth, Reading } from '@edgefleet/protocol';
import type { ApiStore } from './store-api.js';
import type {
  Alert, AlertFields, AuditEntry, AuditInput, AuditQuery, AlertKey, AlertState, AttemptInput, Contact, Device, EventQuery, Gateway, GatewayInput,
  GatewayStatusValue, IngestResult, LatestValue, Notification, NotificationAttempt, NotificationInput,
  OpenAlertResult, Site, StoredEvent, StoredHealth, TelemetryQuery, TelemetryRow,
} from './store-types.js';

/**
 * The fleet server's persistence. Every method is async so a PostgreSQL implementation can keep
 * the same contract (test/store/store-contract.ts); every write that touches several rows is one
 * transaction. Bad input (unknown site, phone not E.164, illegal transition, a query limit
 * outside 1..MAX_QUERY_LIMIT) throws StoreError.
 */
export interface Store extends ApiStore {
  /**
   * Dedups on (gateway, 'telemetry', epoch, seq), stores only new items, keeps the newest ts per
   * point. `epoch` is the batch's outbox epoch (docs/mqtt-topics.md), 0 when the gateway sent none.
   */
  ingestTelemetry(gatewayId: string, items: readonly Reading[], receivedAt?: number, epoch?: number): Promise<IngestResult>;
  /** Dedups on (gateway, 'events', epoch, seq). */
  ingestEvents(gatewayId: string, items: readonly GatewayEvent[], receivedAt?: number, epoch?: number): Promise<IngestResult>;
  latestValues(gatewayId: string, deviceId?: string): Promise<LatestValue[]>;
  telemetry(query: TelemetryQuery): Promise<TelemetryRow[]>;
  events(query: EventQuery): Promise<StoredEvent[]>;

  upsertSite(site: Site): Promise<void>;
  getSite(id: string): Promise<Site | undefined>;
  listSites(): Promise<Site[]>;
  upsertContact(contact: Contact): Promise<void>;
  getContact(id: string): Promise<Contact | undefined>;
  /** Ordered by escalation order, then id. */
  listContacts(siteId: string): Promise<Contact[]>;
  upsertGateway(gateway: GatewayInput): Promise<void>;
  getGateway(id: string): Promise<Gateway | undefined>;
  listGateways(siteId?: string): Promise<Gateway[]>;
  /** Sets the status; `at` also becomes last seen when the gateway is online. */
  setGatewayStatus(id: string, status: GatewayStatusValue, at: number): Promise<void>;
  /** Keeps the newest report per gateway (by ts, then seq); false when an older one arrived late. */
  recordHealth(health: GatewayHealth, receivedAt?: number): Promise<boolean>;
  latestHealth(gatewayId: string): Promise<StoredHealth | undefined>;
  upsertDevice(device: Device): Promise<void>;
  getDevice(gatewayId: string, deviceId: string): Promise<Device | undefined>;
  listDevices(gatewayId: string): Promise<Device[]>;

  /** Returns the open (not resolved) alert for the key, or raises a new one. */
  openAlert(key: AlertKey, fields: AlertFields): Promise<OpenAlertResult>;
  getAlert(id: number): Promise<Alert | undefined>;
  listOpenAlerts(gatewayId?: string): Promise<Alert[]>;
  /**
   * raised → notified | acknowledged | resolved; notified → notified | acknowledged | resolved;
   * acknowledged → resolved. Anything else throws StoreError ALERT_TRANSITION.
   */
  transitionAlert(id: number, to: AlertState, at: number, by?: string): Promise<Alert>;

  /** Idempotent on `key`: returns the existing notification when the key was enqueued before. */
  enqueueNotification(input: NotificationInput): Promise<Notification>;
  getNotification(id: number): Promise<Notification | undefined>;
  /**
   * Marks up to `limit` due notifications 'sending' (pending, or sending whose lease ran out) and
   * leases them until now + leaseMs, so a claimer that dies does not lose them and a second
   * claimer does not get them again while the lease holds.
   */
  claimDueNotifications(now: number, limit: number, leaseMs?: number): Promise<Notification[]>;
  /** Appends the attempt and moves the notification to sent, pending (retry) or failed. */
  recordAttempt(notificationId: number, attempt: AttemptInput): Promise<Notification>;
  listAttempts(notificationId: number): Promise<NotificationAttempt[]>;

  appendAudit(entry: AuditInput): Promise<AuditEntry>;
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;

  close(): Promise<void>;
}
