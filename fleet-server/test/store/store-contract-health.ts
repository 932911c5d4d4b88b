import { describe, expect, it } from 'vitest';
import type { GatewayHealth } from '@edgefleet/protocol';
import type { Store } from '../../src/store/index.js';

function health(seq: number, ts: number, bootId = 'boot-a'): GatewayHealth {
  return {
    v: 1, gateway: 'gw-1', bootId, seq, ts, uptimeS: seq * 30,
    outbox: { events: { depth: 0 }, telemetry: { depth: seq, dropped: 0 }, bytes: 100, maxBytes: 1_000_000 },
    buses: [], devices: [], clock: { source: 'ntp', skewMs: 3 }, config: { version: 2 },
  };
}

/** Gateway health; `store` is read per test (beforeEach replaces it). */
export function describeHealthContract(store: () => Store): void {
  describe('gateway health', () => {
    it('keeps the newest report per gateway even when an older one arrives late', async () => {
      expect(await store().latestHealth('gw-1')).toBeUndefined();
      expect(await store().recordHealth(health(2, 60_000), 61_000)).toBe(true);
      expect(await store().recordHealth(health(1, 30_000), 62_000)).toBe(false);
      expect(await store().latestHealth('gw-1')).toEqual({ health: health(2, 60_000), receivedAt: 61_000 });
      // A restart (new boot id, seq from 1) with a newer ts replaces it.
      expect(await store().recordHealth(health(1, 90_000, 'boot-b'), 91_000)).toBe(true);
      expect((await store().latestHealth('gw-1'))?.health.bootId).toBe('boot-b');
      expect(await store().latestHealth('gw-2')).toBeUndefined();
    });
  });
}
