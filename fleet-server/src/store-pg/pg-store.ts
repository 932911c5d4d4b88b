import type pg from 'pg';
import type { CommandResult, GatewayEvent, GatewayHealth, GatewayStatus, Reading } from '@edgefleet/protocol';
import type {
  ApiToken, ApiTokenInput, AlertQuery, CommandInput, CommandQuery, DesiredConfigRecord, Enrollment, EnrollmentInput,
  GatewayConfigState, RetentionResult, RollupQuery, RollupRow, StoredCommand, User,
} from '../store/store-api-types.js';
import type { AlertResponse, GatewayConfigSync, OpenAlertCount, SiteFilter } from '../store/store-read-model.js';
import type { Store } from '../store/store.js';
import type {
  Alert, AlertFields, AuditEntry, AuditInput, AuditQuery, AlertKey, AlertState, AttemptInput, Contact, Device, EventQuery, Gateway, GatewayInput,
  GatewayStatusValue, IngestResult, LatestValue, Notification, NotificationAttempt, NotificationInput,
  OpenAlertResult, Site, StoredEvent, StoredHealth, TelemetryQuery, TelemetryRow,
} from '../store/store-types.js';
import { PgAlertQuery } from './pg-alert-query.js';
import { PgAlerts } from './pg-alerts.js';
import { PgCommands } from './pg-commands.js';
import { PgConfigs } from './pg-configs.js';
import { createPool } from './pg-db.js';
import { consumeEnrollmentPg, createEnrollmentPg, findEnrollmentPg } from './pg-enrollment.js';
import { appendAuditPg, latestHealthPg, listAuditPg, recordHealthPg } from './pg-health-audit.js';
import { eventsPg, ingestEventsPg, ingestTelemetryPg, latestValuesPg, telemetryPg } from './pg-ingest.js';
import { PgInventory } from './pg-inventory.js';
import { migratePg } from './pg-migrations.js';
import { PgNotifications } from './pg-notifications.js';
import { PgReadModel } from './pg-read-model.js';
import { prunePg, rollupHoursPg, rollupsPg } from './pg-rollups.js';
import { PgUsers } from './pg-users.js';

export interface PgStoreOptions {
  /** e.g. "postgres://fleet@db:5432/fleet". */
  connectionString: string;
  /** Schema holding the tables, created if missing; default "edgefleet". Lower-case identifier only. */
  schema?: string;
  /** Pool size; default 10. */
  maxConnections?: number;
  /** Wait for a connection at most this long, then the query fails; default 10 s (store-config.ts says why). */
  connectTimeoutMs?: number;
  /** Clock for received_at and migration times; default Date.now. */
  now?: () => number;
}

export const DEFAULT_PG_SCHEMA = 'edgefleet';

/**
 * The Store on a pg Pool. Several server instances may share one database: ingest dedup, the
 * one-open-alert index and the outbox claim are all decided by PostgreSQL, not by this process.
 */
export class PgStore implements Store {
  private readonly inventory: PgInventory;
  private readonly alerts: PgAlerts;
  private readonly notifications: PgNotifications;
  private readonly users: PgUsers;
  private readonly readModel: PgReadModel;
  private readonly alertQuery: PgAlertQuery;
  private readonly commands: PgCommands;
  private readonly configs: PgConfigs;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => number,
    /** The schema this store lives in (tests drop it when done). */
    readonly schema: string,
  ) {
    this.inventory = new PgInventory(pool);
    this.alerts = new PgAlerts(pool);
    this.notifications = new PgNotifications(pool);
    this.users = new PgUsers(pool);
    this.readModel = new PgReadModel(pool);
    this.alertQuery = new PgAlertQuery(pool);
    this.commands = new PgCommands(pool);
    this.configs = new PgConfigs(pool);
  }

  /** Connects, creates the schema if missing and applies missing migrations (STORE_SCHEMA_NEWER if ahead). */
  static async open(options: PgStoreOptions): Promise<PgStore> {
    const now = options.now ?? Date.now;
    const schema = options.schema ?? DEFAULT_PG_SCHEMA;
    const pool = createPool(options.connectionString, schema, options.maxConnections, options.connectTimeoutMs);
    // An idle client's network error would otherwise crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    try {
      await migratePg(pool, schema, now());
      return new PgStore(pool, now, schema);
    } catch (err) {
      await pool.end();
      throw err;
    }
  }

  /** Applied schema version (the highest row of `migrations`). */
  async schemaVersion(): Promise<number> {
    const { rows } = await this.pool.query<{ version: number | null }>('SELECT MAX(version) AS version FROM migrations');
    return rows[0]?.version ?? 0;
  }

  async ingestTelemetry(gatewayId: string, items: readonly Reading[], receivedAt = this.now(), epoch = 0): Promise<IngestResult> {
    return ingestTelemetryPg(this.pool, gatewayId, items, receivedAt, epoch);
  }
  async ingestEvents(gatewayId: string, items: readonly GatewayEvent[], receivedAt = this.now(), epoch = 0): Promise<IngestResult> {
    return ingestEventsPg(this.pool, gatewayId, items, receivedAt, epoch);
  }
  async latestValues(gatewayId: string, deviceId?: string): Promise<LatestValue[]> {
    return latestValuesPg(this.pool, gatewayId, deviceId);
  }
  async telemetry(query: TelemetryQuery): Promise<TelemetryRow[]> {
    return telemetryPg(this.pool, query);
  }
  async events(query: EventQuery): Promise<StoredEvent[]> {
    return eventsPg(this.pool, query);
  }

  async upsertSite(site: Site): Promise<void> {
    return this.inventory.upsertSite(site);
  }
  async getSite(id: string): Promise<Site | undefined> {
    return this.inventory.getSite(id);
  }
  async listSites(): Promise<Site[]> {
    return this.inventory.listSites();
  }
  async upsertContact(contact: Contact): Promise<void> {
    return this.inventory.upsertContact(contact);
  }
  async getContact(id: string): Promise<Contact | undefined> {
    return this.inventory.getContact(id);
  }
  async listContacts(siteId: string): Promise<Contact[]> {
    return this.inventory.listContacts(siteId);
  }
  async upsertGateway(gateway: GatewayInput): Promise<void> {
    return this.inventory.upsertGateway(gateway);
  }
  async getGateway(id: string): Promise<Gateway | undefined> {
    return this.inventory.getGateway(id);
  }
  async listGateways(siteId?: string): Promise<Gateway[]> {
    return this.inventory.listGateways(siteId);
  }
  async setGatewayStatus(id: string, status: GatewayStatusValue, at: number): Promise<void> {
    return this.inventory.setGatewayStatus(id, status, at);
  }
  async recordHealth(health: GatewayHealth, receivedAt = this.now()): Promise<boolean> {
    return recordHealthPg(this.pool, health, receivedAt);
  }
  async latestHealth(gatewayId: string): Promise<StoredHealth | undefined> {
    return latestHealthPg(this.pool, gatewayId);
  }
  async upsertDevice(device: Device): Promise<void> {
    return this.inventory.upsertDevice(device);
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
    return appendAuditPg(this.pool, entry);
  }
  async listAudit(query: AuditQuery): Promise<AuditEntry[]> {
    return listAuditPg(this.pool, query);
  }

  // ApiStore: each delegates to its concept's file (see those for the rules).
  async createUser(user: User): Promise<void> { return this.users.createUser(user); }
  async getUser(id: string): Promise<User | undefined> { return this.users.getUser(id); }
  async listUsers(): Promise<User[]> { return this.users.listUsers(); }
  async deleteUser(id: string, at: number): Promise<void> { return this.users.deleteUser(id, at); }
  async createToken(token: ApiTokenInput): Promise<ApiToken> { return this.users.createToken(token); }
  async authenticateToken(hash: string, now: number): Promise<{ token: ApiToken; user: User } | undefined> {
    return this.users.authenticateToken(hash, now);
  }
  async listTokens(userId?: string): Promise<ApiToken[]> { return this.users.listTokens(userId); }
  async revokeToken(id: string, at: number): Promise<void> { return this.users.revokeToken(id, at); }
  async setUserPasswordHash(id: string, hash: string | null): Promise<void> { return this.users.setPasswordHash(id, hash); }
  async getUserPasswordHash(id: string): Promise<string | undefined> { return this.users.passwordHash(id); }

  async deleteDevice(gatewayId: string, deviceId: string): Promise<void> { return this.inventory.deleteDevice(gatewayId, deviceId); }
  async setGatewayConfigState(gatewayId: string, state: NonNullable<GatewayStatus['config']>): Promise<void> {
    return this.configs.setGatewayConfigState(gatewayId, state);
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

  async rollupHours(fromHour: number, toHour: number): Promise<number> { return rollupHoursPg(this.pool, fromHour, toHour); }
  async rollups(query: RollupQuery): Promise<RollupRow[]> { return rollupsPg(this.pool, query); }
  async prune(cutoffs: { telemetryBefore: number; seqsBefore: number; eventsBefore: number }): Promise<RetentionResult> {
    return prunePg(this.pool, cutoffs);
  }

  async createEnrollment(input: EnrollmentInput): Promise<Enrollment> { return createEnrollmentPg(this.pool, input); }
  async consumeEnrollment(hash: string, now: number): Promise<Enrollment | undefined> { return consumeEnrollmentPg(this.pool, hash, now); }
  async findEnrollment(hash: string): Promise<Enrollment | undefined> { return findEnrollmentPg(this.pool, hash); }

  async listSiteDevices(sites: SiteFilter): Promise<Device[]> { return this.readModel.listSiteDevices(sites); }
  async listLatestHealth(sites: SiteFilter): Promise<StoredHealth[]> { return this.readModel.listLatestHealth(sites); }
  async listConfigSync(sites: SiteFilter): Promise<GatewayConfigSync[]> { return this.readModel.listConfigSync(sites); }
  async countOpenAlerts(sites: SiteFilter): Promise<OpenAlertCount[]> { return this.readModel.countOpenAlerts(sites); }
  async listAlertResponses(query: { sites: SiteFilter; from: number; to: number }): Promise<AlertResponse[]> {
    return this.readModel.listAlertResponses(query);
  }

  /** Ends the pool; idempotent. The schema and its data stay. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
