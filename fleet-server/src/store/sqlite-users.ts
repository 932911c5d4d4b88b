import type { Database, Statement } from 'better-sqlite3';
import type { ApiToken, ApiTokenInput, User } from './store-api-types.js';
import {
  TOKEN_COLUMNS, checkPasswordHash, decodeSqliteJson, needsStamp, refuseMissingSites, toToken, toUser, userSites, type TokenRow, type UserRow,
} from './store-api-rows.js';
import { StoreError } from './store-error.js';
import { runUnique } from './sqlite-unique.js';

/** API users and their bearer tokens (only the SHA-256 of a token is stored). */
export class SqliteUsers {
  private readonly s: Record<string, Statement>;
  readonly createUser: (user: User) => void;
  readonly deleteUser: (id: string, at: number) => void;
  readonly createToken: (token: ApiTokenInput) => ApiToken;
  readonly authenticateToken: (hash: string, now: number) => { token: ApiToken; user: User } | undefined;

  constructor(db: Database) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      siteExists: p('SELECT 1 FROM sites WHERE id = ?'),
      insertUser: p('INSERT INTO users (id, name, role, sites, created_at) VALUES (?, ?, ?, ?, ?)'),
      getUser: p('SELECT * FROM users WHERE id = ?'),
      listUsers: p('SELECT * FROM users ORDER BY id'),
      deleteUser: p('DELETE FROM users WHERE id = ?'),
      revokeOfUser: p('UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL'),
      insertToken: p(`INSERT INTO tokens (id, hash, user_id, label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`),
      getToken: p(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE id = ?`),
      liveByHash: p(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`),
      stamp: p('UPDATE tokens SET last_used_at = ? WHERE id = ?'),
      listTokens: p(`SELECT ${TOKEN_COLUMNS} FROM tokens ORDER BY created_at, id`),
      listTokensOfUser: p(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE user_id = ? ORDER BY created_at, id`),
      // A second revoke keeps the first time: the token died then.
      revoke: p('UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?'),
      setPassword: p('UPDATE users SET password_hash = ? WHERE id = ?'),
      getPassword: p('SELECT password_hash FROM users WHERE id = ?'),
    };

    this.createUser = db.transaction((user: User) => {
      const sites = userSites(user);
      refuseMissingSites(user.id, sites.filter((s) => this.st('siteExists').get(s) === undefined));
      runUnique(`user ${user.id}`, () => this.st('insertUser').run(user.id, user.name, user.role, JSON.stringify(sites), user.createdAt));
    });
    this.deleteUser = db.transaction((id: string, at: number) => {
      if (this.st('deleteUser').run(id).changes === 0) throw new StoreError('STORE_NOT_FOUND', `user ${id} does not exist`);
      this.st('revokeOfUser').run(at, id);
    });
    this.createToken = db.transaction((t: ApiTokenInput): ApiToken => {
      if (this.getUser(t.userId) === undefined) throw new StoreError('STORE_INVALID', `token ${t.id}: user ${t.userId} does not exist`);
      if (typeof t.hash !== 'string' || t.hash === '') throw new StoreError('STORE_INVALID', `token ${t.id}: hash must be a non-empty string`);
      runUnique(`token ${t.id} (or its hash)`, () => this.st('insertToken').run(t.id, t.hash, t.userId, t.label, t.createdAt, t.expiresAt));
      return this.mustGetToken(t.id);
    });
    this.authenticateToken = db.transaction((hash: string, now: number) => {
      const row = this.st('liveByHash').get(hash, now) as TokenRow | undefined;
      if (!row) return undefined;
      const user = this.getUser(row.user_id);
      if (!user) return undefined;
      if (!needsStamp(row.last_used_at, now)) return { token: toToken(row), user };
      this.st('stamp').run(now, row.id);
      return { token: toToken({ ...row, last_used_at: now }), user };
    });
  }

  private st(name: string): Statement {
    const statement = this.s[name];
    if (statement === undefined) throw new Error(`no prepared statement ${name}`);
    return statement;
  }

  getUser(id: string): User | undefined {
    const row = this.st('getUser').get(id) as UserRow | undefined;
    return row && toUser(row, decodeSqliteJson);
  }

  listUsers(): User[] {
    return (this.st('listUsers').all() as UserRow[]).map((r) => toUser(r, decodeSqliteJson));
  }

  listTokens(userId?: string): ApiToken[] {
    const rows = userId === undefined ? this.st('listTokens').all() : this.st('listTokensOfUser').all(userId);
    return (rows as TokenRow[]).map(toToken);
  }

  revokeToken(id: string, at: number): void {
    if (this.st('revoke').run(at, id).changes === 0) throw new StoreError('STORE_NOT_FOUND', `token ${id} does not exist`);
  }

  setPasswordHash(id: string, hash: string | null): void {
    checkPasswordHash(id, hash);
    if (this.st('setPassword').run(hash, id).changes === 0) throw new StoreError('STORE_NOT_FOUND', `user ${id} does not exist`);
  }

  passwordHash(id: string): string | undefined {
    const row = this.st('getPassword').get(id) as { password_hash: string | null } | undefined;
    return row?.password_hash ?? undefined;
  }

  private mustGetToken(id: string): ApiToken {
    const row = this.st('getToken').get(id) as TokenRow | undefined;
    if (!row) throw new StoreError('STORE_NOT_FOUND', `token ${id} does not exist`);
    return toToken(row);
  }
}
