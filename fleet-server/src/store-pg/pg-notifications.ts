import type pg from 'pg';
import { StoreError } from '../store/store-error.js';
import type { AttemptInput, Notification, NotificationAttempt, NotificationInput, NotificationStatus } from '../store/store-types.js';
import { inTransaction, runReferencing } from './pg-db.js';
import type { Queryable } from './pg-db.js';
import { NOTIFICATION_COLUMNS, toAttempt, toNotification, type AttemptRow, type NotificationRow } from '../store/store-rows.js';

/** How long a claim holds before another claimer may take the notification (same as SQLite). */
export const PG_DEFAULT_LEASE_MS = 60_000;


async function selectNotification(db: Queryable, id: number, lock = false): Promise<Notification | undefined> {
  const row = (await db.query<NotificationRow>(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])).rows[0];
  return row && toNotification(row);
}

/** The durable notification outbox and its attempt log, safe for several server instances. */
export class PgNotifications {
  constructor(private readonly pool: pg.Pool) {}

  async enqueueNotification(n: NotificationInput): Promise<Notification> {
    await runReferencing(`notification ${n.key}`, `alert ${n.alertId}`, () => this.pool.query(
      `INSERT INTO notifications (key, alert_id, recipient, body, status, not_before, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, 'pending', $5, $5, $6) ON CONFLICT (key) DO NOTHING`,
      [n.key, n.alertId, n.recipient, n.body, n.notBefore, n.createdAt]));
    const row = (await this.pool.query<NotificationRow>(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE key = $1`, [n.key])).rows[0];
    if (!row) throw new StoreError('STORE_NOT_FOUND', `notification ${n.key} vanished after enqueue`);
    return toNotification(row);
  }

  async getNotification(id: number): Promise<Notification | undefined> {
    return selectNotification(this.pool, id);
  }

  /**
   * One statement: FOR UPDATE SKIP LOCKED makes a concurrent claimer pass over rows another is
   * leasing, and READ COMMITTED re-checks the WHERE on a row updated meanwhile, so no two
   * instances get the same notification (ARCHITECTURE.md "Scale-out").
   */
  async claimDueNotifications(now: number, limit: number, leaseMs = PG_DEFAULT_LEASE_MS): Promise<Notification[]> {
    const { rows } = await this.pool.query<NotificationRow & { due_at: number }>(
      `WITH due AS (
         SELECT id, next_attempt_at AS due_at FROM notifications
         WHERE status IN ('pending', 'sending') AND next_attempt_at <= $1
         ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE notifications n SET status = 'sending', next_attempt_at = $3 FROM due WHERE n.id = due.id
       RETURNING n.*, due.due_at`,
      [now, limit, now + leaseMs]);
    // UPDATE ... RETURNING has no order: restore the claim order (oldest schedule first).
    rows.sort((a, b) => a.due_at - b.due_at || a.id - b.id);
    return rows.map(toNotification);
  }

  async recordAttempt(id: number, a: AttemptInput): Promise<Notification> {
    return inTransaction(this.pool, async (c) => {
      const current = await selectNotification(c, id, true);
      if (!current) throw new StoreError('STORE_NOT_FOUND', `notification ${id} does not exist`);
      if (current.status === 'sent' || current.status === 'failed') {
        throw new StoreError('STORE_INVALID', `notification ${id} is already ${current.status}: no further attempts`);
      }
      if (a.outcome === 'retry' && a.nextAttemptAt === undefined) {
        throw new StoreError('STORE_INVALID', `notification ${id}: a retry needs nextAttemptAt`);
      }
      const next = a.outcome === 'retry' ? (a.nextAttemptAt ?? a.at) : current.nextAttemptAt;
      await c.query(`INSERT INTO notification_attempts (notification_id, attempt, at, outcome, reply, next_attempt_at)
        VALUES ($1, $2, $3, $4, $5, $6)`, [id, current.attempts + 1, a.at, a.outcome, a.reply, a.outcome === 'retry' ? next : null]);
      const status: NotificationStatus = a.outcome === 'retry' ? 'pending' : a.outcome;
      const { rows } = await c.query<NotificationRow>(`UPDATE notifications SET status = $1, attempts = attempts + 1,
        next_attempt_at = $2, sent_at = $3 WHERE id = $4 RETURNING ${NOTIFICATION_COLUMNS}`, [status, next, a.outcome === 'sent' ? a.at : null, id]);
      const row = rows[0];
      if (!row) throw new StoreError('STORE_NOT_FOUND', `notification ${id} does not exist`);
      return toNotification(row);
    });
  }

  async listAttempts(id: number): Promise<NotificationAttempt[]> {
    const { rows } = await this.pool.query<AttemptRow>('SELECT * FROM notification_attempts WHERE notification_id = $1 ORDER BY attempt', [id]);
    return rows.map(toAttempt);
  }
}
