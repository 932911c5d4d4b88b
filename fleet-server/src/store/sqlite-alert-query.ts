import type { Database, Statement } from 'better-sqlite3';
import { checkLimit } from './query-limit.js';
import type { AlertQuery } from './store-api-types.js';
import type { Alert, Notification } from './store-types.js';
import { NOTIFICATION_COLUMNS, toAlert, toNotification, type AlertRow, type NotificationRow } from './store-rows.js';


/** A list filter as JSON text for json_each, or null for "no filter" (an empty list matches nothing). */
const list = (values: readonly string[] | undefined): string | null => (values === undefined ? null : JSON.stringify(values));

/** The API's alert listing and each alert's notifications. */
export class SqliteAlertQuery {
  private readonly select: Statement<[Record<string, string | number | null>]>;
  private readonly notifications: Statement<[number]>;

  constructor(db: Database) {
    // One statement for every filter combination: a NULL parameter switches its filter off.
    this.select = db.prepare(`SELECT * FROM alerts
      WHERE (@states IS NULL OR state IN (SELECT value FROM json_each(@states)))
        AND (@sites IS NULL OR gateway_id IN (SELECT id FROM gateways WHERE site_id IN (SELECT value FROM json_each(@sites))))
        AND (@gateway IS NULL OR gateway_id = @gateway)
        AND (@device IS NULL OR device_id = @device)
        AND (@severities IS NULL OR severity IN (SELECT value FROM json_each(@severities)))
        AND (@from IS NULL OR raised_at >= @from)
        AND (@to IS NULL OR raised_at < @to)
        AND (@beforeAt IS NULL OR raised_at < @beforeAt OR (raised_at = @beforeAt AND id < @beforeId))
      ORDER BY raised_at DESC, id DESC LIMIT @limit`);
    this.notifications = db.prepare(`SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE alert_id = ? ORDER BY id`);
  }

  listAlerts(q: AlertQuery): Alert[] {
    const limit = checkLimit(q.limit);
    const rows = this.select.all({
      states: list(q.states), sites: list(q.sites), gateway: q.gateway ?? null, device: q.device ?? null,
      severities: list(q.severities), from: q.from ?? null, to: q.to ?? null,
      beforeAt: q.before?.raisedAt ?? null, beforeId: q.before?.id ?? null, limit,
    }) as AlertRow[];
    return rows.map(toAlert);
  }

  listNotificationsForAlert(alertId: number): Notification[] {
    return (this.notifications.all(alertId) as NotificationRow[]).map(toNotification);
  }
}
