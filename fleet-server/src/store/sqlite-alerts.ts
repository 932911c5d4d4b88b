import type { Database, Statement } from 'better-sqlite3';
import type { Severity } from '@edgefleet/protocol';
import { StoreError } from './store-error.js';
import type { Alert, AlertFields, AlertKey, AlertState, OpenAlertResult } from './store-types.js';
import { ALERT_TRANSITIONS, toAlert, type AlertRow } from './store-rows.js';

/** Alerts: one open per (gateway, device, rule), enforced by the partial unique index alerts_one_open. */
export class SqliteAlerts {
  private readonly selectOpen: Statement<[string, string, string]>;
  private readonly insert: Statement<[string, string, string, Severity, string, number, number]>;
  private readonly selectById: Statement<[number]>;
  private readonly selectAllOpen: Statement<[]>;
  private readonly selectOpenOfGateway: Statement<[string]>;
  private readonly update: Statement<[AlertState, number, number | null, string | null, number | null, number]>;
  readonly openAlert: (key: AlertKey, fields: AlertFields) => OpenAlertResult;
  readonly transitionAlert: (id: number, to: AlertState, at: number, by?: string) => Alert;

  constructor(db: Database) {
    this.selectOpen = db.prepare(`SELECT * FROM alerts WHERE gateway_id = ? AND device_id = ? AND rule = ? AND state <> 'resolved'`);
    this.insert = db.prepare(`INSERT INTO alerts (gateway_id, device_id, rule, state, severity, message, raised_at, updated_at)
      VALUES (?, ?, ?, 'raised', ?, ?, ?, ?)`);
    this.selectById = db.prepare('SELECT * FROM alerts WHERE id = ?');
    this.selectAllOpen = db.prepare(`SELECT * FROM alerts WHERE state <> 'resolved' ORDER BY id`);
    this.selectOpenOfGateway = db.prepare(`SELECT * FROM alerts WHERE gateway_id = ? AND state <> 'resolved' ORDER BY id`);
    this.update = db.prepare(`UPDATE alerts SET state = ?, updated_at = ?,
      acknowledged_at = COALESCE(?, acknowledged_at), acknowledged_by = COALESCE(?, acknowledged_by),
      resolved_at = COALESCE(?, resolved_at) WHERE id = ?`);

    // Read-then-insert in one (serialised) transaction; the unique index backs it for other writers.
    this.openAlert = db.transaction((key: AlertKey, f: AlertFields): OpenAlertResult => {
      const open = this.selectOpen.get(key.gateway, key.device, key.rule) as AlertRow | undefined;
      if (open) return { alert: toAlert(open), created: false };
      const id = Number(this.insert.run(key.gateway, key.device, key.rule, f.severity, f.message, f.at, f.at).lastInsertRowid);
      return { alert: this.mustGet(id), created: true };
    });
    this.transitionAlert = db.transaction((id: number, to: AlertState, at: number, by?: string): Alert => {
      const current = this.mustGet(id);
      if (!ALERT_TRANSITIONS[current.state].includes(to)) {
        throw new StoreError('ALERT_TRANSITION', `alert ${id}: cannot go from ${current.state} to ${to}`);
      }
      const acked = to === 'acknowledged';
      this.update.run(to, at, acked ? at : null, acked ? (by ?? null) : null, to === 'resolved' ? at : null, id);
      return this.mustGet(id);
    });
  }

  getAlert(id: number): Alert | undefined {
    const row = this.selectById.get(id) as AlertRow | undefined;
    return row && toAlert(row);
  }

  listOpenAlerts(gatewayId?: string): Alert[] {
    const rows = gatewayId === undefined ? this.selectAllOpen.all() : this.selectOpenOfGateway.all(gatewayId);
    return (rows as AlertRow[]).map(toAlert);
  }

  private mustGet(id: number): Alert {
    const alert = this.getAlert(id);
    if (!alert) throw new StoreError('STORE_NOT_FOUND', `alert ${id} does not exist`);
    return alert;
  }
}
