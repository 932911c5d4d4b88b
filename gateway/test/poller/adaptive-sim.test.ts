import { afterEach, describe, expect, it } from 'vitest';
import { quirky } from './poller-fixture.js';
import { latestGoodOf, latestOf, startSimGateway, waitFor } from './sim-gateway.js';

// The gateway's profile says 125 registers a read and no holes; the simulated device caps
// reads at 16 and answers exception 2 for a hole in a gap and for the `ghost` point.
const datasheet = quirky({ maxRegistersPerRead: 125 });
const device = quirky({ maxRegistersPerRead: 16, holes: [{ table: 'holding', from: 31, to: 32 }, { table: 'holding', from: 60, to: 60 }] }, 'quirky-device');

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('adaptive planning over a real RTU line', () => {
  it('learns the device limits from its refusals and then reads it without errors', async () => {
    const gw = await startSimGateway({
      kind: 'rtu',
      devices: [{ id: 'q1', unit: 5, profile: datasheet, simProfile: device.id }],
      extraProfiles: [datasheet, device],
      polling: { fast: '50ms' },
    });
    stop = gw.stop;
    await gw.poller.start();
    // Learned once the cap search has settled on the device's real cap (16).
    await gw.collector.until(() => gw.collector.events.some((e) => e.type === 'notice' && e.code === 'LIMITS_LEARNED' && e.details?.maxRegisters === 16));
    const afterLearning = gw.poller.busHealth()[0]!.errors;
    const polls = gw.poller.deviceHealth()[0]!.polls;
    // Twenty more cycles with the learned plan.
    await waitFor(() => gw.poller.deviceHealth()[0]!.polls >= polls + 20);
    expect(afterLearning.MODBUS_EXCEPTION).toBeGreaterThan(0);
    expect(gw.poller.busHealth()[0]!.errors).toEqual(afterLearning);
    const health = gw.poller.deviceHealth()[0]!;
    expect(health.learned?.maxRegisters).toBe(16);
    expect(health.learned?.holes).toContainEqual({ table: 'holding', from: 60, to: 60 });
    const got = latestOf(gw.collector.telemetry, 'q1');
    // Read values from the last good reading: at 50 ms a loaded host may since have marked a point
    // stale (the bus fell behind), which is no read failure; comm-fail would be one.
    const read = latestGoodOf(gw.collector.telemetry, 'q1');
    const truth = gw.site.truth('q1').values;
    for (const p of datasheet.points) {
      if (p.id === 'ghost') expect(got.get(p.id)?.quality).toBe('comm-fail');
      else expect({ id: p.id, value: read.get(p.id)?.value, failed: got.get(p.id)?.quality === 'comm-fail' }).toEqual({ id: p.id, value: truth[p.id], failed: false });
    }
  });
});
