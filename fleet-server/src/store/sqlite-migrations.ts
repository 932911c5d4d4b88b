import type { Database } from 'better-sqlite3';
import { StoreError } from './store-error.js';

interface Migration {
  version: number;
  sql: string;
}

/**
 * Append-only: a schema change adds the next version, never edits one already released.
 * Values are JSON text; times are epoch ms integers. received_seqs is the dedup ledger: its
 * primary key is what makes a replayed item land once, however the gateway re-batches it.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sites (id TEXT PRIMARY KEY, name TEXT NOT NULL, timezone TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE contacts (
        id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), name TEXT NOT NULL,
        phone TEXT NOT NULL, role TEXT NOT NULL, escalation_order INTEGER NOT NULL) WITHOUT ROWID;
      CREATE INDEX contacts_by_site ON contacts (site_id, escalation_order);
      CREATE TABLE gateways (
        id TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id), name TEXT NOT NULL,
        secret_hash TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'unknown', last_seen_at INTEGER,
        config_version INTEGER) WITHOUT ROWID;
      CREATE INDEX gateways_by_site ON gateways (site_id);
      CREATE TABLE devices (
        gateway_id TEXT NOT NULL REFERENCES gateways(id), device_id TEXT NOT NULL, profile TEXT NOT NULL,
        name TEXT NOT NULL, location TEXT, PRIMARY KEY (gateway_id, device_id)) WITHOUT ROWID;
      CREATE TABLE received_seqs (
        gateway_id TEXT NOT NULL, stream TEXT NOT NULL, seq INTEGER NOT NULL, received_at INTEGER NOT NULL,
        PRIMARY KEY (gateway_id, stream, seq)) WITHOUT ROWID;
      CREATE TABLE telemetry (
        id INTEGER PRIMARY KEY, gateway_id TEXT NOT NULL, device_id TEXT NOT NULL, point TEXT NOT NULL,
        ts INTEGER NOT NULL, seq INTEGER NOT NULL, value TEXT NOT NULL, quality TEXT NOT NULL);
      CREATE INDEX telemetry_by_point ON telemetry (gateway_id, device_id, point, ts);
      CREATE TABLE latest_values (
        gateway_id TEXT NOT NULL, device_id TEXT NOT NULL, point TEXT NOT NULL, ts INTEGER NOT NULL,
        seq INTEGER NOT NULL, value TEXT NOT NULL, quality TEXT NOT NULL,
        PRIMARY KEY (gateway_id, device_id, point)) WITHOUT ROWID;
      CREATE TABLE events (
        gateway_id TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL, device_id TEXT, ts INTEGER NOT NULL,
        payload TEXT NOT NULL, received_at INTEGER NOT NULL, PRIMARY KEY (gateway_id, seq)) WITHOUT ROWID;
      CREATE INDEX events_by_ts ON events (gateway_id, ts);
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY, gateway_id TEXT NOT NULL, device_id TEXT NOT NULL, rule TEXT NOT NULL,
        state TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, raised_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL, acknowledged_at INTEGER, acknowledged_by TEXT, resolved_at INTEGER);
      -- One open alert per (gateway, device, rule): the database refuses a second, not only the code.
      CREATE UNIQUE INDEX alerts_one_open ON alerts (gateway_id, device_id, rule) WHERE state <> 'resolved';
      CREATE TABLE notifications (
        id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, alert_id INTEGER REFERENCES alerts(id),
        recipient TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
        not_before INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL, created_at INTEGER NOT NULL, sent_at INTEGER);
      CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
      CREATE TABLE notification_attempts (
        notification_id INTEGER NOT NULL REFERENCES notifications(id), attempt INTEGER NOT NULL,
        at INTEGER NOT NULL, outcome TEXT NOT NULL, reply TEXT NOT NULL, next_attempt_at INTEGER,
        PRIMARY KEY (notification_id, attempt)) WITHOUT ROWID;
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
        target TEXT NOT NULL, details TEXT NOT NULL);
      CREATE INDEX audit_by_at ON audit_log (at);
      -- Schema only for now: the API and command/config issues fill these.
      CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, sites TEXT NOT NULL,
        created_at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE tokens (hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),
        created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER) WITHOUT ROWID;
      CREATE TABLE commands (id TEXT PRIMARY KEY, gateway_id TEXT NOT NULL, device_id TEXT, request TEXT NOT NULL,
        status TEXT NOT NULL, created_at INTEGER NOT NULL, result TEXT, completed_at INTEGER) WITHOUT ROWID;
      CREATE TABLE desired_configs (gateway_id TEXT NOT NULL, version INTEGER NOT NULL, config TEXT NOT NULL,
        created_at INTEGER NOT NULL, created_by TEXT NOT NULL, PRIMARY KEY (gateway_id, version)) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    // The latest health report per gateway (QoS 0, may arrive out of order: newer ts wins).
    sql: `
      CREATE TABLE gateway_health (
        gateway_id TEXT PRIMARY KEY, boot_id TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL,
        received_at INTEGER NOT NULL, payload TEXT NOT NULL) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    // The API tables. Version 1's users/tokens/commands/desired_configs were never written by any
    // release, so they are recreated to fit store-api-types.ts rather than altered column by column.
    // tokens.user_id has no foreign key: deleteUser keeps the revoked tokens as history.
    sql: `
      DROP TABLE tokens;
      DROP TABLE users;
      DROP TABLE commands;
      DROP TABLE desired_configs;
      CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, sites TEXT NOT NULL,
        created_at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, user_id TEXT NOT NULL, label TEXT NOT NULL,
        created_at INTEGER NOT NULL, expires_at INTEGER, revoked_at INTEGER, last_used_at INTEGER) WITHOUT ROWID;
      CREATE INDEX tokens_by_user ON tokens (user_id);
      -- n: insertion order, the tie-break of "newest first" for commands created in the same ms.
      CREATE TABLE commands (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, gateway_id TEXT NOT NULL,
        device_id TEXT NOT NULL, request TEXT NOT NULL, state TEXT NOT NULL, created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL, result TEXT, completed_at INTEGER);
      CREATE INDEX commands_by_device ON commands (gateway_id, device_id, created_at);
      CREATE INDEX commands_by_created ON commands (created_at);
      CREATE TABLE desired_configs (gateway_id TEXT NOT NULL REFERENCES gateways(id), version INTEGER NOT NULL,
        config TEXT NOT NULL, created_at INTEGER NOT NULL, created_by TEXT NOT NULL,
        PRIMARY KEY (gateway_id, version)) WITHOUT ROWID;
      ALTER TABLE gateways ADD COLUMN config_applied_at INTEGER;
      ALTER TABLE gateways ADD COLUMN config_rejected TEXT;
      CREATE TABLE rollups_hourly (
        gateway_id TEXT NOT NULL, device_id TEXT NOT NULL, point TEXT NOT NULL, hour INTEGER NOT NULL,
        count INTEGER NOT NULL, min REAL, max REAL, avg REAL, last TEXT NOT NULL, last_ts INTEGER NOT NULL,
        PRIMARY KEY (gateway_id, device_id, point, hour)) WITHOUT ROWID;
      CREATE TABLE enrollments (hash TEXT PRIMARY KEY, site_id TEXT NOT NULL REFERENCES sites(id),
        gateway_id TEXT NOT NULL, name TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
        created_by TEXT NOT NULL, used_at INTEGER) WITHOUT ROWID;
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
    // The outbox epoch joins the dedup key (docs/mqtt-topics.md "Outbox epoch"): a gateway whose
    // outbox file was replaced restarts its seqs at 1 under a new epoch, and those items must not
    // be taken for the old file's. SQLite cannot change a primary key, so both tables are rebuilt
    // (create, copy, drop, rename, recreate their indexes). Every row so far came from epoch 0,
    // the epoch of a gateway that sends none, so old rows keep deduplicating re-sends as before.
    sql: `
      CREATE TABLE received_seqs_v4 (
        gateway_id TEXT NOT NULL, stream TEXT NOT NULL, epoch INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL,
        received_at INTEGER NOT NULL, PRIMARY KEY (gateway_id, stream, epoch, seq)) WITHOUT ROWID;
      INSERT INTO received_seqs_v4 (gateway_id, stream, epoch, seq, received_at)
        SELECT gateway_id, stream, 0, seq, received_at FROM received_seqs;
      DROP TABLE received_seqs;
      ALTER TABLE received_seqs_v4 RENAME TO received_seqs;
      CREATE INDEX received_seqs_by_received ON received_seqs (received_at);
      CREATE TABLE events_v4 (
        gateway_id TEXT NOT NULL, epoch INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL, type TEXT NOT NULL,
        device_id TEXT, ts INTEGER NOT NULL, payload TEXT NOT NULL, received_at INTEGER NOT NULL,
        PRIMARY KEY (gateway_id, epoch, seq)) WITHOUT ROWID;
      INSERT INTO events_v4 (gateway_id, epoch, seq, type, device_id, ts, payload, received_at)
        SELECT gateway_id, 0, seq, type, device_id, ts, payload, received_at FROM events;
      DROP TABLE events;
      ALTER TABLE events_v4 RENAME TO events;
      CREATE INDEX events_by_ts ON events (gateway_id, ts);
      CREATE INDEX events_by_age ON events (ts);
    `,
  },
  {
    version: 5,
    // Dashboard sign-in (docs/api.md "Sign-in"): an optional password per user, only ever its
    // scrypt hash (broker/secret-hash.ts format). NULL: the user signs in with tokens only.
    sql: 'ALTER TABLE users ADD COLUMN password_hash TEXT;',
  },
  {
    version: 6,
    // The dashboard's time to acknowledge/resolve (GET /overview) reads the alerts acknowledged or
    // resolved since a moment; without these it would scan every alert ever raised.
    sql: `
      CREATE INDEX alerts_by_acknowledged ON alerts (acknowledged_at) WHERE acknowledged_at IS NOT NULL;
      CREATE INDEX alerts_by_resolved ON alerts (resolved_at) WHERE resolved_at IS NOT NULL;
    `,
  },
  {
    version: 7,
    // The server marks commands that got no result by their expiry 'unanswered' every few seconds
    // (downlink/command-results.ts); this keeps that sweep to the commands still waiting.
    sql: 'CREATE INDEX commands_pending ON commands (created_at) WHERE completed_at IS NULL;',
  },
];

export const SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);

/**
 * WAL so readers (API) do not block the ingest writer. synchronous=FULL: WAL+NORMAL may lose the
 * last commits on power loss, and alerts/notifications must survive exactly (LIBRARIES.md).
 */
export function configureConnection(db: Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/**
 * Applies the missing migrations up to `target` (tests build older schemas with it), each in its
 * own transaction; returns the resulting version.
 */
export function migrate(db: Database, file: string, now: number, target = SCHEMA_VERSION): number {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS version FROM migrations').get() as { version: number | null };
  const current = row.version ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new StoreError('STORE_SCHEMA_NEWER', `store ${file} has schema version ${current}, newer than this server's ${SCHEMA_VERSION}`);
  }
  const record = db.prepare('INSERT INTO migrations (version, applied_at) VALUES (?, ?)');
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, now);
    })();
  }
  return Math.max(current, Math.min(target, SCHEMA_VERSION));
}
