import type { GatewayStatus, Reading } from '@edgefleet/protocol';
import type { Ingest } from '../ingest/start-ingest.js';
import type { Store } from '../store/store.js';
import type { LiveEvent } from './live-event.js';
import type { LiveHub } from './live-hub.js';

/** Newest reading per point (by ts, then seq, as the store's latest values), grouped by device. */
export function newestPerDevice(readings: readonly Reading[]): Map<string, Reading[]> {
  const newest = new Map<string, Map<string, Reading>>();
  for (const r of readings) {
    const points = newest.get(r.device) ?? new Map<string, Reading>();
    newest.set(r.device, points);
    const best = points.get(r.point);
    if (!best || r.ts > best.ts || (r.ts === best.ts && r.seq > best.seq)) points.set(r.point, r);
  }
  return new Map([...newest].map(([device, points]) => [device, [...points.values()]]));
}

/**
 * Gateway status changes and stored telemetry from the ingest (called after the store committed)
 * become `gateway` events (on a change of state only) and `values` events (of the readings stored
 * as new only). Returns the disconnect.
 */
export function observeIngest(ingest: Pick<Ingest, 'listen'>, store: Pick<Store, 'getGateway' | 'latestValues'>, hub: LiveHub): () => void {
  const siteOf = async (gatewayId: string): Promise<string | undefined> => (await store.getGateway(gatewayId))?.site;
  /**
   * The new readings of a partly duplicate batch: the store reports only a count, so the readings
   * that are now a point's latest value stand in (a re-sent one among them only repeats a value
   * already reported). Read here, only while someone watches (LiveHub.publishLater), not on the
   * ingest's path to the PUBACK.
   */
  const newReadings = async (gatewayId: string, items: readonly Reading[], stored: number): Promise<readonly Reading[]> => {
    if (stored === items.length) return items;
    const key = (r: Pick<Reading, 'device' | 'point' | 'ts' | 'seq'>): string => `${r.device}\u0000${r.point}\u0000${r.ts}\u0000${r.seq}`;
    const latest = new Set((await store.latestValues(gatewayId)).map(key));
    return items.filter((r) => latest.has(key(r)));
  };
  /**
   * Each gateway's state as last reported, to push a `gateway` event on a change only: a gateway
   * re-sends `online` with every config it applies, and the page uses only the state (the site
   * view's gateway status; the overview re-fetches on each event). Updated whether or not anyone
   * watches: a page that loads later shows the stored state, and its next event must be a change
   * from that one. A gateway's first status after the server started counts as a change (the state
   * before it is not known here).
   */
  const states = new Map<string, GatewayStatus['state']>();
  return ingest.listen({
    onStatus: (status) => {
      if (states.get(status.gateway) === status.state) return;
      states.set(status.gateway, status.state);
      hub.publishLater(async () => {
        const site = await siteOf(status.gateway);
        if (site === undefined) return [];
        return [{ name: 'gateway', site, audience: 'any', data: { gateway: status.gateway, site, status: status.state, at: status.ts } }];
      });
    },
    onTelemetry: (gatewayId, items, stored) => hub.publishLater(async () => {
      const site = await siteOf(gatewayId);
      if (site === undefined) return [];
      const readings = await newReadings(gatewayId, items, stored);
      return [...newestPerDevice(readings)].map(([device, newest]): LiveEvent => ({
        name: 'values', site, audience: 'any',
        data: { gateway: gatewayId, site, device, values: newest.map((r) => ({ point: r.point, value: r.value, quality: r.quality, ts: r.ts })) },
      }));
    }),
  });
}
