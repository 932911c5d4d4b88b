import type pg from 'pg';
import { StoreError } from '../store/store-error.js';
import type { Alert, AlertFields, AlertKey, AlertState, OpenAlertResult } from '../store/store-types.js';
import { inTransaction } from './pg-db.js';
import type { Queryable } from './pg-db.js';
import { ALERT_TRANSITIONS, toAlert, type AlertRow } from '../store/store-rows.js';

/** A resolve racing an open can empty the slot between our insert and select: retry a few times. */
const OPEN_ATTEMPTS = 3;

async function selectAlert(db: Queryable, id: number, lock = false): Promise<Alert | undefined> {
  const row = (await db.query<AlertRow>(`SELECT * FROM alerts WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])).rows[0];
  return row && toAlert(row);
}

/** Alerts: one open per (gateway, device, rule), enforced by the partial unique index alerts_one_open. */
export class PgAlerts {
  constructor(private readonly pool: pg.Pool) {}

  /** Insert-or-nothing against the partial index, so concurrent server instances raise one alert. */
  async openAlert(key: AlertKey, f: AlertFields): Promise<OpenAlertResult> {
    for (let i = 0; i < OPEN_ATTEMPTS; i++) {
      const inserted = await this.pool.query<AlertRow>(
        `INSERT INTO alerts (gateway_id, device_id, rule, state, severity, message, raised_at, updated_at)
         VALUES ($1, $2, $3, 'raised', $4, $5, $6, $6)
         ON CONFLICT (gateway_id, device_id, rule) WHERE state <> 'resolved' DO NOTHING RETURNING *`,
        [key.gateway, key.device, key.rule, f.severity, f.message, f.at]);
      const created = inserted.rows[0];
      if (created) return { alert: toAlert(created), created: true };
      const open = (await this.pool.query<AlertRow>(
        `SELECT * FROM alerts WHERE gateway_id = $1 AND device_id = $2 AND rule = $3 AND state <> 'resolved'`,
        [key.gateway, key.device, key.rule])).rows[0];
      if (open) return { alert: toAlert(open), created: false };
    }
    throw new Error(`alert ${key.gateway}/${key.device}/${key.rule}: open/resolve kept racing, gave up after ${OPEN_ATTEMPTS} tries`);
  }

  async getAlert(id: number): Promise<Alert | undefined> {
    return selectAlert(this.pool, id);
  }

  async listOpenAlerts(gatewayId?: string): Promise<Alert[]> {
    const { rows } = gatewayId === undefined
      ? await this.pool.query<AlertRow>(`SELECT * FROM alerts WHERE state <> 'resolved' ORDER BY id`)
      : await this.pool.query<AlertRow>(`SELECT * FROM alerts WHERE gateway_id = $1 AND state <> 'resolved' ORDER BY id`, [gatewayId]);
    return rows.map(toAlert);
  }

  /** Row-locked read-check-write, so two instances cannot both move the same alert. */
  async transitionAlert(id: number, to: AlertState, at: number, by?: string): Promise<Alert> {
    return inTransaction(this.pool, async (c) => {
      const current = await selectAlert(c, id, true);
      if (!current) throw new StoreError('STORE_NOT_FOUND', `alert ${id} does not exist`);
      if (!ALERT_TRANSITIONS[current.state].includes(to)) {
        throw new StoreError('ALERT_TRANSITION', `alert ${id}: cannot go from ${current.state} to ${to}`);
      }
      const acked = to === 'acknowledged';
      const { rows } = await c.query<AlertRow>(`UPDATE alerts SET state = $1, updated_at = $2,
        acknowledged_at = COALESCE($3, acknowledged_at), acknowledged_by = COALESCE($4, acknowledged_by),
        resolved_at = COALESCE($5, resolved_at) WHERE id = $6 RETURNING *`,
      [to, at, acked ? at : null, acked ? (by ?? null) : null, to === 'resolved' ? at : null, id]);
      const row = rows[0];
      if (!row) throw new StoreError('STORE_NOT_FOUND', `alert ${id} does not exist`);
      return toAlert(row);
    });
  }
}
