import type pg from 'pg';
import type { GatewayStatus } from '@edgefleet/protocol';
import { checkBaseVersion } from '../store/check-base-version.js';
import { checkLimit } from '../store/query-limit.js';
import type { DesiredConfigRecord, GatewayConfigState } from '../store/store-api-types.js';
import { decodePgJson, toConfigState, toDesiredConfig, type ConfigStateRow, type DesiredConfigRow } from '../store/store-api-rows.js';
import { StoreError } from '../store/store-error.js';
import { inTransaction } from './pg-db.js';

type ReportedConfig = NonNullable<GatewayStatus['config']>;

/** Desired configs (versioned per gateway) and what each gateway last reported running, on PostgreSQL. */
export class PgConfigs {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Locking the gateway row serialises puts for one gateway across instances: the next put reads
   * MAX(version) only after this one committed (READ COMMITTED takes a fresh snapshot per statement).
   * NO KEY UPDATE does not block inserts that merely reference the gateway.
   */
  async putDesiredConfig(gatewayId: string, config: DesiredConfigRecord['config'], at: number, by: string, baseVersion?: number): Promise<DesiredConfigRecord> {
    return inTransaction(this.pool, async (c) => {
      // The row lock serialises puts of one gateway, so the latest read below cannot change before the insert.
      const { rowCount } = await c.query('SELECT 1 FROM gateways WHERE id = $1 FOR NO KEY UPDATE', [gatewayId]);
      if (rowCount === 0) throw new StoreError('STORE_NOT_FOUND', `gateway ${gatewayId} does not exist`);
      if (baseVersion !== undefined) {
        const latest = await c.query<{ version: number | null }>('SELECT MAX(version) AS version FROM desired_configs WHERE gateway_id = $1', [gatewayId]);
        checkBaseVersion(gatewayId, latest.rows[0]?.version ?? 0, baseVersion);
      }
      const { rows } = await c.query<DesiredConfigRow>(
        `INSERT INTO desired_configs (gateway_id, version, config, created_at, created_by)
         SELECT $1::text, COALESCE(MAX(version), 0) + 1, $2::jsonb, $3::bigint, $4::text FROM desired_configs WHERE gateway_id = $1 RETURNING *`,
        [gatewayId, JSON.stringify(config), at, by]);
      const row = rows[0];
      if (!row) throw new Error(`desired config of ${gatewayId}: insert returned no row`);
      return toDesiredConfig(row, decodePgJson);
    });
  }

  async latestDesiredConfig(gatewayId: string): Promise<DesiredConfigRecord | undefined> {
    return (await this.listDesiredConfigs(gatewayId, 1))[0];
  }

  async listDesiredConfigs(gatewayId: string, limit?: number): Promise<DesiredConfigRecord[]> {
    const { rows } = await this.pool.query<DesiredConfigRow>(
      'SELECT * FROM desired_configs WHERE gateway_id = $1 ORDER BY version DESC LIMIT $2', [gatewayId, checkLimit(limit)]);
    return rows.map((r) => toDesiredConfig(r, decodePgJson));
  }

  /** The status topic carries the whole state each time, so absent fields clear what was stored. */
  async setGatewayConfigState(gatewayId: string, state: ReportedConfig): Promise<void> {
    const rejected = state.rejected === undefined ? null : JSON.stringify(state.rejected);
    const { rowCount } = await this.pool.query(
      'UPDATE gateways SET config_version = $1, config_applied_at = $2, config_rejected = $3::jsonb WHERE id = $4',
      [state.version, state.appliedAt ?? null, rejected, gatewayId]);
    if (rowCount === 0) throw new StoreError('STORE_NOT_FOUND', `gateway ${gatewayId} does not exist`);
  }

  async gatewayConfigState(gatewayId: string): Promise<GatewayConfigState> {
    const row = (await this.pool.query<ConfigStateRow>(
      'SELECT config_version, config_applied_at, config_rejected FROM gateways WHERE id = $1', [gatewayId])).rows[0];
    if (!row) throw new StoreError('STORE_NOT_FOUND', `gateway ${gatewayId} does not exist`);
    return toConfigState(row, decodePgJson);
  }
}
