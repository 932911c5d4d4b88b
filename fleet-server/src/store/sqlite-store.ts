import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { GatewayEvent, GatewayHealth, Reading } from '@edgefleet/protocol';
import { SqliteAlerts } from './sqlite-alerts.js';
import { SqliteAudit } from './sqlite-audit.js';
import { SqliteHealth } from './sqlite-health.js';
import { SqliteIngest } from './sqlite-ingest.js';
import { SqliteInventory } from './sqlite-inventory.js';
import { configureConnection, migrate } from './sqlite-migrations.js';
import { SqliteNotifications } from './sqlite-notifications.js';
import { StoreError } from './store-error.js';
import type { Store } from './store.js';
import type {
  Alert, AlertFields, AuditEntry, AuditInput, AuditQuery, AlertKey, AlertState, AttemptInput, Contact, Device, EventQuery, Gateway, GatewayInput,
  GatewayStatusValue, IngestResult, LatestValue, Notification, NotificationAttempt, NotificationInput,
  OpenAlertResult, Site, StoredEvent, StoredHealth, TelemetryQuery, TelemetryRow,
} from './store-types.js';

export interface SqliteStoreOptions {
  /** The SQLite file; missing directories are created. */
  path: string;
  /** Clock for received_at and migration times; default Date.now. */
  now?: () => number;
}

const isCorruptionError = (err: unknown): boolean =>
  err instanceof Error && 'code' in err && (err.code === 'SQLITE_CORRUPT' || err.code === 'SQLITE_NOTADB');

/**
 * The Store on one better-sqlite3 connection. better-sqlite3 is synchronous, so each method runs
 * to completion before it returns its promise: transactions never interleave on this connection.
 */
export class SqliteStore implements Store {
  private readonly ingest: SqliteIngest;
  private readonly inventory: SqliteInventory;
  private readonly alerts: SqliteAlerts;
  private readonly notifications: SqliteNotifications;
  private readonly audit: SqliteAudit;
  private readonly health: SqliteHealth;

  private constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {
    this.ingest = new SqliteIngest(db);
    this.inventory = new SqliteInventory(db);
    this.alerts = new SqliteAlerts(db);
    this.notifications = new SqliteNotifications(db);
    this.audit = new SqliteAudit(db);
    this.health = new SqliteHealth(db);
  }

  /** Opens or creates the file, sets WAL/FULL, applies missing migrations. A corrupt file is refused (STORE_CORRUPT). */
  static open(options: SqliteStoreOptions): SqliteStore {
    const now = options.now ?? Date.now;
    const file = path.resolve(options.path);
    mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      configureConnection(db);
      migrate(db, file, now());
      return new SqliteStore(db, now);
    } catch (err) {
      db.close();
      if (isCorruptionError(err)) {
        throw new StoreError('STORE_CORRUPT', `store ${file} is not a readable SQLite database: ${(err as Error).message}`, { cause: err });
      }
      throw err;
    }
  }

  /** Applied schema version (the highest row of `migrations`). */
  schemaVersion(): number {
    const row = this.db.prepare('SELECT MAX(version) AS version FROM migrations').get() as { version: number | null };
    return row.version ?? 0;
  }

  async ingestTelemetry(gatewayId: string, items: readonly Reading[], receivedAt = this.now()): Promise<IngestResult> {
    return this.ingest.ingestTelemetry(gatewayId, items, receivedAt);
  }
  async ingestEvents(gatewayId: string, items: readonly GatewayEvent[], receivedAt = this.now()): Promise<IngestResult> {
    return this.ingest.ingestEvents(gatewayId, items, receivedAt);
  }
  async latestValues(gatewayId: string, deviceId?: string): Promise<LatestValue[]> {
    return this.ingest.latestValues(gatewayId, deviceId);
  }
  async telemetry(query: TelemetryQuery): Promise<TelemetryRow[]> {
    return this.ingest.telemetry(query);
  }
  async events(query: EventQuery): Promise<StoredEvent[]> {
    return this.ingest.events(query);
  }

  async upsertSite(site: Site): Promise<void> {
    this.inventory.upsertSite(site);
  }
  async getSite(id: string): Promise<Site | undefined> {
    return this.inventory.getSite(id);
  }
  async listSites(): Promise<Site[]> {
    return this.inventory.listSites();
  }
  async upsertContact(contact: Contact): Promise<void> {
    this.inventory.upsertContact(contact);
  }
  async getContact(id: string): Promise<Contact | undefined> {
    return this.inventory.getContact(id);
  }
  async listContacts(siteId: string): Promise<Contact[]> {
    return this.inventory.listContacts(siteId);
  }
  async upsertGateway(gateway: GatewayInput): Promise<void> {
    this.inventory.upsertGateway(gateway);
  }
  async getGateway(id: string): Promise<Gateway | undefined> {
    return this.inventory.getGateway(id);
  }
  async listGateways(siteId?: string): Promise<Gateway[]> {
    return this.inventory.listGateways(siteId);
  }
  async setGatewayStatus(id: string, status: GatewayStatusValue, at: number): Promise<void> {
    this.inventory.setGatewayStatus(id, status, at);
  }
  async recordHealth(health: GatewayHealth, receivedAt = this.now()): Promise<boolean> {
    return this.health.recordHealth(health, receivedAt);
  }
  async latestHealth(gatewayId: string): Promise<StoredHealth | undefined> {
    return this.health.latestHealth(gatewayId);
  }
  async upsertDevice(device: Device): Promise<void> {
    this.inventory.upsertDevice(device);
  }
  async getDevice(gatewayId: string, deviceId: string): Promise<Device | undefined> {
    return this.inventory.getDevice(gatewayId, deviceId);
  }
  async listDevices(gatewayId: string): Promise<Device[]> {
    return this.inventory.listDevices(gatewayId);
  }

  async openAlert(key: AlertKey, fields: AlertFields): Promise<OpenAlertResult> {
    return this.alerts.openAlert(key, fields);
  }
  async getAlert(id: number): Promise<Alert | undefined> {
    return this.alerts.getAlert(id);
  }
  async listOpenAlerts(gatewayId?: string): Promise<Alert[]> {
    return this.alerts.listOpenAlerts(gatewayId);
  }
  async transitionAlert(id: number, to: AlertState, at: number, by?: string): Promise<Alert> {
    return this.alerts.transitionAlert(id, to, at, by);
  }

  async enqueueNotification(input: NotificationInput): Promise<Notification> {
    return this.notifications.enqueueNotification(input);
  }
  async getNotification(id: number): Promise<Notification | undefined> {
    return this.notifications.getNotification(id);
  }
  async claimDueNotifications(now: number, limit: number, leaseMs?: number): Promise<Notification[]> {
    return this.notifications.claimDueNotifications(now, limit, leaseMs);
  }
  async recordAttempt(notificationId: number, attempt: AttemptInput): Promise<Notification> {
    return this.notifications.recordAttempt(notificationId, attempt);
  }
  async listAttempts(notificationId: number): Promise<NotificationAttempt[]> {
    return this.notifications.listAttempts(notificationId);
  }

  async appendAudit(entry: AuditInput): Promise<AuditEntry> {
    return this.audit.appendAudit(entry);
  }
  async listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    return this.audit.listAudit(query);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
