import { afterEach, describe, expect, it } from 'vitest';
import type { NewReading } from '../../src/outbox/outbox-types.js';
import { builtin, createFixture } from './poller-fixture.js';

const lift = builtin('liftronic-lmi-200');
const meter = builtin('aquametrix-um50');

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function started(f: ReturnType<typeof createFixture>) {
  cleanup = async () => {
    // Transactions in flight end in fake time: keep the clock moving while stop() waits for them.
    const stopping = f.poller.stop();
    await f.clock.advance(1_000);
    await stopping;
  };
  await f.poller.start();
  return f;
}

const latest = (readings: NewReading[], device: string) => {
  const out: Record<string, NewReading> = {};
  for (const r of readings) if (r.device === device) out[r.point] = r;
  return out;
};

describe('Poller on a simulated RTU bus (fake clock)', () => {
  it('reads every point of every class and decodes the sim truth, stamped with the read time', async () => {
    const f = await started(createFixture([{ id: 'lift-a', unit: 1, profile: lift }, { id: 'meter-a', unit: 2, profile: meter }]));
    await f.clock.advance(25_000);
    for (const [id, profile] of [['lift-a', lift], ['meter-a', meter]] as const) {
      const got = latest(f.telemetry, id);
      const truth = f.devices.get(id)!.truth().values;
      expect(Object.keys(got).sort()).toEqual(profile.points.map((p) => p.id).sort());
      for (const p of profile.points) {
        expect(got[p.id]?.quality).toBe('good');
        expect(got[p.id]?.value).toEqual(truth[p.id]);
      }
    }
    // Each reading carries the time its response arrived: the end of one of the transactions.
    const ends = new Set(f.transport.records.map((r) => Math.round(r.end)));
    expect(f.telemetry.every((r) => ends.has(r.ts))).toBe(true);
  });

  it('reports by exception: unchanged values are not resent, a full snapshot is', async () => {
    const f = await started(createFixture([{ id: 'lift-a', unit: 1, profile: lift }]));
    await f.clock.advance(25_000); // every class polled at least once: the first full snapshot
    const before = f.telemetry.length;
    await f.clock.advance(20_000); // nothing moves: the sim is not stepped
    expect(f.telemetry.length).toBe(before);
    await f.clock.advance(30_000); // past polling.snapshot (1 min) since the first cycle
    const snapshot = f.telemetry.slice(before);
    expect(new Set(snapshot.map((r) => r.point))).toEqual(new Set(lift.points.map((p) => p.id)));
  });

  it('sends a moved value only beyond its deadband', async () => {
    const f = await started(createFixture([{ id: 'lift-a', unit: 1, profile: lift }]));
    await f.clock.advance(25_000);
    const bank = f.units.get(1)!.bank;
    const load = lift.points.find((p) => p.id === 'load')!; // deadband 5 %
    const address = load.address - lift.transport.base;
    const current = bank.getWords('input', address, 1)[0]!;
    const n = f.telemetry.length;
    bank.setWords('input', address, [current + 4]);
    await f.clock.advance(5_000);
    expect(f.telemetry.slice(n).filter((r) => r.point === 'load')).toEqual([]);
    bank.setWords('input', address, [current + 5]);
    await f.clock.advance(5_100); // the fake device samples at the request; the reply lands 10 ms later
    expect(f.telemetry.slice(n).filter((r) => r.point === 'load').map((r) => r.value)).toEqual([current + 5]);
  });

  it('takes a dead device offline with one comm-fail per point, probes with backoff, and brings it back', async () => {
    const f = await started(createFixture([{ id: 'lift-a', unit: 1, profile: lift }, { id: 'meter-a', unit: 2, profile: meter }]));
    await f.clock.advance(25_000);
    f.units.get(1)!.faults.noReply = true;
    const n = f.telemetry.length;
    await f.clock.advance(40_000);
    const fails = f.telemetry.slice(n).filter((r) => r.device === 'lift-a');
    expect(fails.every((r) => r.quality === 'comm-fail' && r.value === null)).toBe(true);
    expect(fails.map((r) => r.point).sort()).toEqual(lift.points.map((p) => p.id).sort());
    expect(f.events.filter((e) => e.type === 'device')).toMatchObject([{ device: 'lift-a', state: 'offline' }]);
    expect(f.events.some((e) => e.type === 'bus')).toBe(false);
    expect(f.poller.deviceHealth().find((d) => d.id === 'lift-a')?.state).toBe('offline');
    // Once offline, only probes go to it: one single-point read each, 1 s doubling to maxProbeInterval (8 s).
    const offlineAt = f.events.find((e) => e.type === 'device')!.ts;
    const probes = f.transport.records.filter((r) => r.unit === 1 && r.start >= offlineAt);
    expect(probes.every((r) => r.count === 1 && r.outcome === 'MODBUS_TIMEOUT')).toBe(true);
    const gaps = probes.slice(1).map((r, i) => Math.round((r.start - probes[i]!.start) / 100) / 10);
    // Each gap is the probe's own timeout (the profile's 500 ms) plus the backoff delay.
    expect(gaps.slice(0, 4)).toEqual([2.5, 4.5, 8.5, 8.5]);
    f.units.get(1)!.faults.noReply = false;
    await f.clock.advance(10_000);
    expect(f.events.filter((e) => e.type === 'device').map((e) => (e as { state: string }).state)).toEqual(['offline', 'online']);
    expect(latest(f.telemetry, 'lift-a').floor?.quality).toBe('good');
  });

  it('calls it one bus-down event when every device stops answering', async () => {
    const f = await started(createFixture([{ id: 'lift-a', unit: 1, profile: lift }, { id: 'meter-a', unit: 2, profile: meter }]));
    await f.clock.advance(25_000);
    for (const u of f.units.values()) u.faults.noReply = true;
    await f.clock.advance(30_000);
    expect(f.events.filter((e) => e.type === 'bus' || e.type === 'device')).toMatchObject([{ type: 'bus', state: 'down' }]);
    for (const u of f.units.values()) u.faults.noReply = false;
    await f.clock.advance(15_000);
    expect(f.events.filter((e) => e.type === 'bus' || e.type === 'device')).toMatchObject([{ type: 'bus', state: 'down' }, { type: 'bus', state: 'up' }]);
  });

  it('marks a value stale when the bus cannot keep up, once, then good again', async () => {
    const f = await started(createFixture([{ id: 'lift-a', unit: 1, profile: lift, poll: { fast: '100ms' } }]));
    await f.clock.advance(1_000);
    f.transport.latencyMs = 190; // under the 200 ms timeout, but two fast reads now take 380 ms > 3 × 100 ms
    await f.clock.advance(3_000);
    const floor = f.telemetry.filter((r) => r.point === 'floor').map((r) => r.quality);
    expect(floor).toContain('stale');
    expect(floor.filter((q, i) => q === 'stale' && floor[i - 1] === 'stale')).toEqual([]);
  });

  it('runs the profile alarm rules on the readings and emits raise events', async () => {
    const f = await started(createFixture([{ id: 'lift-a', unit: 1, profile: lift }]));
    await f.clock.advance(2_000);
    expect(f.events.filter((e) => e.type === 'alarm')).toEqual([]);
    f.devices.get('lift-a')!.injectFault('power-failure');
    await f.clock.advance(4_000);
    const alarms = f.events.filter((e) => e.type === 'alarm');
    expect(alarms).toContainEqual(expect.objectContaining({ type: 'alarm', device: 'lift-a', rule: 'power-failure', state: 'raise', severity: 'critical' }));
  });

  it('still reads normal and slow points of a device whose request gap eats its whole fast interval', async () => {
    // The meter needs 100 ms between requests and is asked for its fast points every 100 ms,
    // while a second device keeps the fast lane busy: strict priority alone would never read
    // the meter's normal and slow classes.
    const f = await started(createFixture(
      [{ id: 'lift-a', unit: 1, profile: lift }, { id: 'meter-a', unit: 2, profile: meter }],
      { polling: { fast: '100ms', normal: '200ms', slow: '300ms' } },
    ));
    // Each normal or slow read waits at most starvationLimit (8) of the meter's fast reads.
    await f.clock.advance(5_000);
    const read = new Set(f.telemetry.filter((r) => r.device === 'meter-a' && r.quality === 'good').map((r) => r.point));
    expect(meter.points.filter((p) => !read.has(p.id)).map((p) => p.id)).toEqual([]);
    // They come in far slower than asked for, and say so: stale, not silently old.
    expect(f.telemetry.some((r) => r.device === 'meter-a' && r.quality === 'stale')).toBe(true);
  });
});
