import { afterEach, describe, expect, it } from 'vitest';
import { builtin } from './poller-fixture.js';
import { latestGoodOf, startSimGateway } from './sim-gateway.js';

const FAMILIES = [
  { id: 'lift-1', unit: 1, profile: builtin('liftronic-lmi-200') },
  { id: 'park-1', unit: 2, profile: builtin('parksense-pgc-128') },
  { id: 'meter-1', unit: 3, profile: builtin('aquametrix-um50') },
  { id: 'cabinet-1', unit: 4, profile: builtin('semaforo-tsc-8') },
];

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe.each(['tcp', 'rtu'] as const)('poller against firmware-sim over %s', (kind) => {
  it('polls all four families; every decoded value equals the sim truth', async () => {
    // Snapshots every second, so after the sim moves every point is sent again, deadband or not.
    const gw = await startSimGateway({ kind, devices: FAMILIES, polling: { fast: '200ms', normal: '300ms', slow: '500ms', snapshot: '1s' } });
    stop = gw.stop;
    const completeSince = (t: number) => (): boolean =>
      FAMILIES.every((d) => {
        const got = latestGoodOf(gw.collector.telemetry, d.id);
        return d.profile.points.every((p) => (got.get(p.id)?.ts ?? -1) >= t);
      });
    const expectTruth = (): void => {
      for (const d of FAMILIES) {
        const truth = gw.site.truth(d.id).values;
        const got = latestGoodOf(gw.collector.telemetry, d.id);
        for (const p of d.profile.points) expect({ device: d.id, point: p.id, value: got.get(p.id)?.value }).toEqual({ device: d.id, point: p.id, value: truth[p.id] });
      }
    };
    await gw.poller.start();
    await gw.collector.until(completeSince(0));
    expectTruth();
    // The sim moves on 90 s (lifts travel, water flows, phases change) and holds still again.
    const before = JSON.stringify(FAMILIES.map((d) => gw.site.truth(d.id).values));
    gw.site.step(1_700_000_090_000);
    expect(JSON.stringify(FAMILIES.map((d) => gw.site.truth(d.id).values))).not.toBe(before);
    const moved = Date.now();
    await gw.collector.until(completeSince(moved));
    expectTruth();
    expect(gw.collector.telemetry.every((r) => Number.isInteger(r.ts))).toBe(true);
    const [bus] = gw.poller.busHealth();
    expect(bus).toMatchObject({ id: 'bus-1', kind, state: 'up', errors: {} });
    expect(bus!.transactions).toBeGreaterThan(0);
    const stats = gw.poller.busStats()['bus-1']!;
    expect(stats.transactions).toBe(bus!.transactions);
    expect(stats.busyMs).toBeGreaterThan(0);
    expect(gw.poller.deviceHealth().map((h) => h.state)).toEqual(['online', 'online', 'online', 'online']);
  });
});
