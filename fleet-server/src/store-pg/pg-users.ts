import type pg from 'pg';
import type { ApiToken, ApiTokenInput, User } from '../store/store-api-types.js';
import {
  LAST_USED_RESOLUTION_MS, TOKEN_COLUMNS, checkPasswordHash, decodePgJson, refuseMissingSites, toToken, toUser, userSites, type TokenRow, type UserRow,
} from '../store/store-api-rows.js';
import { StoreError } from '../store/store-error.js';
import { inTransaction, runUnique } from './pg-db.js';

/** Byte order, like SQLite's default BINARY collation. */
const C = 'COLLATE "C"';

/** API users and their bearer tokens on PostgreSQL (only the SHA-256 of a token is stored). */
export class PgUsers {
  constructor(private readonly pool: pg.Pool) {}

  async createUser(user: User): Promise<void> {
    const sites = userSites(user);
    // No site is ever deleted, so checking before the insert cannot be invalidated meanwhile.
    const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM sites WHERE id = ANY($1::text[])', [sites]);
    const found = new Set(rows.map((r) => r.id));
    refuseMissingSites(user.id, sites.filter((s) => !found.has(s)));
    await runUnique(`user ${user.id}`, () => this.pool.query(
      'INSERT INTO users (id, name, role, sites, created_at) VALUES ($1, $2, $3, $4::jsonb, $5)',
      [user.id, user.name, user.role, JSON.stringify(sites), user.createdAt]));
  }

  async getUser(id: string): Promise<User | undefined> {
    const row = (await this.pool.query<UserRow>('SELECT * FROM users WHERE id = $1', [id])).rows[0];
    return row && toUser(row, decodePgJson);
  }

  async listUsers(): Promise<User[]> {
    return (await this.pool.query<UserRow>(`SELECT * FROM users ORDER BY id ${C}`)).rows.map((r) => toUser(r, decodePgJson));
  }

  async deleteUser(id: string, at: number): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      const { rowCount } = await c.query('DELETE FROM users WHERE id = $1', [id]);
      if (rowCount === 0) throw new StoreError('STORE_NOT_FOUND', `user ${id} does not exist`);
      await c.query('UPDATE tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL', [at, id]);
    });
  }

  /** One statement: the user check and the insert cannot be split by a concurrent deleteUser. */
  async createToken(t: ApiTokenInput): Promise<ApiToken> {
    if (typeof t.hash !== 'string' || t.hash === '') throw new StoreError('STORE_INVALID', `token ${t.id}: hash must be a non-empty string`);
    const { rows } = await runUnique(`token ${t.id} (or its hash)`, () => this.pool.query<TokenRow>(
      `INSERT INTO tokens (id, hash, user_id, label, created_at, expires_at)
       SELECT $1::text, $2::text, $3::text, $4::text, $5::bigint, $6::bigint WHERE EXISTS (SELECT 1 FROM users WHERE id = $3) RETURNING ${TOKEN_COLUMNS}`,
      [t.id, t.hash, t.userId, t.label, t.createdAt, t.expiresAt]));
    const row = rows[0];
    if (!row) throw new StoreError('STORE_INVALID', `token ${t.id}: user ${t.userId} does not exist`);
    return toToken(row);
  }

  async authenticateToken(hash: string, now: number): Promise<{ token: ApiToken; user: User } | undefined> {
    const { rows } = await this.pool.query<TokenRow & { u_name: string; u_role: User['role']; u_sites: unknown; u_created_at: number }>(
      // The stamp only when the last one is LAST_USED_RESOLUTION_MS old: most requests only read.
      `WITH live AS (
         SELECT t.id, t.user_id, t.label, t.created_at, t.expires_at, t.revoked_at, t.last_used_at,
           u.name AS u_name, u.role AS u_role, u.sites AS u_sites, u.created_at AS u_created_at
         FROM tokens t JOIN users u ON u.id = t.user_id
         WHERE t.hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)),
       stamped AS (
         UPDATE tokens SET last_used_at = $2
         WHERE id IN (SELECT id FROM live WHERE last_used_at IS NULL OR $2 - last_used_at >= $3)
         RETURNING id)
       SELECT live.id, live.user_id, live.label, live.created_at, live.expires_at, live.revoked_at,
         CASE WHEN stamped.id IS NULL THEN live.last_used_at ELSE $2 END AS last_used_at,
         live.u_name, live.u_role, live.u_sites, live.u_created_at
       FROM live LEFT JOIN stamped ON stamped.id = live.id`,
      [hash, now, LAST_USED_RESOLUTION_MS]);
    const r = rows[0];
    if (!r) return undefined;
    return {
      token: toToken(r),
      user: toUser({ id: r.user_id, name: r.u_name, role: r.u_role, sites: r.u_sites, created_at: r.u_created_at }, decodePgJson),
    };
  }

  async listTokens(userId?: string): Promise<ApiToken[]> {
    const { rows } = userId === undefined
      ? await this.pool.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM tokens ORDER BY created_at, id ${C}`)
      : await this.pool.query<TokenRow>(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE user_id = $1 ORDER BY created_at, id ${C}`, [userId]);
    return rows.map(toToken);
  }

  /** A second revoke keeps the first time: the token died then. */
  async revokeToken(id: string, at: number): Promise<void> {
    const { rowCount } = await this.pool.query('UPDATE tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2', [at, id]);
    if (rowCount === 0) throw new StoreError('STORE_NOT_FOUND', `token ${id} does not exist`);
  }

  async setPasswordHash(id: string, hash: string | null): Promise<void> {
    checkPasswordHash(id, hash);
    const { rowCount } = await this.pool.query('UPDATE users SET password_hash = $1 WHERE id = $2', [hash, id]);
    if (rowCount === 0) throw new StoreError('STORE_NOT_FOUND', `user ${id} does not exist`);
  }

  async passwordHash(id: string): Promise<string | undefined> {
    const row = (await this.pool.query<{ password_hash: string | null }>('SELECT password_hash FROM users WHERE id = $1', [id])).rows[0];
    return row?.password_hash ?? undefined;
  }
}
