import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { CommandResult, GatewayEvent, GatewayHealth, GatewayStatus, Reading } from '@edgefleet/protocol';
import { SqliteAlertQuery } from './sqlite-alert-query.js';
import { SqliteAlerts } from './sqlite-alerts.js';
import { SqliteAudit } from './sqlite-audit.js';
import { SqliteCommands } from './sqlite-commands.js';
import { SqliteConfigs } from './sqlite-configs.js';
import { SqliteEnrollment } from './sqlite-enrollment.js';
import { SqliteHealth } from './sqlite-health.js';
import { SqliteIngest } from './sqlite-ingest.js';
import { SqliteInventory } from './sqlite-inventory.js';
import { configureConnection, migrate } from './sqlite-migrations.js';
import { SqliteNotifications } from './sqlite-notifications.js';
import { SqliteReadModel } from './sqlite-read-model.js';
import { SqliteRetention } from './sqlite-retention.js';
import { SqliteRollups } from './sqlite-rollups.js';
import { SqliteUsers } from './sqlite-users.js';
import type {
  ApiToken, ApiTokenInput, AlertQuery, CommandInput, CommandQuery, DesiredConfigRecord, Enrollment, EnrollmentInput,
  GatewayConfigState, RetentionResult, RollupQuery, RollupRow, StoredCommand, User,
} from './store-api-types.js';
import { StoreError } from './store-error.js';
import type { AlertResponse, GatewayConfigSync, OpenAlertCount, SiteFilter } from './store-read-model.js';
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
  private readonly users: SqliteUsers;
  private readonly alertQuery: SqliteAlertQuery;
  private readonly commands: SqliteCommands;
  private readonly configs: SqliteConfigs;
  private readonly rollupStore: SqliteRollups;
  private readonly retention: SqliteRetention;
  private readonly enrollment: SqliteEnrollment;
  private readonly readModel: SqliteReadModel;

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
    this.users = new SqliteUsers(db);
    this.alertQuery = new SqliteAlertQuery(db);
    this.commands = new SqliteCommands(db);
    this.configs = new SqliteConfigs(db);
    this.rollupStore = new SqliteRollups(db);
    this.retention = new SqliteRetention(db);
    this.enrollment = new SqliteEnrollment(db);
    this.readModel = new SqliteReadModel(db);
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

  async ingestTelemetry(gatewayId: string, items: readonly Reading[], receivedAt = this.now(), epoch = 0): Promise<IngestResult> {
    return this.ingest.ingestTelemetry(gatewayId, items, receivedAt, epoch);
  }
  async ingestEvents(gatewayId: string, items: readonly GatewayEvent[], receivedAt = this.now(), epoch = 0): Promise<IngestResult> {
    return this.ingest.ingestEvents(gatewayId, items, receivedAt, epoch);
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

  // ApiStore: each delegates to its concept's class (see those files for the rules).
  async createUser(user: User): Promise<void> { this.users.createUser(user); }
  async getUser(id: string): Promise<User | undefined> { return this.users.getUser(id); }
  async listUsers(): Promise<User[]> { return this.users.listUsers(); }
  async deleteUser(id: string, at: number): Promise<void> { this.users.deleteUser(id, at); }
  async createToken(token: ApiTokenInput): Promise<ApiToken> { return this.users.createToken(token); }
  async authenticateToken(hash: string, now: number): Promise<{ token: ApiToken; user: User } | undefined> {
    return this.users.authenticateToken(hash, now);
  }
  async listTokens(userId?: string): Promise<ApiToken[]> { return this.users.listTokens(userId); }
  async revokeToken(id: string, at: number): Promise<void> { this.users.revokeToken(id, at); }
  async setUserPasswordHash(id: string, hash: string | null): Promise<void> { this.users.setPasswordHash(id, hash); }
  async getUserPasswordHash(id: string): Promise<string | undefined> { return this.users.passwordHash(id); }

  async deleteDevice(gatewayId: string, deviceId: string): Promise<void> { this.inventory.deleteDevice(gatewayId, deviceId); }
  async setGatewayConfigState(gatewayId: string, state: NonNullable<GatewayStatus['config']>): Promise<void> {
    this.configs.setGatewayConfigState(gatewayId, state);
  }
  async gatewayConfigState(gatewayId: string): Promise<GatewayConfigState> { return this.configs.gatewayConfigState(gatewayId); }

  async listAlerts(query: AlertQuery): Promise<Alert[]> { return this.alertQuery.listAlerts(query); }
  async listNotificationsForAlert(alertId: number): Promise<Notification[]> { return this.alertQuery.listNotificationsForAlert(alertId); }

  async insertCommand(input: CommandInput): Promise<StoredCommand> { return this.commands.insertCommand(input); }
  async getCommand(id: string): Promise<StoredCommand | undefined> { return this.commands.getCommand(id); }
  async listCommands(query: CommandQuery): Promise<StoredCommand[]> { return this.commands.listCommands(query); }
  async completeCommand(result: CommandResult, at: number): Promise<StoredCommand | undefined> {
    return this.commands.completeCommand(result, at);
  }

  async markUnansweredCommands(expiredBefore: number, at: number): Promise<StoredCommand[]> {
    return this.commands.markUnanswered(expiredBefore, at);
  }

  async putDesiredConfig(gatewayId: string, config: DesiredConfigRecord['config'], at: number, by: string, baseVersion?: number): Promise<DesiredConfigRecord> {
    return this.configs.putDesiredConfig(gatewayId, config, at, by, baseVersion);
  }
  async latestDesiredConfig(gatewayId: string): Promise<DesiredConfigRecord | undefined> { return this.configs.latestDesiredConfig(gatewayId); }
  async listDesiredConfigs(gatewayId: string, limit?: number): Promise<DesiredConfigRecord[]> {
    return this.configs.listDesiredConfigs(gatewayId, limit);
  }

  async rollupHours(fromHour: number, toHour: number): Promise<number> { return this.rollupStore.rollupHours(fromHour, toHour); }
  async rollups(query: RollupQuery): Promise<RollupRow[]> { return this.rollupStore.rollups(query); }
  async prune(cutoffs: { telemetryBefore: number; seqsBefore: number; eventsBefore: number }): Promise<RetentionResult> {
    return this.retention.prune(cutoffs);
  }

  async createEnrollment(input: EnrollmentInput): Promise<Enrollment> { return this.enrollment.createEnrollment(input); }
  async consumeEnrollment(hash: string, now: number): Promise<Enrollment | undefined> { return this.enrollment.consumeEnrollment(hash, now); }
  async findEnrollment(hash: string): Promise<Enrollment | undefined> { return this.enrollment.findEnrollment(hash); }

  async listSiteDevices(sites: SiteFilter): Promise<Device[]> { return this.readModel.listSiteDevices(sites); }
  async listLatestHealth(sites: SiteFilter): Promise<StoredHealth[]> { return this.readModel.listLatestHealth(sites); }
  async listConfigSync(sites: SiteFilter): Promise<GatewayConfigSync[]> { return this.readModel.listConfigSync(sites); }
  async countOpenAlerts(sites: SiteFilter): Promise<OpenAlertCount[]> { return this.readModel.countOpenAlerts(sites); }
  async listAlertResponses(query: { sites: SiteFilter; from: number; to: number }): Promise<AlertResponse[]> {
    return this.readModel.listAlertResponses(query);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
