import type pg from 'pg';
import { StoreError } from '../store/store-error.js';
import type { Contact, Device, Gateway, GatewayInput, GatewayStatusValue, Site } from '../store/store-types.js';
import { runReferencing } from './pg-db.js';
import { E164, toContact, toDevice, toGateway, type ContactRow, type DeviceRow, type GatewayRow } from '../store/store-rows.js';

/** ITU-T E.164: "+", a non-zero country code digit, at most 15 digits in all (same rule as SQLite). */
/** Byte order, like SQLite's default BINARY collation, whatever the database's collation. */
const C = 'COLLATE "C"';

/** Sites, contacts, gateways and devices on PostgreSQL. */
export class PgInventory {
  constructor(private readonly pool: pg.Pool) {}

  async upsertSite(site: Site): Promise<void> {
    await this.pool.query(`INSERT INTO sites (id, name, timezone) VALUES ($1, $2, $3)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone`, [site.id, site.name, site.timezone]);
  }

  async getSite(id: string): Promise<Site | undefined> {
    return (await this.pool.query<Site>('SELECT id, name, timezone FROM sites WHERE id = $1', [id])).rows[0];
  }

  async listSites(): Promise<Site[]> {
    return (await this.pool.query<Site>(`SELECT id, name, timezone FROM sites ORDER BY id ${C}`)).rows;
  }

  async upsertContact(c: Contact): Promise<void> {
    if (!E164.test(c.phone)) throw new StoreError('STORE_INVALID', `contact ${c.id}: phone "${c.phone}" is not E.164 (e.g. +4915112345678)`);
    if (!Number.isInteger(c.escalationOrder) || c.escalationOrder < 1) {
      throw new StoreError('STORE_INVALID', `contact ${c.id}: escalationOrder must be an integer >= 1, got ${c.escalationOrder}`);
    }
    await runReferencing(`contact ${c.id}`, `site ${c.site}`, () => this.pool.query(
      `INSERT INTO contacts (id, site_id, name, phone, role, escalation_order) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, name = excluded.name, phone = excluded.phone,
         role = excluded.role, escalation_order = excluded.escalation_order`,
      [c.id, c.site, c.name, c.phone, c.role, c.escalationOrder]));
  }

  async getContact(id: string): Promise<Contact | undefined> {
    const row = (await this.pool.query<ContactRow>('SELECT * FROM contacts WHERE id = $1', [id])).rows[0];
    return row && toContact(row);
  }

  async listContacts(siteId: string): Promise<Contact[]> {
    const { rows } = await this.pool.query<ContactRow>(`SELECT * FROM contacts WHERE site_id = $1 ORDER BY escalation_order, id ${C}`, [siteId]);
    return rows.map(toContact);
  }

  async upsertGateway(g: GatewayInput): Promise<void> {
    await runReferencing(`gateway ${g.id}`, `site ${g.site}`, () => this.pool.query(
      `INSERT INTO gateways (id, site_id, name, secret_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, name = excluded.name, secret_hash = excluded.secret_hash`,
      [g.id, g.site, g.name, g.secretHash]));
  }

  async getGateway(id: string): Promise<Gateway | undefined> {
    const row = (await this.pool.query<GatewayRow>('SELECT * FROM gateways WHERE id = $1', [id])).rows[0];
    return row && toGateway(row);
  }

  async listGateways(siteId?: string): Promise<Gateway[]> {
    const { rows } = siteId === undefined
      ? await this.pool.query<GatewayRow>(`SELECT * FROM gateways ORDER BY id ${C}`)
      : await this.pool.query<GatewayRow>(`SELECT * FROM gateways WHERE site_id = $1 ORDER BY id ${C}`, [siteId]);
    return rows.map(toGateway);
  }

  async setGatewayStatus(id: string, status: GatewayStatusValue, at: number): Promise<void> {
    // An offline report keeps the last time the gateway was actually heard from.
    const { rowCount } = await this.pool.query(`UPDATE gateways SET status = $1::text,
      last_seen_at = CASE WHEN $1::text = 'online' THEN GREATEST(COALESCE(last_seen_at, 0), $2::bigint) ELSE last_seen_at END
      WHERE id = $3`, [status, at, id]);
    if (rowCount === 0) throw new StoreError('STORE_NOT_FOUND', `gateway ${id} does not exist`);
  }

  async upsertDevice(d: Device): Promise<void> {
    await runReferencing(`device ${d.gateway}/${d.device}`, `gateway ${d.gateway}`, () => this.pool.query(
      `INSERT INTO devices (gateway_id, device_id, profile, name, location) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (gateway_id, device_id) DO UPDATE SET profile = excluded.profile, name = excluded.name, location = excluded.location`,
      [d.gateway, d.device, d.profile, d.name, d.location]));
  }

  async getDevice(gatewayId: string, deviceId: string): Promise<Device | undefined> {
    const row = (await this.pool.query<DeviceRow>('SELECT * FROM devices WHERE gateway_id = $1 AND device_id = $2', [gatewayId, deviceId])).rows[0];
    return row && toDevice(row);
  }

  async listDevices(gatewayId: string): Promise<Device[]> {
    const { rows } = await this.pool.query<DeviceRow>(`SELECT * FROM devices WHERE gateway_id = $1 ORDER BY device_id ${C}`, [gatewayId]);
    return rows.map(toDevice);
  }

  /** Removes the inventory entry only: its telemetry, events and alerts stay as history. */
  async deleteDevice(gatewayId: string, deviceId: string): Promise<void> {
    const { rowCount } = await this.pool.query('DELETE FROM devices WHERE gateway_id = $1 AND device_id = $2', [gatewayId, deviceId]);
    if (rowCount === 0) throw new StoreError('STORE_NOT_FOUND', `device ${gatewayId}/${deviceId} does not exist`);
  }
}
