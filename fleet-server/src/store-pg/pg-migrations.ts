import type pg from 'pg';
import { StoreError } from '../store/store-error.js';
import { inTransaction } from './pg-db.js';

interface Migration {
  version: number;
  sql: string;
}

/**
 * Append-only, the PostgreSQL twin of store/sqlite-migrations.ts: times are epoch ms BIGINTs,
 * values and payloads JSONB. received_seqs is the dedup ledger (see the SQLite comment).
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sites (id TEXT PRIMARY KEY, name TEXT NOT NULL, timezone TEXT NOT NULL);
      CREATE TABLE contacts (
        id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), name TEXT NOT NULL,
        phone TEXT NOT NULL, role TEXT NOT NULL, escalation_order INTEGER NOT NULL);
      CREATE INDEX contacts_by_site ON contacts (site_id, escalation_order);
      CREATE TABLE gateways (
        id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), name TEXT NOT NULL,
        secret_hash TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'unknown', last_seen_at BIGINT,
        config_version INTEGER);
      CREATE INDEX gateways_by_site ON gateways (site_id);
      CREATE TABLE devices (
        gateway_id TEXT NOT NULL REFERENCES gateways(id), device_id TEXT NOT NULL, profile TEXT NOT NULL,
        name TEXT NOT NULL, location TEXT, PRIMARY KEY (gateway_id, device_id));
      CREATE TABLE received_seqs (
        gateway_id TEXT NOT NULL, stream TEXT NOT NULL, seq BIGINT NOT NULL, received_at BIGINT NOT NULL,
        PRIMARY KEY (gateway_id, stream, seq));
      CREATE TABLE telemetry (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, gateway_id TEXT NOT NULL, device_id TEXT NOT NULL,
        point TEXT NOT NULL, ts BIGINT NOT NULL, seq BIGINT NOT NULL, value JSONB NOT NULL, quality TEXT NOT NULL);
      CREATE INDEX telemetry_by_point ON telemetry (gateway_id, device_id, point, ts);
      CREATE TABLE latest_values (
        gateway_id TEXT NOT NULL, device_id TEXT NOT NULL, point TEXT NOT NULL, ts BIGINT NOT NULL,
        seq BIGINT NOT NULL, value JSONB NOT NULL, quality TEXT NOT NULL,
        PRIMARY KEY (gateway_id, device_id, point));
      CREATE TABLE events (
        gateway_id TEXT NOT NULL, seq BIGINT NOT NULL, type TEXT NOT NULL, device_id TEXT, ts BIGINT NOT NULL,
        payload JSONB NOT NULL, received_at BIGINT NOT NULL, PRIMARY KEY (gateway_id, seq));
      CREATE INDEX events_by_ts ON events (gateway_id, ts);
      CREATE TABLE alerts (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, gateway_id TEXT NOT NULL, device_id TEXT NOT NULL,
        rule TEXT NOT NULL, state TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL,
        raised_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, acknowledged_at BIGINT, acknowledged_by TEXT,
        resolved_at BIGINT);
      -- One open alert per (gateway, device, rule): the database refuses a second, not only the code.
      CREATE UNIQUE INDEX alerts_one_open ON alerts (gateway_id, device_id, rule) WHERE state <> 'resolved';
      CREATE TABLE notifications (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key TEXT NOT NULL UNIQUE,
        alert_id BIGINT REFERENCES alerts(id), recipient TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, not_before BIGINT NOT NULL, next_attempt_at BIGINT NOT NULL,
        created_at BIGINT NOT NULL, sent_at BIGINT);
      CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
      CREATE TABLE notification_attempts (
        notification_id BIGINT NOT NULL REFERENCES notifications(id), attempt INTEGER NOT NULL,
        at BIGINT NOT NULL, outcome TEXT NOT NULL, reply TEXT NOT NULL, next_attempt_at BIGINT,
        PRIMARY KEY (notification_id, attempt));
      CREATE TABLE audit_log (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at BIGINT NOT NULL, actor TEXT NOT NULL,
        action TEXT NOT NULL, target TEXT NOT NULL, details JSONB NOT NULL);
      CREATE INDEX audit_by_at ON audit_log (at);
      -- Schema only for now, as in SQLite: the API and command/config issues fill these.
      CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, sites JSONB NOT NULL,
        created_at BIGINT NOT NULL);
      CREATE TABLE tokens (hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
        created_at BIGINT NOT NULL, expires_at BIGINT, revoked_at BIGINT);
      CREATE TABLE commands (id TEXT PRIMARY KEY, gateway_id TEXT NOT NULL, device_id TEXT, request JSONB NOT NULL,
        status TEXT NOT NULL, created_at BIGINT NOT NULL, result JSONB, completed_at BIGINT);
      CREATE TABLE desired_configs (gateway_id TEXT NOT NULL, version INTEGER NOT NULL, config JSONB NOT NULL,
        created_at BIGINT NOT NULL, created_by TEXT NOT NULL, PRIMARY KEY (gateway_id, version));
    `,
  },
  {
    version: 2,
    // The latest health report per gateway (QoS 0, may arrive out of order: newer ts wins).
    sql: `
      CREATE TABLE gateway_health (
        gateway_id TEXT PRIMARY KEY, boot_id TEXT NOT NULL, seq BIGINT NOT NULL, ts BIGINT NOT NULL,
        received_at BIGINT NOT NULL, payload JSONB NOT NULL);
    `,
  },
  {
    version: 3,
    // The API tables; see the SQLite twin for why version 1's four tables are recreated.
    sql: `
      DROP TABLE tokens;
      DROP TABLE users;
      DROP TABLE commands;
      DROP TABLE desired_configs;
      CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, sites JSONB NOT NULL,
        created_at BIGINT NOT NULL);
      CREATE TABLE tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL, label TEXT NOT NULL,
        created_at BIGINT NOT NULL, expires_at BIGINT, revoked_at BIGINT, last_used_at BIGINT);
      CREATE INDEX tokens_by_user ON tokens (user_id);
      CREATE TABLE commands (id TEXT PRIMARY KEY, n BIGINT GENERATED ALWAYS AS IDENTITY, gateway_id TEXT NOT NULL,
        device_id TEXT NOT NULL, request JSONB NOT NULL, state TEXT NOT NULL, created_at BIGINT NOT NULL,
        created_by TEXT NOT NULL, result JSONB, completed_at BIGINT);
      CREATE INDEX commands_by_device ON commands (gateway_id, device_id, created_at);
      CREATE INDEX commands_by_created ON commands (created_at);
      CREATE TABLE desired_configs (gateway_id TEXT NOT NULL REFERENCES gateways(id), version INTEGER NOT NULL,
        config JSONB NOT NULL, created_at BIGINT NOT NULL, created_by TEXT NOT NULL, PRIMARY KEY (gateway_id, version));
      ALTER TABLE gateways ADD COLUMN config_applied_at BIGINT, ADD COLUMN config_rejected JSONB;
      CREATE TABLE rollups_hourly (
        gateway_id TEXT NOT NULL, device_id TEXT NOT NULL, point TEXT NOT NULL, hour BIGINT NOT NULL,
        count BIGINT NOT NULL, min DOUBLE PRECISION, max DOUBLE PRECISION, avg DOUBLE PRECISION, last JSONB NOT NULL,
        last_ts BIGINT NOT NULL, PRIMARY KEY (gateway_id, device_id, point, hour));
      CREATE TABLE enrollments (hash TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id),
        gateway_id TEXT NOT NULL, name TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
        created_by TEXT NOT NULL, used_at BIGINT);
      CREATE INDEX alerts_by_raised ON alerts (raised_at);
      CREATE INDEX alerts_by_state ON alerts (state, raised_at);
      CREATE INDEX alerts_by_gateway ON alerts (gateway_id, raised_at);
      CREATE INDEX notifications_by_alert ON notifications (alert_id);
      -- Retention deletes by age across all gateways.
      CREATE INDEX telemetry_by_ts ON telemetry (ts);
      CREATE INDEX received_seqs_by_received ON received_seqs (received_at);
      CREATE INDEX events_by_age ON events (ts);
    `,
  },
  {
    version: 4,
    // The outbox epoch joins the dedup key; see the SQLite twin. Existing rows take epoch 0.
    sql: `
      ALTER TABLE received_seqs ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE received_seqs DROP CONSTRAINT received_seqs_pkey, ADD PRIMARY KEY (gateway_id, stream, epoch, seq);
      ALTER TABLE events ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE events DROP CONSTRAINT events_pkey, ADD PRIMARY KEY (gateway_id, epoch, seq);
    `,
  },
  {
    version: 5,
    // An optional password per user, stored as its scrypt hash; see the SQLite twin.
    sql: 'ALTER TABLE users ADD COLUMN password_hash TEXT;',
  },
  {
    version: 6,
    // GET /overview's time to acknowledge/resolve; see the SQLite twin.
    sql: `
      CREATE INDEX alerts_by_acknowledged ON alerts (acknowledged_at) WHERE acknowledged_at IS NOT NULL;
      CREATE INDEX alerts_by_resolved ON alerts (resolved_at) WHERE resolved_at IS NOT NULL;
    `,
  },
  {
    version: 7,
    // The 'unanswered' sweep over waiting commands; see the SQLite twin.
    sql: 'CREATE INDEX commands_pending ON commands (created_at) WHERE completed_at IS NULL;',
  },
];

export const PG_SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);

/** Arbitrary but fixed: serialises migrations of several server instances starting at once. */
const MIGRATION_LOCK = 0x45646746;

/**
 * Creates the schema if missing and applies the missing migrations up to `target` (tests build
 * older schemas with it) in one transaction under an advisory lock, so two instances starting
 * together do not both run version 1.
 */
export async function migratePg(pool: pg.Pool, schema: string, now: number, target = PG_SCHEMA_VERSION): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const { rows } = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM migrations');
    const current = rows[0]?.version ?? 0;
    if (current > PG_SCHEMA_VERSION) {
      throw new StoreError('STORE_SCHEMA_NEWER', `schema ${schema} has version ${current}, newer than this server's ${PG_SCHEMA_VERSION}`);
    }
    for (const m of MIGRATIONS) {
      if (m.version <= current || m.version > target) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO migrations (version, applied_at) VALUES ($1, $2)', [m.version, now]);
    }
    return Math.max(current, Math.min(target, PG_SCHEMA_VERSION));
  });
}
