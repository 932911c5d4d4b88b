import type { CommandRequest, CommandResult, WireValue } from '@edgefleet/protocol';
import type {
  ApiToken, CommandState, DesiredConfigRecord, Enrollment, GatewayConfigState, Role, RollupRow, StoredCommand, User,
} from './store-api-types.js';
import { StoreError } from './store-error.js';
import type { GatewayConfigSync } from './store-read-model.js';

/**
 * Row shapes and mappers of the API tables, shared by SQLite and PostgreSQL. JSON columns are
 * text in SQLite and already parsed JSONB in PostgreSQL, so each mapper takes the store's decoder.
 */
export type DecodeJson = <T>(raw: unknown) => T;

export const decodeSqliteJson: DecodeJson = <T>(raw: unknown): T => JSON.parse(raw as string) as T;
export const decodePgJson: DecodeJson = <T>(raw: unknown): T => raw as T;

export const ROLES: readonly Role[] = ['admin', 'engineer', 'manager'];
export const HOUR_MS = 3_600_000;

/**
 * A token's lastUsedAt moves only when it is this much older than the request: stamping every
 * request made each authenticated API call a synchronous=FULL commit (12–35 ms here), for a
 * field people read in days.
 */
export const LAST_USED_RESOLUTION_MS = 60_000;
export const needsStamp = (lastUsedAt: number | null, now: number): boolean =>
  lastUsedAt === null || now - lastUsedAt >= LAST_USED_RESOLUTION_MS;

/**
 * Role rules common to both stores; returns the sites to store (none unless manager). The caller
 * then checks, inside its transaction, that each returned site exists (refuseMissingSites).
 */
export function userSites(user: User): string[] {
  if (typeof user.id !== 'string' || user.id === '') throw new StoreError('STORE_INVALID', 'user id must be a non-empty string');
  if (!ROLES.includes(user.role)) {
    throw new StoreError('STORE_INVALID', `user ${user.id}: role must be one of ${ROLES.join(', ')}, got "${String(user.role)}"`);
  }
  if (user.role !== 'manager') return [];
  const sites = Array.isArray(user.sites) ? [...new Set(user.sites)] : [];
  if (sites.length === 0) throw new StoreError('STORE_INVALID', `user ${user.id}: a manager must name at least one site`);
  return sites;
}

export function refuseMissingSites(userId: string, missing: readonly string[]): void {
  if (missing.length > 0) throw new StoreError('STORE_INVALID', `user ${userId}: site ${missing.join(', ')} does not exist`);
}

/** Non-negative integer epoch ms, named for the error. */
export function checkEpoch(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new StoreError('STORE_INVALID', `${field} must be a non-negative integer (epoch ms), got ${value}`);
  return value;
}

/** Rollup bounds are whole UTC hours, from <= to. */
export function checkHourRange(fromHour: number, toHour: number): void {
  for (const [field, v] of [['fromHour', fromHour], ['toHour', toHour]] as const) {
    if (checkEpoch(field, v) % HOUR_MS !== 0) throw new StoreError('STORE_INVALID', `${field} must be the start of a UTC hour (a multiple of ${HOUR_MS}), got ${v}`);
  }
  if (fromHour > toHour) throw new StoreError('STORE_INVALID', `fromHour ${fromHour} is after toHour ${toHour}`);
}

export interface UserRow { id: string; name: string; role: Role; sites: unknown; created_at: number }
export const toUser = (r: UserRow, json: DecodeJson): User => ({
  id: r.id, name: r.name, role: r.role, sites: json<string[]>(r.sites), createdAt: r.created_at,
});

/** A password hash is a slow-hash record, never an empty string (which could be mistaken for "no password"). */
export function checkPasswordHash(userId: string, hash: string | null): void {
  if (hash !== null && (typeof hash !== 'string' || hash === '')) throw new StoreError('STORE_INVALID', `user ${userId}: password hash must be a non-empty string or null`);
}

export interface TokenRow {
  id: string; user_id: string; label: string; created_at: number; expires_at: number | null;
  revoked_at: number | null; last_used_at: number | null;
}
export const TOKEN_COLUMNS = 'id, user_id, label, created_at, expires_at, revoked_at, last_used_at';
export const toToken = (r: TokenRow): ApiToken => ({
  id: r.id, userId: r.user_id, label: r.label, createdAt: r.created_at, expiresAt: r.expires_at,
  revokedAt: r.revoked_at, lastUsedAt: r.last_used_at,
});

export interface CommandRow {
  id: string; gateway_id: string; device_id: string; request: unknown; state: CommandState; created_at: number;
  created_by: string; result: unknown; completed_at: number | null;
}
export const COMMAND_COLUMNS = 'id, gateway_id, device_id, request, state, created_at, created_by, result, completed_at';
export const toCommand = (r: CommandRow, json: DecodeJson): StoredCommand => ({
  id: r.id, gateway: r.gateway_id, device: r.device_id, request: json<CommandRequest>(r.request), state: r.state,
  createdAt: r.created_at, createdBy: r.created_by,
  result: r.result === null ? null : json<CommandResult>(r.result), completedAt: r.completed_at,
});

export interface DesiredConfigRow { gateway_id: string; version: number; config: unknown; created_at: number; created_by: string }
export const toDesiredConfig = (r: DesiredConfigRow, json: DecodeJson): DesiredConfigRecord => ({
  gateway: r.gateway_id, version: r.version, config: json<DesiredConfigRecord['config']>(r.config),
  createdAt: r.created_at, createdBy: r.created_by,
});

export interface ConfigStateRow { config_version: number | null; config_applied_at: number | null; config_rejected: unknown }
export const toConfigState = (r: ConfigStateRow, json: DecodeJson): GatewayConfigState => ({
  version: r.config_version ?? 0, appliedAt: r.config_applied_at,
  rejected: r.config_rejected === null ? null : json<NonNullable<GatewayConfigState['rejected']>>(r.config_rejected),
});

/** A gateways row's config state beside MAX(desired_configs.version) (store-read-model.ts listConfigSync). */
export interface ConfigSyncRow extends ConfigStateRow { id: string; desired_version: number | null }
export const toConfigSync = (r: ConfigSyncRow, json: DecodeJson): GatewayConfigSync => ({
  gateway: r.id, desiredVersion: r.desired_version, reported: toConfigState(r, json),
});

export interface RollupDbRow {
  gateway_id: string; device_id: string; point: string; hour: number; count: number; min: number | null;
  max: number | null; avg: number | null; last: unknown; last_ts: number;
}
export const toRollup = (r: RollupDbRow, json: DecodeJson): RollupRow => ({
  gateway: r.gateway_id, device: r.device_id, point: r.point, hour: r.hour, count: r.count, min: r.min, max: r.max,
  avg: r.avg, last: json<WireValue>(r.last), lastTs: r.last_ts,
});

export interface EnrollmentRow {
  site_id: string; gateway_id: string; name: string; created_at: number; expires_at: number; created_by: string; used_at: number | null;
}
export const ENROLLMENT_COLUMNS = 'site_id, gateway_id, name, created_at, expires_at, created_by, used_at';
export const toEnrollment = (r: EnrollmentRow): Enrollment => ({
  site: r.site_id, gatewayId: r.gateway_id, name: r.name, createdAt: r.created_at, expiresAt: r.expires_at,
  createdBy: r.created_by, usedAt: r.used_at,
});
