import type pg from 'pg';
import type { GatewayHealth } from '@edgefleet/protocol';
import { decodePgJson, toConfigSync, type ConfigSyncRow } from '../store/store-api-rows.js';
import type { AlertResponse, GatewayConfigSync, OpenAlertCount, SiteFilter } from '../store/store-read-model.js';
import { toDevice, type DeviceRow } from '../store/store-rows.js';
import type { Device, StoredHealth } from '../store/store-types.js';

/** $1 is the site filter: NULL = every site, an empty array matches nothing (= ANY('{}') is false). */
const GATEWAYS_OF_SITES = '(SELECT id FROM gateways WHERE $1::text[] IS NULL OR site_id = ANY($1::text[]))';

const sitesParam = (sites: SiteFilter): string[] | null => (sites === undefined ? null : [...sites]);

interface ResponseRow { id: number; site: string; raised_at: number; acknowledged_at: number | null; resolved_at: number | null }

/** The dashboard's whole-site reads (store-read-model.ts) on PostgreSQL; see the SQLite twin for the indexes. */
export class PgReadModel {
  constructor(private readonly pool: pg.Pool) {}

  async listSiteDevices(sites: SiteFilter): Promise<Device[]> {
    const { rows } = await this.pool.query<DeviceRow>(
      `SELECT * FROM devices WHERE gateway_id IN ${GATEWAYS_OF_SITES} ORDER BY gateway_id, device_id`, [sitesParam(sites)]);
    return rows.map(toDevice);
  }

  async listLatestHealth(sites: SiteFilter): Promise<StoredHealth[]> {
    const { rows } = await this.pool.query<{ payload: GatewayHealth; received_at: number }>(
      `SELECT payload, received_at FROM gateway_health WHERE gateway_id IN ${GATEWAYS_OF_SITES} ORDER BY gateway_id`, [sitesParam(sites)]);
    return rows.map((r) => ({ health: r.payload, receivedAt: r.received_at }));
  }

  async listConfigSync(sites: SiteFilter): Promise<GatewayConfigSync[]> {
    const { rows } = await this.pool.query<ConfigSyncRow>(`SELECT g.id, g.config_version, g.config_applied_at, g.config_rejected,
      (SELECT MAX(d.version) FROM desired_configs d WHERE d.gateway_id = g.id) AS desired_version
      FROM gateways g WHERE $1::text[] IS NULL OR g.site_id = ANY($1::text[]) ORDER BY g.id`, [sitesParam(sites)]);
    return rows.map((r) => toConfigSync(r, decodePgJson));
  }

  async countOpenAlerts(sites: SiteFilter): Promise<OpenAlertCount[]> {
    const { rows } = await this.pool.query<OpenAlertCount>(`SELECT g.site_id AS site, a.severity, a.state, COUNT(*)::int AS count
      FROM alerts a JOIN gateways g ON g.id = a.gateway_id
      WHERE a.state IN ('raised', 'notified', 'acknowledged') AND ($1::text[] IS NULL OR g.site_id = ANY($1::text[]))
      GROUP BY g.site_id, a.severity, a.state ORDER BY g.site_id, a.severity, a.state`, [sitesParam(sites)]);
    return rows;
  }

  async listAlertResponses(q: { sites: SiteFilter; from: number; to: number }): Promise<AlertResponse[]> {
    const { rows } = await this.pool.query<ResponseRow>(`SELECT a.id, g.site_id AS site, a.raised_at, a.acknowledged_at, a.resolved_at
      FROM alerts a JOIN gateways g ON g.id = a.gateway_id
      WHERE ((a.acknowledged_at >= $2 AND a.acknowledged_at < $3) OR (a.resolved_at >= $2 AND a.resolved_at < $3))
        AND ($1::text[] IS NULL OR g.site_id = ANY($1::text[]))
      ORDER BY a.id`, [sitesParam(q.sites), q.from, q.to]);
    return rows.map((r) => ({ id: r.id, site: r.site, raisedAt: r.raised_at, acknowledgedAt: r.acknowledged_at, resolvedAt: r.resolved_at }));
  }
}
