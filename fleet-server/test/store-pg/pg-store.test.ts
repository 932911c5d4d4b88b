import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/store/index.js';
import { PG_SCHEMA_VERSION, PgStore } from '../../src/store-pg/index.js';
import { createPool } from '../../src/store-pg/pg-db.js';
import { migratePg } from '../../src/store-pg/pg-migrations.js';
import { describeStoreContract } from '../store/store-contract.js';
import { alarm, reading } from '../store/store-fixtures.js';

const url = process.env.EDGEFLEET_TEST_PG;
if (!url) console.log('PgStore tests skipped: set EDGEFLEET_TEST_PG (e.g. postgres://postgres@127.0.0.1:5432/test) to run them');

/** Every schema a test created; each is dropped at the end so parallel runs leave nothing behind. */
const schemas = new Set<string>();
const newSchema = (): string => {
  const schema = `edgefleet_test_${randomBytes(6).toString('hex')}`;
  schemas.add(schema);
  return schema;
};

afterAll(async () => {
  if (!url || schemas.size === 0) return;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
});

describe.skipIf(!url)('PgStore', () => {
  const connectionString = url ?? '';
  let current = '';
  describeStoreContract(
    'PgStore',
    async () => {
      current = newSchema();
      return PgStore.open({ connectionString, schema: current });
    },
    async () => PgStore.open({ connectionString, schema: current }),
  );

  describe('PgStore specifics', () => {
    it('never hands the same notification to two instances claiming at once', async () => {
      const schema = newSchema();
      const a = await PgStore.open({ connectionString, schema, maxConnections: 4 });
      const b = await PgStore.open({ connectionString, schema, maxConnections: 4 });
      try {
        const total = 60;
        for (let i = 0; i < total; i++) {
          await a.enqueueNotification({ key: `k${i}`, alertId: null, recipient: '+4915100000001', body: 'b', notBefore: i, createdAt: 0 });
        }
        // Many small claims from both pools race for the same rows.
        const rounds = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).claimDueNotifications(1_000, 7));
        const claimed = (await Promise.all(rounds)).flat().map((n) => n.id);
        expect(new Set(claimed).size).toBe(claimed.length);
        // Whatever was left unclaimed is still there for the next round, and nothing is lost.
        const rest = (await a.claimDueNotifications(1_000, total)).map((n) => n.id);
        expect(new Set([...claimed, ...rest]).size).toBe(total);
        expect(claimed.length + rest.length).toBe(total);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('raises one alert when two instances open the same key at once', async () => {
      const schema = newSchema();
      const a = await PgStore.open({ connectionString, schema });
      const b = await PgStore.open({ connectionString, schema });
      try {
        const key = { gateway: 'gw-1', device: 'car-1', rule: 'entrapment' };
        const fields = { severity: 'critical' as const, message: 'trapped', at: 1_000 };
        const results = await Promise.all([a, b, a, b].map((s) => s.openAlert(key, fields)));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(results.map((r) => r.alert.id)).size).toBe(1);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('records each migration once and refuses a schema newer than the code', async () => {
      const schema = newSchema();
      await (await PgStore.open({ connectionString, schema, now: () => 42 })).close();
      const store = await PgStore.open({ connectionString, schema });
      const admin = new pg.Client({ connectionString });
      await admin.connect();
      try {
        expect(await store.schemaVersion()).toBe(PG_SCHEMA_VERSION);
        const { rows } = await admin.query(`SELECT version, applied_at::int FROM ${schema}.migrations ORDER BY version`);
        expect(rows).toEqual(Array.from({ length: PG_SCHEMA_VERSION }, (_, i) => ({ version: i + 1, applied_at: 42 })));
        await admin.query(`INSERT INTO ${schema}.migrations (version, applied_at) VALUES ($1, 0)`, [PG_SCHEMA_VERSION + 1]);
        await expect(PgStore.open({ connectionString, schema })).rejects.toSatisfy(
          (e) => e instanceof StoreError && e.code === 'STORE_SCHEMA_NEWER',
        );
      } finally {
        await admin.end();
        await store.close();
      }
    });

    it('lets one of two instances consume an enrollment token, and numbers their config puts without gaps', async () => {
      const schema = newSchema();
      const a = await PgStore.open({ connectionString, schema, maxConnections: 4 });
      const b = await PgStore.open({ connectionString, schema, maxConnections: 4 });
      try {
        await a.upsertSite({ id: 'site-a', name: 'A', timezone: 'UTC' });
        await a.upsertGateway({ id: 'gw-1', site: 'site-a', name: 'G', secretHash: 'h' });
        const hash = 'f'.repeat(64);
        await a.createEnrollment({ hash, site: 'site-a', gatewayId: 'gw-2', name: 'N', createdAt: 0, expiresAt: 10_000, createdBy: 'user:ann' });
        const consumed = await Promise.all([a, b, a, b, a, b].map((s) => s.consumeEnrollment(hash, 5_000)));
        expect(consumed.filter((e) => e !== undefined)).toHaveLength(1);
        const config = { buses: [], devices: [], polling: { fast: '1s', normal: '10s', slow: '60s', snapshot: '15m', offlineAfter: 3, maxProbeInterval: '5m' }, schedules: [] };
        const puts = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).putDesiredConfig('gw-1', config, i, 'system')));
        expect(puts.map((p) => p.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it('upgrades a version-2 schema with data to the current one', async () => {
      const schema = newSchema();
      const pool = createPool(connectionString, schema, 1);
      try {
        expect(await migratePg(pool, schema, 0, 2)).toBe(2);
        await pool.query(`INSERT INTO sites VALUES ('s', 'S', 'UTC');
          INSERT INTO gateways (id, site_id, name, secret_hash, config_version) VALUES ('gw-1', 's', 'G', 'h', 2)`);
      } finally {
        await pool.end();
      }
      const store = await PgStore.open({ connectionString, schema });
      try {
        expect(await store.schemaVersion()).toBe(PG_SCHEMA_VERSION);
        expect(await store.gatewayConfigState('gw-1')).toEqual({ version: 2, appliedAt: null, rejected: null });
        expect(await store.getGateway('gw-1')).toMatchObject({ site: 's', configVersion: 2 });
      } finally {
        await store.close();
      }
    });

    it('upgrades a version-3 schema to outbox epochs: old rows become epoch 0 and still dedup', async () => {
      const schema = newSchema();
      const pool = createPool(connectionString, schema, 1);
      try {
        expect(await migratePg(pool, schema, 0, 3)).toBe(3);
        await pool.query(`INSERT INTO received_seqs (gateway_id, stream, seq, received_at) VALUES
            ('gw-1', 'telemetry', 1, 100), ('gw-1', 'telemetry', 2, 100), ('gw-1', 'events', 1, 100)`);
        await pool.query(`INSERT INTO events (gateway_id, seq, type, device_id, ts, payload, received_at)
            VALUES ('gw-1', 1, 'alarm', 'car-1', 5001, $1::jsonb, 100)`, [JSON.stringify(alarm(1))]);
      } finally {
        await pool.end();
      }
      const store = await PgStore.open({ connectionString, schema });
      try {
        expect(await store.schemaVersion()).toBe(PG_SCHEMA_VERSION);
        expect(await store.events({ gateway: 'gw-1' })).toEqual([{ gateway: 'gw-1', epoch: 0, seq: 1, type: 'alarm', ts: 5001, event: alarm(1), receivedAt: 100 }]);
        expect(await store.ingestTelemetry('gw-1', [reading(1), reading(2)], 200)).toEqual({ stored: 0, duplicates: 2 });
        expect(await store.ingestEvents('gw-1', [alarm(1)], 200, 0)).toEqual({ stored: 0, duplicates: 1 });
        expect(await store.ingestTelemetry('gw-1', [reading(1)], 300, 1_790_000_000_000)).toEqual({ stored: 1, duplicates: 0 });
        expect(await store.ingestEvents('gw-1', [alarm(1)], 300, 1_790_000_000_000)).toEqual({ stored: 1, duplicates: 0 });
      } finally {
        await store.close();
      }
    });

    it('refuses a schema name that would need quoting', async () => {
      await expect(PgStore.open({ connectionString, schema: 'x; DROP TABLE y' })).rejects.toSatisfy(
        (e) => e instanceof StoreError && e.code === 'STORE_INVALID',
      );
    });
  });
});
