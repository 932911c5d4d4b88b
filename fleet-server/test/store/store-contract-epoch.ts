import { describe, expect, it } from 'vitest';
import type { ClosableStore } from './store-fixtures.js';
import { alarm, reading } from './store-fixtures.js';

const OLD = 1_789_000_000_000;
const NEW = 1_790_000_000_000;

/**
 * The outbox epoch in the dedup key (docs/mqtt-topics.md "Outbox epoch"): a gateway whose outbox
 * file was replaced sends seqs from 1 again under a new epoch, and none of them may be dropped.
 */
export function describeEpochContract(store: () => ClosableStore): void {
  describe('outbox epoch', () => {
    it('stores the same telemetry seq again under a new epoch, and dedups within each epoch', async () => {
      expect(await store().ingestTelemetry('gw-1', [reading(1), reading(2)], 100, OLD)).toEqual({ stored: 2, duplicates: 0 });
      expect(await store().ingestTelemetry('gw-1', [reading(1, { ts: 90_000, value: 91 }), reading(2, { ts: 91_000, value: 92 })], 200, NEW))
        .toEqual({ stored: 2, duplicates: 0 });
      expect(await store().ingestTelemetry('gw-1', [reading(2, { ts: 91_000, value: 92 })], 300, NEW)).toEqual({ stored: 0, duplicates: 1 });
      expect(await store().ingestTelemetry('gw-1', [reading(1)], 400, OLD)).toEqual({ stored: 0, duplicates: 1 });
      const rows = await store().telemetry({ gateway: 'gw-1', device: 'car-1', point: 'floor', from: 0, to: 1e12 });
      expect(rows.map((r) => [r.seq, r.value])).toEqual([[1, 1], [2, 2], [1, 91], [2, 92]]);
      // The latest value goes by ts, whatever the seqs of the two epochs.
      expect((await store().latestValues('gw-1', 'car-1')).map((l) => [l.seq, l.value])).toEqual([[2, 92]]);
    });

    it('treats an absent epoch as epoch 0, the epoch of a gateway that sends none', async () => {
      await store().ingestTelemetry('gw-1', [reading(5)], 100);
      expect(await store().ingestTelemetry('gw-1', [reading(5)], 200, 0)).toEqual({ stored: 0, duplicates: 1 });
      expect(await store().ingestTelemetry('gw-1', [reading(5)], 300, NEW)).toEqual({ stored: 1, duplicates: 0 });
      await store().ingestEvents('gw-1', [alarm(5)], 100);
      expect(await store().ingestEvents('gw-1', [alarm(5)], 200, 0)).toEqual({ stored: 0, duplicates: 1 });
    });

    it('stores events of a new epoch whose seqs collide with the old ones, each row with its epoch', async () => {
      expect(await store().ingestEvents('gw-1', [alarm(1), alarm(2, 'clear')], 100, OLD)).toEqual({ stored: 2, duplicates: 0 });
      expect(await store().ingestEvents('gw-1', [alarm(1), alarm(2, 'clear')], 200, NEW)).toEqual({ stored: 2, duplicates: 0 });
      expect(await store().ingestEvents('gw-1', [alarm(2, 'clear'), alarm(3)], 300, NEW)).toEqual({ stored: 1, duplicates: 1 });
      const events = await store().events({ gateway: 'gw-1' });
      // Oldest first by ts; on equal ts the older epoch first.
      expect(events.map((e) => [e.epoch, e.seq, e.receivedAt])).toEqual([
        [OLD, 1, 100], [NEW, 1, 200], [OLD, 2, 100], [NEW, 2, 200], [NEW, 3, 300],
      ]);
    });

    it('keeps the epochs of different gateways and streams apart', async () => {
      await store().ingestTelemetry('gw-1', [reading(1)], 100, NEW);
      expect(await store().ingestTelemetry('gw-2', [reading(1)], 100, NEW)).toEqual({ stored: 1, duplicates: 0 });
      expect(await store().ingestEvents('gw-1', [alarm(1)], 100, NEW)).toEqual({ stored: 1, duplicates: 0 });
    });
  });
}
