import type { Database, Statement } from 'better-sqlite3';
import type { GatewayHealth } from '@edgefleet/protocol';
import { decodeSqliteJson, toConfigSync, type ConfigSyncRow } from './store-api-rows.js';
import type { AlertResponse, GatewayConfigSync, OpenAlertCount, SiteFilter } from './store-read-model.js';
import { toDevice, type DeviceRow } from './store-rows.js';
import type { Device, StoredHealth } from './store-types.js';

/** A site filter as JSON text for json_each; null switches the filter off. */
const sitesParam = (sites: SiteFilter): string | null => (sites === undefined ? null : JSON.stringify(sites));

/** The gateways of the @sites filter (every gateway when @sites is NULL). */
const GATEWAYS_OF_SITES = '(SELECT id FROM gateways WHERE @sites IS NULL OR site_id IN (SELECT value FROM json_each(@sites)))';

interface ResponseRow { id: number; site: string; raised_at: number; acknowledged_at: number | null; resolved_at: number | null }

/** The dashboard's whole-site reads (store-read-model.ts) on SQLite. */
export class SqliteReadModel {
  private readonly devices: Statement<[{ sites: string | null }]>;
  private readonly health: Statement<[{ sites: string | null }]>;
  private readonly configSync: Statement<[{ sites: string | null }]>;
  private readonly openCounts: Statement<[{ sites: string | null }]>;
  private readonly responses: Statement<[{ sites: string | null; from: number; to: number }]>;

  constructor(db: Database) {
    this.devices = db.prepare(`SELECT * FROM devices WHERE gateway_id IN ${GATEWAYS_OF_SITES} ORDER BY gateway_id, device_id`);
    this.health = db.prepare(`SELECT payload, received_at FROM gateway_health WHERE gateway_id IN ${GATEWAYS_OF_SITES} ORDER BY gateway_id`);
    // MAX(version) is one seek per gateway on desired_configs' primary key (gateway_id, version).
    this.configSync = db.prepare(`SELECT g.id, g.config_version, g.config_applied_at, g.config_rejected,
      (SELECT MAX(d.version) FROM desired_configs d WHERE d.gateway_id = g.id) AS desired_version
      FROM gateways g WHERE @sites IS NULL OR g.site_id IN (SELECT value FROM json_each(@sites)) ORDER BY g.id`);
    // alerts_by_state: open alerts are few, however long the history of resolved ones.
    this.openCounts = db.prepare(`SELECT g.site_id AS site, a.severity, a.state, COUNT(*) AS count
      FROM alerts a JOIN gateways g ON g.id = a.gateway_id
      WHERE a.state IN ('raised', 'notified', 'acknowledged') AND (@sites IS NULL OR g.site_id IN (SELECT value FROM json_each(@sites)))
      GROUP BY g.site_id, a.severity, a.state ORDER BY g.site_id, a.severity, a.state`);
    // Each side of the OR has its own index (alerts_by_acknowledged, alerts_by_resolved).
    this.responses = db.prepare(`SELECT a.id, g.site_id AS site, a.raised_at, a.acknowledged_at, a.resolved_at
      FROM alerts a JOIN gateways g ON g.id = a.gateway_id
      WHERE ((a.acknowledged_at >= @from AND a.acknowledged_at < @to) OR (a.resolved_at >= @from AND a.resolved_at < @to))
        AND (@sites IS NULL OR g.site_id IN (SELECT value FROM json_each(@sites)))
      ORDER BY a.id`);
  }

  listSiteDevices(sites: SiteFilter): Device[] {
    return (this.devices.all({ sites: sitesParam(sites) }) as DeviceRow[]).map(toDevice);
  }

  listLatestHealth(sites: SiteFilter): StoredHealth[] {
    const rows = this.health.all({ sites: sitesParam(sites) }) as { payload: string; received_at: number }[];
    return rows.map((r) => ({ health: JSON.parse(r.payload) as GatewayHealth, receivedAt: r.received_at }));
  }

  listConfigSync(sites: SiteFilter): GatewayConfigSync[] {
    return (this.configSync.all({ sites: sitesParam(sites) }) as ConfigSyncRow[]).map((r) => toConfigSync(r, decodeSqliteJson));
  }

  countOpenAlerts(sites: SiteFilter): OpenAlertCount[] {
    return this.openCounts.all({ sites: sitesParam(sites) }) as OpenAlertCount[];
  }

  listAlertResponses(q: { sites: SiteFilter; from: number; to: number }): AlertResponse[] {
    const rows = this.responses.all({ sites: sitesParam(q.sites), from: q.from, to: q.to }) as ResponseRow[];
    return rows.map((r) => ({ id: r.id, site: r.site, raisedAt: r.raised_at, acknowledgedAt: r.acknowledged_at, resolvedAt: r.resolved_at }));
  }
}
