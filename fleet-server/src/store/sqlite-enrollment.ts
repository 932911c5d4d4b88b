import type { Database, Statement } from 'better-sqlite3';
import type { Enrollment, EnrollmentInput } from './store-api-types.js';
import { ENROLLMENT_COLUMNS, toEnrollment, type EnrollmentRow } from './store-api-rows.js';
import { StoreError } from './store-error.js';
import { runReferencing } from './sqlite-foreign-key.js';
import { runUnique } from './sqlite-unique.js';

/** One-time gateway enrollment tokens (issue 5); only their SHA-256 is stored. */
export class SqliteEnrollment {
  private readonly insert: Statement<[string, string, string, string, number, number, string]>;
  private readonly consume: Statement<[number, string, number]>;
  private readonly find: Statement<[string]>;

  constructor(db: Database) {
    this.insert = db.prepare(`INSERT INTO enrollments (hash, site_id, gateway_id, name, created_at, expires_at, created_by)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    // One statement: the check and the mark cannot be split by another consumer.
    this.consume = db.prepare(`UPDATE enrollments SET used_at = ?
      WHERE hash = ? AND used_at IS NULL AND expires_at > ? RETURNING ${ENROLLMENT_COLUMNS}`);
    this.find = db.prepare(`SELECT ${ENROLLMENT_COLUMNS} FROM enrollments WHERE hash = ?`);
  }

  createEnrollment(e: EnrollmentInput): Enrollment {
    if (typeof e.hash !== 'string' || e.hash === '') throw new StoreError('STORE_INVALID', 'enrollment hash must be a non-empty string');
    if (!(e.expiresAt > e.createdAt)) {
      throw new StoreError('STORE_INVALID', `enrollment for ${e.gatewayId}: expiresAt ${e.expiresAt} must be after createdAt ${e.createdAt}`);
    }
    runUnique('enrollment token', () => runReferencing(`enrollment for ${e.gatewayId}`, `site ${e.site}`, () =>
      this.insert.run(e.hash, e.site, e.gatewayId, e.name, e.createdAt, e.expiresAt, e.createdBy)));
    return { site: e.site, gatewayId: e.gatewayId, name: e.name, createdAt: e.createdAt, expiresAt: e.expiresAt, createdBy: e.createdBy, usedAt: null };
  }

  consumeEnrollment(hash: string, now: number): Enrollment | undefined {
    const row = this.consume.get(now, hash, now) as EnrollmentRow | undefined;
    return row && toEnrollment(row);
  }

  findEnrollment(hash: string): Enrollment | undefined {
    const row = this.find.get(hash) as EnrollmentRow | undefined;
    return row && toEnrollment(row);
  }
}
