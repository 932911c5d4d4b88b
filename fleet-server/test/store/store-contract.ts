import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WireValue } from '@edgefleet/protocol';
import { MAX_QUERY_LIMIT, StoreError } from '../../src/store/index.js';
import type { ClosableStore } from './store-fixtures.js';
import { alarm, reading, seedInventory } from './store-fixtures.js';
import { describeApiContract } from './store-contract-api.js';
import { describeEpochContract } from './store-contract-epoch.js';
import { describeHealthContract } from './store-contract-health.js';
import { describeInventoryContract } from './store-contract-inventory.js';
import { describeOutboxContract } from './store-contract-outbox.js';
import { describeReadModelContract } from './store-contract-read-model.js';

export type { ClosableStore } from './store-fixtures.js';

/**
 * The behaviour every Store implementation must show. `makeStore` opens a store; `reopen`
 * (optional) opens the SAME database again after close, for persistence and migration tests.
 */
export function describeStoreContract(
  name: string,
  makeStore: () => Promise<ClosableStore>,
  reopen?: () => Promise<ClosableStore>,
): void {
  describe(`Store contract: ${name}`, () => {
    let store: ClosableStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('telemetry ingest', () => {
      it('stores a replayed item once and counts the replay as a duplicate', async () => {
        expect(await store.ingestTelemetry('gw-1', [reading(1), reading(2)])).toEqual({ stored: 2, duplicates: 0 });
        expect(await store.ingestTelemetry('gw-1', [reading(1), reading(2)])).toEqual({ stored: 0, duplicates: 2 });
        const rows = await store.telemetry({ gateway: 'gw-1', device: 'car-1', point: 'floor', from: 0, to: 1e12 });
        expect(rows.map((r) => r.seq)).toEqual([1, 2]);
      });

      it('dedups per item when a re-sent batch is split differently', async () => {
        await store.ingestTelemetry('gw-1', [reading(1), reading(2), reading(3)]);
        const result = await store.ingestTelemetry('gw-1', [reading(3), reading(4)]);
        expect(result).toEqual({ stored: 1, duplicates: 1 });
        const rows = await store.telemetry({ gateway: 'gw-1', device: 'car-1', point: 'floor', from: 0, to: 1e12 });
        expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      });

      it('counts a seq repeated inside one batch once', async () => {
        expect(await store.ingestTelemetry('gw-1', [reading(7), reading(7)])).toEqual({ stored: 1, duplicates: 1 });
      });

      it('keeps seqs of different gateways and of the events stream apart', async () => {
        await store.ingestTelemetry('gw-1', [reading(1)]);
        expect(await store.ingestTelemetry('gw-2', [reading(1)])).toEqual({ stored: 1, duplicates: 0 });
        expect(await store.ingestEvents('gw-1', [alarm(1)])).toEqual({ stored: 1, duplicates: 0 });
      });

      it('round-trips every wire value kind and the quality', async () => {
        const items = [
          reading(1, { point: 'n', value: 12.5 }),
          reading(2, { point: 'b', value: true }),
          reading(3, { point: 's', value: 'door open' }),
          reading(4, { point: 'bits', value: [true, false, true] }),
          reading(5, { point: 'gone', value: null, quality: 'comm-fail' }),
        ];
        await store.ingestTelemetry('gw-1', items);
        const latest = await store.latestValues('gw-1', 'car-1');
        expect(latest.map((l) => [l.point, l.value, l.quality])).toEqual([
          ['b', true, 'good'], ['bits', [true, false, true], 'good'], ['gone', null, 'comm-fail'],
          ['n', 12.5, 'good'], ['s', 'door open', 'good'],
        ]);
      });

      it('keeps the newest ts as the latest value even when an older item arrives later', async () => {
        await store.ingestTelemetry('gw-1', [reading(10, { ts: 50_000, value: 3 })]);
        await store.ingestTelemetry('gw-1', [reading(4, { ts: 20_000, value: 1 })]);
        const [latest] = await store.latestValues('gw-1', 'car-1');
        expect(latest).toMatchObject({ ts: 50_000, value: 3, seq: 10 });
        // The older reading is still history.
        const rows = await store.telemetry({ gateway: 'gw-1', device: 'car-1', point: 'floor', from: 0, to: 1e12 });
        expect(rows.map((r) => r.ts)).toEqual([20_000, 50_000]);
      });

      it('lets the later seq win on equal ts', async () => {
        await store.ingestTelemetry('gw-1', [reading(2, { ts: 9_000, value: 'b' }), reading(1, { ts: 9_000, value: 'a' })]);
        const [latest] = await store.latestValues('gw-1');
        expect(latest).toMatchObject({ seq: 2, value: 'b' });
      });

      it('takes the newest of many readings of a point in one batch, and still keeps a newer one stored before', async () => {
        // A drained backlog: several readings per point in one batch, not in ts order.
        await store.ingestTelemetry('gw-1', [
          reading(1, { ts: 3_000, value: 3 }), reading(2, { ts: 5_000, value: 5 }), reading(3, { ts: 4_000, value: 4 }),
          reading(4, { point: 'load', ts: 1_000, value: 10 }), reading(5, { point: 'load', ts: 1_000, value: 11 }),
        ]);
        expect((await store.latestValues('gw-1', 'car-1')).map((l) => [l.point, l.seq, l.value])).toEqual([['floor', 2, 5], ['load', 5, 11]]);
        await store.ingestTelemetry('gw-1', [reading(6, { ts: 4_500, value: 45 }), reading(7, { point: 'load', ts: 2_000, value: 12 })]);
        expect((await store.latestValues('gw-1', 'car-1')).map((l) => [l.point, l.seq, l.value])).toEqual([['floor', 2, 5], ['load', 7, 12]]);
        // Every reading is history, whichever won the latest value.
        expect(await store.telemetry({ gateway: 'gw-1', device: 'car-1', point: 'floor', from: 0, to: 1e12 })).toHaveLength(4);
      });

      it('lists latest values per gateway, optionally per device', async () => {
        await store.ingestTelemetry('gw-1', [reading(1, { device: 'car-2' }), reading(2), reading(3, { point: 'load' })]);
        await store.ingestTelemetry('gw-2', [reading(1)]);
        const all = await store.latestValues('gw-1');
        expect(all.map((l) => `${l.device}/${l.point}`)).toEqual(['car-1/floor', 'car-1/load', 'car-2/floor']);
        expect((await store.latestValues('gw-1', 'car-2')).map((l) => l.seq)).toEqual([1]);
        expect(await store.latestValues('gw-9')).toEqual([]);
      });

      it('answers range queries as from <= ts < to, oldest first, bounded by limit', async () => {
        await store.ingestTelemetry('gw-1', [5, 1, 4, 2, 3].map((s) => reading(s)));
        await store.ingestTelemetry('gw-1', [reading(6, { point: 'load', ts: 2_500 })]);
        const q = { gateway: 'gw-1', device: 'car-1', point: 'floor' };
        expect((await store.telemetry({ ...q, from: 2_000, to: 4_000 })).map((r) => r.ts)).toEqual([2_000, 3_000]);
        expect((await store.telemetry({ ...q, from: 0, to: 1e12, limit: 2 })).map((r) => r.ts)).toEqual([1_000, 2_000]);
        expect(await store.telemetry({ ...q, from: 6_000, to: 9_000 })).toEqual([]);
      });

      it('stores nothing and burns no seq when a batch fails midway', async () => {
        // A value JSON cannot encode fails inside the transaction, after seq 1 was written.
        const poison = reading(2, { value: 1n as unknown as WireValue });
        await expect(store.ingestTelemetry('gw-1', [reading(1), poison])).rejects.toThrow();
        expect(await store.latestValues('gw-1')).toEqual([]);
        expect(await store.ingestTelemetry('gw-1', [reading(1), reading(2)])).toEqual({ stored: 2, duplicates: 0 });
      });

      it('refuses a query limit outside 1..MAX_QUERY_LIMIT', async () => {
        const q = { gateway: 'gw-1', device: 'car-1', point: 'floor', from: 0, to: 1e12 };
        for (const limit of [0, -1, 1.5, MAX_QUERY_LIMIT + 1]) {
          await expect(store.telemetry({ ...q, limit })).rejects.toSatisfy((e) => e instanceof StoreError && e.code === 'STORE_INVALID');
        }
      });
    });

    describe('event ingest', () => {
      it('stores a replayed event once and returns it parsed, in ts order', async () => {
        expect(await store.ingestEvents('gw-1', [alarm(2), alarm(1)], 777)).toEqual({ stored: 2, duplicates: 0 });
        expect(await store.ingestEvents('gw-1', [alarm(2), alarm(3, 'clear')])).toEqual({ stored: 1, duplicates: 1 });
        const events = await store.events({ gateway: 'gw-1' });
        expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
        expect(events[0]).toMatchObject({ type: 'alarm', receivedAt: 777, event: alarm(1) });
        expect((await store.events({ gateway: 'gw-1', from: 5_002, to: 5_003 })).map((e) => e.seq)).toEqual([2]);
      });
    });

    describe('audit log', () => {
      it('appends entries and lists them newest first, filtered by time, actor and target', async () => {
        const a = await store.appendAudit({ at: 1_000, actor: 'user:ann', action: 'gateway.upsert', target: 'gateway:gw-1', details: { name: 'A' } });
        await store.appendAudit({ at: 2_000, actor: 'contact:c1', action: 'alert.acknowledge', target: 'alert:1', details: { via: 'link' } });
        await store.appendAudit({ at: 3_000, actor: 'user:ann', action: 'alert.resolve', target: 'alert:1', details: {} });
        expect((await store.listAudit({})).map((e) => e.at)).toEqual([3_000, 2_000, 1_000]);
        expect((await store.listAudit({ actor: 'user:ann' })).map((e) => e.action)).toEqual(['alert.resolve', 'gateway.upsert']);
        expect((await store.listAudit({ target: 'alert:1', from: 2_500 })).map((e) => e.at)).toEqual([3_000]);
        expect((await store.listAudit({ to: 2_000 }))).toEqual([a]);
      });
    });

    describeEpochContract(() => store);
    describeInventoryContract(() => store);
    describeHealthContract(() => store);
    describeOutboxContract(() => store, seedInventory);
    describeApiContract(() => store);
    describeReadModelContract(() => store);

    if (reopen) {
      it('keeps data and applies migrations idempotently when reopened', async () => {
        await seedInventory(store);
        await store.ingestTelemetry('gw-1', [reading(1)]);
        await store.close();
        store = await reopen();
        await store.close();
        store = await reopen();
        expect(await store.getGateway('gw-1')).toMatchObject({ site: 'site-a' });
        expect(await store.ingestTelemetry('gw-1', [reading(1)])).toEqual({ stored: 0, duplicates: 1 });
      });
    }

    it('raises StoreError with a stable code for bad input', async () => {
      await expect(store.setGatewayStatus('nope', 'online', 1)).rejects.toSatisfy(
        (e) => e instanceof StoreError && e.code === 'STORE_NOT_FOUND',
      );
    });
  });
}
