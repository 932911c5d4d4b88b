import type pg from 'pg';
import type { Enrollment, EnrollmentInput } from '../store/store-api-types.js';
import { ENROLLMENT_COLUMNS, toEnrollment, type EnrollmentRow } from '../store/store-api-rows.js';
import { StoreError } from '../store/store-error.js';
import { runReferencing, runUnique } from './pg-db.js';

/** One-time gateway enrollment tokens (issue 5) on PostgreSQL; only their SHA-256 is stored. */
export async function createEnrollmentPg(pool: pg.Pool, e: EnrollmentInput): Promise<Enrollment> {
  if (typeof e.hash !== 'string' || e.hash === '') throw new StoreError('STORE_INVALID', 'enrollment hash must be a non-empty string');
  if (!(e.expiresAt > e.createdAt)) {
    throw new StoreError('STORE_INVALID', `enrollment for ${e.gatewayId}: expiresAt ${e.expiresAt} must be after createdAt ${e.createdAt}`);
  }
  await runUnique('enrollment token', () => runReferencing(`enrollment for ${e.gatewayId}`, `site ${e.site}`, () => pool.query(
    `INSERT INTO enrollments (hash, site_id, gateway_id, name, created_at, expires_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.hash, e.site, e.gatewayId, e.name, e.createdAt, e.expiresAt, e.createdBy])));
  return { site: e.site, gatewayId: e.gatewayId, name: e.name, createdAt: e.createdAt, expiresAt: e.expiresAt, createdBy: e.createdBy, usedAt: null };
}

/**
 * One guarded UPDATE: of concurrent consumers, the first to lock the row marks it used; the others
 * re-check `used_at IS NULL` on the updated row (READ COMMITTED) and get nothing.
 */
export async function consumeEnrollmentPg(pool: pg.Pool, hash: string, now: number): Promise<Enrollment | undefined> {
  const { rows } = await pool.query<EnrollmentRow>(`UPDATE enrollments SET used_at = $2
    WHERE hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING ${ENROLLMENT_COLUMNS}`, [hash, now]);
  const row = rows[0];
  return row && toEnrollment(row);
}

/** The token with this hash, used or not (only to say why a consume failed). */
export async function findEnrollmentPg(pool: pg.Pool, hash: string): Promise<Enrollment | undefined> {
  const { rows } = await pool.query<EnrollmentRow>(`SELECT ${ENROLLMENT_COLUMNS} FROM enrollments WHERE hash = $1`, [hash]);
  const row = rows[0];
  return row && toEnrollment(row);
}
