import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, SqliteStore, StoreError } from '../../src/store/index.js';
import { configureConnection, migrate } from '../../src/store/sqlite-migrations.js';
import { describeStoreContract } from './store-contract.js';
import { alarm, reading } from './store-fixtures.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'edgefleet-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
let current = '';
describeStoreContract(
  'SqliteStore',
  async () => {
    current = path.join(root, `store-${++counter}`, 'fleet.sqlite');
    return SqliteStore.open({ path: current });
  },
  async () => SqliteStore.open({ path: current }),
);

describe('SqliteStore specifics', () => {
  it('runs in WAL with synchronous=FULL and records each migration once', async () => {
    const file = path.join(root, 'pragmas', 'fleet.sqlite');
    const store = SqliteStore.open({ path: file, now: () => 42 });
    await store.close();
    await SqliteStore.open({ path: file }).close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const rows = db.prepare('SELECT version, applied_at FROM migrations ORDER BY version').all();
      expect(rows).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1, applied_at: 42 })));
    } finally {
      db.close();
    }
    const reopened = SqliteStore.open({ path: file });
    try {
      expect(reopened.schemaVersion()).toBe(SCHEMA_VERSION);
    } finally {
      await reopened.close();
    }
  });

  it('upgrades a version-1 database to the current schema, keeping its rows', async () => {
    const file = path.join(root, 'upgrade', 'fleet.sqlite');
    mkdirSync(path.dirname(file), { recursive: true });
    // What version 1 of this code left behind: its schema and some inventory.
    const db = new Database(file);
    configureConnection(db);
    expect(migrate(db, file, 0, 1)).toBe(1);
    db.exec(`INSERT INTO sites VALUES ('s', 'S', 'UTC');
      INSERT INTO gateways (id, site_id, name, secret_hash, config_version) VALUES ('gw-1', 's', 'G', 'h', 2)`);
    db.close();
    const upgraded = SqliteStore.open({ path: file });
    try {
      expect(upgraded.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(await upgraded.getSite('s')).toEqual({ id: 's', name: 'S', timezone: 'UTC' });
      expect(await upgraded.latestHealth('gw-1')).toBeUndefined();
      expect(await upgraded.gatewayConfigState('gw-1')).toEqual({ version: 2, appliedAt: null, rejected: null });
      expect((await upgraded.putDesiredConfig('gw-1', { buses: [], devices: [], polling: {
        fast: '1s', normal: '10s', slow: '60s', snapshot: '15m', offlineAfter: 3, maxProbeInterval: '5m' }, schedules: [] }, 5, 'system')).version).toBe(1);
    } finally {
      await upgraded.close();
    }
  });

  it('upgrades a version-3 database to outbox epochs: old rows become epoch 0 and still dedup', async () => {
    const file = path.join(root, 'upgrade-v3', 'fleet.sqlite');
    mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    configureConnection(db);
    expect(migrate(db, file, 0, 3)).toBe(3);
    // What version 3 stored for a gateway that sent telemetry seq 1..2 and alarm seq 1.
    db.exec(`INSERT INTO received_seqs (gateway_id, stream, seq, received_at) VALUES
        ('gw-1', 'telemetry', 1, 100), ('gw-1', 'telemetry', 2, 100), ('gw-1', 'events', 1, 100);
      INSERT INTO events (gateway_id, seq, type, device_id, ts, payload, received_at)
        VALUES ('gw-1', 1, 'alarm', 'car-1', 5001, '${JSON.stringify(alarm(1))}', 100)`);
    db.close();
    const upgraded = SqliteStore.open({ path: file });
    try {
      expect(upgraded.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(await upgraded.events({ gateway: 'gw-1' })).toEqual([{ gateway: 'gw-1', epoch: 0, seq: 1, type: 'alarm', ts: 5001, event: alarm(1), receivedAt: 100 }]);
      // A re-send from the same (pre-epoch) outbox file is still a duplicate, with or without epoch 0.
      expect(await upgraded.ingestTelemetry('gw-1', [reading(1), reading(2)], 200)).toEqual({ stored: 0, duplicates: 2 });
      expect(await upgraded.ingestEvents('gw-1', [alarm(1)], 200, 0)).toEqual({ stored: 0, duplicates: 1 });
      // A replacement outbox file's seqs are new.
      expect(await upgraded.ingestTelemetry('gw-1', [reading(1)], 300, 1_790_000_000_000)).toEqual({ stored: 1, duplicates: 0 });
      expect(await upgraded.ingestEvents('gw-1', [alarm(1)], 300, 1_790_000_000_000)).toEqual({ stored: 1, duplicates: 0 });
    } finally {
      await upgraded.close();
    }
    const check = new Database(file, { readonly: true });
    try {
      // The rebuilt tables kept their indexes (retention and event queries use them).
      const indexes = check.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('events', 'received_seqs') AND sql IS NOT NULL ORDER BY name").pluck().all();
      expect(indexes).toEqual(['events_by_age', 'events_by_ts', 'received_seqs_by_received']);
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      check.close();
    }
  });

  it('refuses a file that is not a SQLite database', () => {
    const file = path.join(root, 'garbage.sqlite');
    writeFileSync(file, 'this is not a database, just text that is long enough to have a header...'.repeat(20));
    expect(() => SqliteStore.open({ path: file })).toThrow(StoreError);
  });

  it('refuses a database whose schema is newer than this code', async () => {
    const file = path.join(root, 'newer', 'fleet.sqlite');
    await SqliteStore.open({ path: file }).close();
    const db = new Database(file);
    db.prepare('INSERT INTO migrations (version, applied_at) VALUES (?, 0)').run(SCHEMA_VERSION + 1);
    db.close();
    expect(() => SqliteStore.open({ path: file })).toThrow(/newer than this server/);
  });

  it('enforces one open alert per (gateway, device, rule) in the schema itself', async () => {
    const file = path.join(root, 'index', 'fleet.sqlite');
    const store = SqliteStore.open({ path: file });
    await store.openAlert({ gateway: 'g', device: 'd', rule: 'r' }, { severity: 'major', message: 'm', at: 1 });
    await store.close();
    const db = new Database(file);
    try {
      const insert = db.prepare(`INSERT INTO alerts (gateway_id, device_id, rule, state, severity, message, raised_at, updated_at)
        VALUES ('g', 'd', 'r', 'raised', 'major', 'm', 2, 2)`);
      expect(() => insert.run()).toThrow(/UNIQUE/);
    } finally {
      db.close();
    }
  });
});
