import type { Database, Statement } from 'better-sqlite3';
import { runReferencing } from './sqlite-foreign-key.js';
import { StoreError } from './store-error.js';
import type { AttemptInput, Notification, NotificationAttempt, NotificationInput, NotificationStatus } from './store-types.js';
import { NOTIFICATION_COLUMNS, toAttempt, toNotification, type AttemptRow, type NotificationRow } from './store-rows.js';

/** How long a claim holds before another claimer may take the notification (a crashed sender). */
export const DEFAULT_LEASE_MS = 60_000;


/** The durable notification outbox and its attempt log. */
export class SqliteNotifications {
  private readonly insert: Statement<[string, number | null, string, string, number, number, number]>;
  private readonly selectByKey: Statement<[string]>;
  private readonly selectById: Statement<[number]>;
  private readonly selectDue: Statement<[number, number]>;
  private readonly lease: Statement<[number, number]>;
  private readonly insertAttempt: Statement<[number, number, number, string, string, number | null]>;
  private readonly afterAttempt: Statement<[NotificationStatus, number, number | null, number]>;
  private readonly selectAttempts: Statement<[number]>;
  readonly enqueueNotification: (input: NotificationInput) => Notification;
  readonly claimDueNotifications: (now: number, limit: number, leaseMs?: number) => Notification[];
  readonly recordAttempt: (id: number, attempt: AttemptInput) => Notification;

  constructor(db: Database) {
    this.insert = db.prepare(`INSERT OR IGNORE INTO notifications (key, alert_id, recipient, body, status, not_before, next_attempt_at, created_at)
      VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)`);
    this.selectByKey = db.prepare(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE key = ?`);
    this.selectById = db.prepare(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE id = ?`);
    this.selectDue = db.prepare(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications
      WHERE status IN ('pending', 'sending') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`);
    this.lease = db.prepare(`UPDATE notifications SET status = 'sending', next_attempt_at = ? WHERE id = ?`);
    this.insertAttempt = db.prepare(`INSERT INTO notification_attempts (notification_id, attempt, at, outcome, reply, next_attempt_at)
      VALUES (?, ?, ?, ?, ?, ?)`);
    this.afterAttempt = db.prepare(`UPDATE notifications SET status = ?, attempts = attempts + 1,
      next_attempt_at = ?, sent_at = ? WHERE id = ?`);
    this.selectAttempts = db.prepare('SELECT * FROM notification_attempts WHERE notification_id = ? ORDER BY attempt');

    this.enqueueNotification = db.transaction((n: NotificationInput): Notification => {
      runReferencing(`notification ${n.key}`, `alert ${n.alertId}`, () =>
        this.insert.run(n.key, n.alertId, n.recipient, n.body, n.notBefore, n.notBefore, n.createdAt));
      return toNotification(this.selectByKey.get(n.key) as NotificationRow);
    });
    this.claimDueNotifications = db.transaction((now: number, limit: number, leaseMs = DEFAULT_LEASE_MS) => {
      const due = this.selectDue.all(now, limit) as NotificationRow[];
      return due.map((row) => {
        this.lease.run(now + leaseMs, row.id);
        return toNotification({ ...row, status: 'sending', next_attempt_at: now + leaseMs });
      });
    });
    this.recordAttempt = db.transaction((id: number, a: AttemptInput): Notification => {
      const current = this.mustGet(id);
      if (current.status === 'sent' || current.status === 'failed') {
        throw new StoreError('STORE_INVALID', `notification ${id} is already ${current.status}: no further attempts`);
      }
      if (a.outcome === 'retry' && a.nextAttemptAt === undefined) {
        throw new StoreError('STORE_INVALID', `notification ${id}: a retry needs nextAttemptAt`);
      }
      const next = a.outcome === 'retry' ? (a.nextAttemptAt ?? a.at) : current.nextAttemptAt;
      this.insertAttempt.run(id, current.attempts + 1, a.at, a.outcome, a.reply, a.outcome === 'retry' ? next : null);
      const status: NotificationStatus = a.outcome === 'retry' ? 'pending' : a.outcome;
      this.afterAttempt.run(status, next, a.outcome === 'sent' ? a.at : null, id);
      return this.mustGet(id);
    });
  }

  getNotification(id: number): Notification | undefined {
    const row = this.selectById.get(id) as NotificationRow | undefined;
    return row && toNotification(row);
  }

  listAttempts(id: number): NotificationAttempt[] {
    return (this.selectAttempts.all(id) as AttemptRow[]).map(toAttempt);
  }

  private mustGet(id: number): Notification {
    const n = this.getNotification(id);
    if (!n) throw new StoreError('STORE_NOT_FOUND', `notification ${id} does not exist`);
    return n;
  }
}
