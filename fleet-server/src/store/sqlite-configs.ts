import type { Database, Statement } from 'better-sqlite3';
import type { GatewayStatus } from '@edgefleet/protocol';
import { checkLimit } from './query-limit.js';
import type { DesiredConfigRecord, GatewayConfigState } from './store-api-types.js';
import { decodeSqliteJson, toConfigState, toDesiredConfig, type ConfigStateRow, type DesiredConfigRow } from './store-api-rows.js';
import { checkBaseVersion } from './check-base-version.js';
import { StoreError } from './store-error.js';

type ReportedConfig = NonNullable<GatewayStatus['config']>;

/** Desired configs (versioned per gateway) and what each gateway last reported running. */
export class SqliteConfigs {
  private readonly gatewayExists: Statement<[string]>;
  private readonly nextVersion: Statement<[string]>;
  private readonly insert: Statement<[string, number, string, number, string]>;
  private readonly list: Statement<[string, number]>;
  private readonly setState: Statement<[number, number | null, string | null, string]>;
  private readonly getState: Statement<[string]>;
  readonly putDesiredConfig: (gatewayId: string, config: DesiredConfigRecord['config'], at: number, by: string, baseVersion?: number) => DesiredConfigRecord;

  constructor(db: Database) {
    this.gatewayExists = db.prepare('SELECT 1 FROM gateways WHERE id = ?');
    this.nextVersion = db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS version FROM desired_configs WHERE gateway_id = ?');
    this.insert = db.prepare('INSERT INTO desired_configs (gateway_id, version, config, created_at, created_by) VALUES (?, ?, ?, ?, ?)');
    this.list = db.prepare('SELECT * FROM desired_configs WHERE gateway_id = ? ORDER BY version DESC LIMIT ?');
    this.setState = db.prepare('UPDATE gateways SET config_version = ?, config_applied_at = ?, config_rejected = ? WHERE id = ?');
    this.getState = db.prepare('SELECT config_version, config_applied_at, config_rejected FROM gateways WHERE id = ?');

    // Read-max-then-insert in one transaction; SQLite's single writer serialises concurrent puts.
    this.putDesiredConfig = db.transaction((gatewayId: string, config: DesiredConfigRecord['config'], at: number, by: string, baseVersion?: number) => {
      if (this.gatewayExists.get(gatewayId) === undefined) throw new StoreError('STORE_NOT_FOUND', `gateway ${gatewayId} does not exist`);
      const { version } = this.nextVersion.get(gatewayId) as { version: number };
      checkBaseVersion(gatewayId, version - 1, baseVersion);
      this.insert.run(gatewayId, version, JSON.stringify(config), at, by);
      return { gateway: gatewayId, version, config, createdAt: at, createdBy: by };
    });
  }

  latestDesiredConfig(gatewayId: string): DesiredConfigRecord | undefined {
    return this.listDesiredConfigs(gatewayId, 1)[0];
  }

  listDesiredConfigs(gatewayId: string, limit?: number): DesiredConfigRecord[] {
    return (this.list.all(gatewayId, checkLimit(limit)) as DesiredConfigRow[]).map((r) => toDesiredConfig(r, decodeSqliteJson));
  }

  /** The status topic carries the whole state each time, so absent fields clear what was stored. */
  setGatewayConfigState(gatewayId: string, state: ReportedConfig): void {
    const rejected = state.rejected === undefined ? null : JSON.stringify(state.rejected);
    if (this.setState.run(state.version, state.appliedAt ?? null, rejected, gatewayId).changes === 0) {
      throw new StoreError('STORE_NOT_FOUND', `gateway ${gatewayId} does not exist`);
    }
  }

  gatewayConfigState(gatewayId: string): GatewayConfigState {
    const row = this.getState.get(gatewayId) as ConfigStateRow | undefined;
    if (!row) throw new StoreError('STORE_NOT_FOUND', `gateway ${gatewayId} does not exist`);
    return toConfigState(row, decodeSqliteJson);
  }
}
