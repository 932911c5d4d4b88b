import type { Database, Statement } from 'better-sqlite3';
import { runReferencing } from './sqlite-foreign-key.js';
import { StoreError } from './store-error.js';
import type { Contact, Device, Gateway, GatewayInput, GatewayStatusValue, Site } from './store-types.js';
import { E164, toContact, toDevice, toGateway, type ContactRow, type DeviceRow, type GatewayRow } from './store-rows.js';


/** Sites, contacts, gateways and devices. */
export class SqliteInventory {
  private readonly s: Record<string, Statement>;

  constructor(db: Database) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      upsertSite: p(`INSERT INTO sites (id, name, timezone) VALUES (?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET name = excluded.name, timezone = excluded.timezone`),
      getSite: p('SELECT id, name, timezone FROM sites WHERE id = ?'),
      listSites: p('SELECT id, name, timezone FROM sites ORDER BY id'),
      upsertContact: p(`INSERT INTO contacts (id, site_id, name, phone, role, escalation_order) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, name = excluded.name, phone = excluded.phone,
          role = excluded.role, escalation_order = excluded.escalation_order`),
      getContact: p('SELECT * FROM contacts WHERE id = ?'),
      listContacts: p('SELECT * FROM contacts WHERE site_id = ? ORDER BY escalation_order, id'),
      upsertGateway: p(`INSERT INTO gateways (id, site_id, name, secret_hash) VALUES (?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET site_id = excluded.site_id, name = excluded.name, secret_hash = excluded.secret_hash`),
      getGateway: p('SELECT * FROM gateways WHERE id = ?'),
      listGateways: p('SELECT * FROM gateways ORDER BY id'),
      listGatewaysOfSite: p('SELECT * FROM gateways WHERE site_id = ? ORDER BY id'),
      // An offline report keeps the last time the gateway was actually heard from.
      setStatus: p(`UPDATE gateways SET status = ?,
        last_seen_at = CASE WHEN ? = 'online' THEN MAX(COALESCE(last_seen_at, 0), ?) ELSE last_seen_at END WHERE id = ?`),
      upsertDevice: p(`INSERT INTO devices (gateway_id, device_id, profile, name, location) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (gateway_id, device_id) DO UPDATE SET profile = excluded.profile, name = excluded.name,
          location = excluded.location`),
      getDevice: p('SELECT * FROM devices WHERE gateway_id = ? AND device_id = ?'),
      listDevices: p('SELECT * FROM devices WHERE gateway_id = ? ORDER BY device_id'),
      deleteDevice: p('DELETE FROM devices WHERE gateway_id = ? AND device_id = ?'),
    };
  }

  private st(name: string): Statement {
    const statement = this.s[name];
    if (statement === undefined) throw new Error(`no prepared statement ${name}`);
    return statement;
  }

  upsertSite(site: Site): void {
    this.st('upsertSite').run(site.id, site.name, site.timezone);
  }

  getSite(id: string): Site | undefined {
    return this.st('getSite').get(id) as Site | undefined;
  }

  listSites(): Site[] {
    return this.st('listSites').all() as Site[];
  }

  upsertContact(c: Contact): void {
    if (!E164.test(c.phone)) throw new StoreError('STORE_INVALID', `contact ${c.id}: phone "${c.phone}" is not E.164 (e.g. +4915112345678)`);
    if (!Number.isInteger(c.escalationOrder) || c.escalationOrder < 1) {
      throw new StoreError('STORE_INVALID', `contact ${c.id}: escalationOrder must be an integer >= 1, got ${c.escalationOrder}`);
    }
    runReferencing(`contact ${c.id}`, `site ${c.site}`, () =>
      this.st('upsertContact').run(c.id, c.site, c.name, c.phone, c.role, c.escalationOrder));
  }

  getContact(id: string): Contact | undefined {
    const row = this.st('getContact').get(id) as ContactRow | undefined;
    return row && toContact(row);
  }

  listContacts(siteId: string): Contact[] {
    return (this.st('listContacts').all(siteId) as ContactRow[]).map(toContact);
  }

  upsertGateway(g: GatewayInput): void {
    runReferencing(`gateway ${g.id}`, `site ${g.site}`, () =>
      this.st('upsertGateway').run(g.id, g.site, g.name, g.secretHash));
  }

  getGateway(id: string): Gateway | undefined {
    const row = this.st('getGateway').get(id) as GatewayRow | undefined;
    return row && toGateway(row);
  }

  listGateways(siteId?: string): Gateway[] {
    const rows = siteId === undefined ? this.st('listGateways').all() : this.st('listGatewaysOfSite').all(siteId);
    return (rows as GatewayRow[]).map(toGateway);
  }

  setGatewayStatus(id: string, status: GatewayStatusValue, at: number): void {
    if (this.st('setStatus').run(status, status, at, id).changes === 0) {
      throw new StoreError('STORE_NOT_FOUND', `gateway ${id} does not exist`);
    }
  }

  upsertDevice(d: Device): void {
    runReferencing(`device ${d.gateway}/${d.device}`, `gateway ${d.gateway}`, () =>
      this.st('upsertDevice').run(d.gateway, d.device, d.profile, d.name, d.location));
  }

  getDevice(gatewayId: string, deviceId: string): Device | undefined {
    const row = this.st('getDevice').get(gatewayId, deviceId) as DeviceRow | undefined;
    return row && toDevice(row);
  }

  listDevices(gatewayId: string): Device[] {
    return (this.st('listDevices').all(gatewayId) as DeviceRow[]).map(toDevice);
  }

  /** Removes the inventory entry only: its telemetry, events and alerts stay as history. */
  deleteDevice(gatewayId: string, deviceId: string): void {
    if (this.st('deleteDevice').run(gatewayId, deviceId).changes === 0) {
      throw new StoreError('STORE_NOT_FOUND', `device ${gatewayId}/${deviceId} does not exist`);
    }
  }
}
