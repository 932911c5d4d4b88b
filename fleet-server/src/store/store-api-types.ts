import type { CommandRequest, CommandResult, CommandStatus, ManagedConfig, Severity, WireValue } from '@edgefleet/protocol';
import type { AlertState } from './store-types.js';

/**
 * Row shapes behind the HTTP API: users and tokens, commands, desired configs, alert queries,
 * hourly rollups and enrollment. Kept apart from store-types.ts (ingest, alerts, notifications)
 * so each file stays one concept.
 */

/** admin: everything; engineer: every site, no user admin; manager: read + acknowledge on `sites` only. */
export type Role = 'admin' | 'engineer' | 'manager';

export interface User {
  id: string;
  name: string;
  role: Role;
  /** The sites a manager may see; empty (and ignored) for admin and engineer. */
  sites: string[];
  createdAt: number;
}

/**
 * A bearer token. Only its SHA-256 is stored: tokens are 256-bit random values, so a fast hash
 * is enough (a slow KDF protects guessable secrets, not random ones) and lookup stays O(1).
 */
export interface ApiToken {
  id: string;
  userId: string;
  label: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

export interface ApiTokenInput {
  id: string;
  userId: string;
  label: string;
  /** Hex SHA-256 of the token text. */
  hash: string;
  createdAt: number;
  expiresAt: number | null;
}

/**
 * 'pending': published to the gateway, no result yet. 'unanswered': the server's verdict that no
 * result came by the request's expiresAt plus a grace period (the gateway was offline, or its
 * result is still in its outbox) — a result arriving later still replaces it. Otherwise the
 * gateway's status.
 */
export type CommandState = 'pending' | 'unanswered' | CommandStatus;

export interface StoredCommand {
  id: string;
  gateway: string;
  device: string;
  request: CommandRequest;
  state: CommandState;
  createdAt: number;
  /** "user:<id>" */
  createdBy: string;
  result: CommandResult | null;
  completedAt: number | null;
}

export interface CommandInput {
  gateway: string;
  request: CommandRequest;
  createdAt: number;
  createdBy: string;
}

/** Newest first. */
export interface CommandQuery {
  gateway?: string;
  device?: string;
  limit?: number;
}

export interface DesiredConfigRecord {
  gateway: string;
  version: number;
  config: ManagedConfig;
  createdAt: number;
  /** "user:<id>" or "system". */
  createdBy: string;
}

/** What the gateway last reported on its status topic about its config. */
export interface GatewayConfigState {
  /** The version it runs (0: none from the server yet). */
  version: number;
  appliedAt: number | null;
  rejected: { version: number; reason: string; ts: number } | null;
}

/** Newest raised first. Every field narrows; `sites` joins through the alert's gateway. */
export interface AlertQuery {
  states?: AlertState[];
  sites?: string[];
  gateway?: string;
  device?: string;
  severities?: Severity[];
  /** raisedAt >= from */
  from?: number;
  /** raisedAt < to */
  to?: number;
  /**
   * Keyset cursor for the next (older) page: only alerts after this one in the list's order,
   * (raisedAt, id) < (before.raisedAt, before.id), so alerts raised in the same millisecond are
   * neither repeated nor skipped across pages.
   */
  before?: { raisedAt: number; id: number };
  limit?: number;
}

/** One point's hour: numeric readings only (booleans as 0/1); `last` keeps the hour's final value of any type. */
export interface RollupRow {
  gateway: string;
  device: string;
  point: string;
  /** Epoch ms of the hour's start (UTC). */
  hour: number;
  count: number;
  min: number | null;
  max: number | null;
  avg: number | null;
  last: WireValue;
  lastTs: number;
}

/** Hours with from <= hour < to, oldest first. */
export interface RollupQuery {
  gateway: string;
  device: string;
  point: string;
  from: number;
  to: number;
  limit?: number;
}

export interface RetentionResult {
  telemetryDeleted: number;
  receivedSeqsDeleted: number;
  eventsDeleted: number;
}

/** A one-time gateway enrollment token (issue 5); only its SHA-256 is stored. */
export interface EnrollmentInput {
  hash: string;
  site: string;
  gatewayId: string;
  name: string;
  createdAt: number;
  expiresAt: number;
  createdBy: string;
}

export interface Enrollment extends Omit<EnrollmentInput, 'hash'> {
  usedAt: number | null;
}
