import type { CommandResult, GatewayStatus } from '@edgefleet/protocol';
import type {
  ApiToken, ApiTokenInput, AlertQuery, CommandInput, CommandQuery, DesiredConfigRecord, Enrollment, EnrollmentInput,
  GatewayConfigState, RetentionResult, RollupQuery, RollupRow, StoredCommand, User,
} from './store-api-types.js';
import type { ReadModelStore } from './store-read-model.js';
import type { Alert, Notification } from './store-types.js';

/**
 * The store methods behind the HTTP API, retention and enrollment. Same rules as Store: async,
 * one transaction per multi-row write, bad input throws StoreError with a stable code
 * (NOT_FOUND, CONFLICT, INVALID, ...). `Store` extends this; the dashboard's whole-site reads are
 * in ReadModelStore.
 */
export interface ApiStore extends ReadModelStore {
  // Users and tokens
  createUser(user: User): Promise<void>;
  getUser(id: string): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  /** Deletes the user and revokes their tokens. */
  deleteUser(id: string, at: number): Promise<void>;
  createToken(token: ApiTokenInput): Promise<ApiToken>;
  /** The live (not revoked, not expired at `now`) token with this hash, and its user; stamps lastUsedAt. */
  authenticateToken(hash: string, now: number): Promise<{ token: ApiToken; user: User } | undefined>;
  listTokens(userId?: string): Promise<ApiToken[]>;
  revokeToken(id: string, at: number): Promise<void>;
  /**
   * Sets (or with null clears) the user's password hash (a slow hash: broker/secret-hash.ts);
   * throws NOT_FOUND for an unknown user. Never the password itself.
   */
  setUserPasswordHash(id: string, hash: string | null): Promise<void>;
  /** The stored password hash; undefined for an unknown user or one without a password. */
  getUserPasswordHash(id: string): Promise<string | undefined>;

  // Inventory additions
  deleteDevice(gatewayId: string, deviceId: string): Promise<void>;
  /** From the gateway's status topic (GatewayStatus.config). */
  setGatewayConfigState(gatewayId: string, state: NonNullable<GatewayStatus['config']>): Promise<void>;
  gatewayConfigState(gatewayId: string): Promise<GatewayConfigState>;

  // Alerts for the API
  listAlerts(query: AlertQuery): Promise<Alert[]>;
  /** Every notification enqueued for the alert, oldest first (attempts via listAttempts). */
  listNotificationsForAlert(alertId: number): Promise<Notification[]>;

  // Commands
  /** Throws CONFLICT when the id exists. */
  insertCommand(input: CommandInput): Promise<StoredCommand>;
  getCommand(id: string): Promise<StoredCommand | undefined>;
  listCommands(query: CommandQuery): Promise<StoredCommand[]>;
  /**
   * Records the gateway's result once; a second result for the same id is ignored (returns the
   * stored one). A command marked 'unanswered' still takes its first result.
   */
  completeCommand(result: CommandResult, at: number): Promise<StoredCommand | undefined>;
  /** Marks 'unanswered' (completedAt = at) every pending command whose request expired before `expiredBefore`; returns them. */
  markUnansweredCommands(expiredBefore: number, at: number): Promise<StoredCommand[]>;

  // Desired configs
  /**
   * Stores the next version (latest + 1, starting at 1) and returns it. With `baseVersion` (the
   * version the change was made from; 0: none yet) it refuses with STORE_VERSION_MISMATCH unless
   * that is still the latest, atomically with the insert: two writers of one version cannot both win.
   */
  putDesiredConfig(gatewayId: string, config: DesiredConfigRecord['config'], at: number, by: string, baseVersion?: number): Promise<DesiredConfigRecord>;
  latestDesiredConfig(gatewayId: string): Promise<DesiredConfigRecord | undefined>;
  /** Newest first. */
  listDesiredConfigs(gatewayId: string, limit?: number): Promise<DesiredConfigRecord[]>;

  // Rollups and retention
  /** (Re)computes the hourly rollups of every hour in [fromHour, toHour) from raw telemetry; idempotent. Returns rows written. */
  rollupHours(fromHour: number, toHour: number): Promise<number>;
  rollups(query: RollupQuery): Promise<RollupRow[]>;
  /**
   * Deletes raw telemetry with ts < telemetryBefore, dedup-ledger rows received before
   * seqsBefore, and events with ts < eventsBefore. The ledger window must exceed the gateways'
   * outbox max age, or a very late resend would be stored twice (docs/server-config.md).
   */
  prune(cutoffs: { telemetryBefore: number; seqsBefore: number; eventsBefore: number }): Promise<RetentionResult>;

  // Enrollment (issue 5)
  createEnrollment(input: EnrollmentInput): Promise<Enrollment>;
  /** Marks the token used and returns it, or undefined when unknown, expired at `now` or already used (single use, atomic). */
  consumeEnrollment(hash: string, now: number): Promise<Enrollment | undefined>;
  /** The token with this hash, used or not (only to say why a consume failed: expired vs used). */
  findEnrollment(hash: string): Promise<Enrollment | undefined>;
}
