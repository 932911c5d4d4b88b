import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonFileLimitsStore, LIMITS_FILE } from '../../src/poller/limits-store.js';
import { createFixture, quirky } from './poller-fixture.js';

// The datasheet (what the gateway believes) against the device (what the simulator does).
const datasheet = quirky({ maxRegistersPerRead: 125 });
const device = quirky({ maxRegistersPerRead: 16, holes: [{ table: 'holding', from: 31, to: 32 }, { table: 'holding', from: 60, to: 60 }] });

async function run(store?: JsonFileLimitsStore, profile = datasheet) {
  const f = createFixture([{ id: 'q1', unit: 1, profile, simProfile: device }], { polling: { fast: '1s' }, ...(store ? { store } : {}) });
  f.units.get(1)!.bank.setWords('holding', 0, Array.from({ length: 40 }, (_, i) => 500 + i));
  return f;
}

describe('adaptive planning against a device that refuses merged reads', () => {
  it('learns the cap, the gap hole and the missing point, then reads without errors', async () => {
    const f = await run();
    await f.poller.start();
    // First cycle: exceptions, splits, a hole and a cap that works; then one trial read per cycle
    // homes in on the device's real cap (a binary search between what worked and what was refused).
    await f.clock.advance(15_000);
    const notices = f.events.filter((e) => e.type === 'notice');
    const learnedAt = notices.at(-1)!.ts;
    const exposed = f.poller.learnedLimits().q1;
    const stopping = f.poller.stop();
    await f.clock.advance(1_000);
    await stopping;

    const early = f.transport.records.filter((r) => r.start < learnedAt);
    expect(early.some((r) => r.outcome === 'MODBUS_EXCEPTION')).toBe(true);
    const later = f.transport.records.filter((r) => r.start >= learnedAt);
    expect(later.length).toBeGreaterThan(10);
    expect(later.filter((r) => r.outcome !== 'ok')).toEqual([]);
    expect(Math.max(...later.map((r) => r.count))).toBe(16);
    // Refusals: the merged reads of the first cycle and one per failed trial, log2-bounded.
    expect(early.filter((r) => r.outcome === 'MODBUS_EXCEPTION').length).toBeLessThanOrEqual(12);

    const learned = f.store.saved.get('q1:quirky@1');
    expect(learned?.maxRegisters).toBe(16);
    expect(learned?.holes).toEqual([{ table: 'holding', from: 30, to: 33 }, { table: 'holding', from: 60, to: 60 }]);
    expect(exposed).toEqual(learned);
    // A notice when the hole and a first cap were found, and one when the cap search settled.
    expect(notices).toMatchObject([{ code: 'LIMITS_LEARNED', device: 'q1', level: 'info' }, { code: 'LIMITS_LEARNED', details: { maxRegisters: 16 } }]);

    // Every real point good with the device's value; the ghost point reported comm-fail once.
    const byPoint = new Map<string, unknown[]>();
    for (const r of f.telemetry) byPoint.set(r.point, [...(byPoint.get(r.point) ?? []), r.quality === 'good' ? r.value : r.quality]);
    for (const p of datasheet.points) {
      if (p.id === 'ghost') expect(byPoint.get(p.id)).toEqual(['comm-fail']);
      else expect(byPoint.get(p.id)).toEqual([500 + p.address]);
    }
  });

  it('persists what it learned to dataDir and starts the next run with it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-limits-'));
    try {
      const first = await run(new JsonFileLimitsStore(dir));
      await first.poller.start();
      await first.clock.advance(15_000);
      const s1 = first.poller.stop();
      await first.clock.advance(1_000);
      await s1;
      const file = JSON.parse(await readFile(path.join(dir, LIMITS_FILE), 'utf8')) as Record<string, unknown>;
      expect(Object.keys(file)).toEqual(['q1:quirky@1']);

      const second = await run(new JsonFileLimitsStore(dir));
      await second.poller.start();
      await second.clock.advance(3_000);
      const s2 = second.poller.stop();
      await second.clock.advance(1_000);
      await s2;
      expect(second.transport.records.length).toBeGreaterThan(3);
      expect(second.transport.records.filter((r) => r.outcome !== 'ok')).toEqual([]);
      expect(second.events.filter((e) => e.type === 'notice')).toEqual([]);

      // A revised profile (new version) may have fixed the map: the device is learned afresh.
      const third = await run(new JsonFileLimitsStore(dir), { ...datasheet, version: 2 });
      await third.poller.start();
      await third.clock.advance(2_000);
      const s3 = third.poller.stop();
      await third.clock.advance(1_000);
      await s3;
      expect(third.transport.records.some((r) => r.outcome === 'MODBUS_EXCEPTION')).toBe(true);
      expect(third.events.filter((e) => e.type === 'notice')[0]).toMatchObject({ code: 'LIMITS_LEARNED' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
