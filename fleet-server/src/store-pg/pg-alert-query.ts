import type pg from 'pg';
import { checkLimit } from '../store/query-limit.js';
import type { AlertQuery } from '../store/store-api-types.js';
import type { Alert, Notification } from '../store/store-types.js';
import { NOTIFICATION_COLUMNS, toAlert, toNotification, type AlertRow, type NotificationRow } from '../store/store-rows.js';

/** The API's alert listing and each alert's notifications, on PostgreSQL. */
export class PgAlertQuery {
  constructor(private readonly pool: pg.Pool) {}

  /** A NULL parameter switches its filter off; an empty array matches nothing (= ANY('{}') is false). */
  async listAlerts(q: AlertQuery): Promise<Alert[]> {
    const { rows } = await this.pool.query<AlertRow>(`SELECT * FROM alerts
      WHERE ($1::text[] IS NULL OR state = ANY($1::text[]))
        AND ($2::text[] IS NULL OR gateway_id IN (SELECT id FROM gateways WHERE site_id = ANY($2::text[])))
        AND ($3::text IS NULL OR gateway_id = $3)
        AND ($4::text IS NULL OR device_id = $4)
        AND ($5::text[] IS NULL OR severity = ANY($5::text[]))
        AND ($6::bigint IS NULL OR raised_at >= $6)
        AND ($7::bigint IS NULL OR raised_at < $7)
        AND ($9::bigint IS NULL OR (raised_at, id) < ($9::bigint, $10::bigint))
      ORDER BY raised_at DESC, id DESC LIMIT $8`,
    [q.states ?? null, q.sites ?? null, q.gateway ?? null, q.device ?? null, q.severities ?? null, q.from ?? null, q.to ?? null, checkLimit(q.limit),
      q.before?.raisedAt ?? null, q.before?.id ?? null]);
    return rows.map(toAlert);
  }

  async listNotificationsForAlert(alertId: number): Promise<Notification[]> {
    const { rows } = await this.pool.query<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE alert_id = $1 ORDER BY id`, [alertId]);
    return rows.map(toNotification);
  }
}
