import { describe, expect, it } from 'vitest';
import { builtin, createFixture } from './poller-fixture.js';
import { settle } from '../scheduler/fake-clock.js';

const lift = builtin('liftronic-lmi-200');
const meter = builtin('aquametrix-um50');
const device = (id: string, unit: number, profile: string, extra: object = {}) => ({ id, bus: 'line-1', unit, profile, enabled: true, ...extra });

/** Runs an async poller call while fake time moves, so transactions in flight can end. */
async function whileTicking<T>(f: ReturnType<typeof createFixture>, call: Promise<T>): Promise<T> {
  await f.clock.advance(1_000);
  return call;
}

describe('Poller lifecycle', () => {
  it('stop() resolves only after the transaction in flight has ended, and polls nothing after', async () => {
    const f = createFixture([{ id: 'lift-a', unit: 1, profile: lift }]);
    f.transport.latencyMs = 50;
    await f.poller.start();
    await f.clock.advance(20); // the first read is on the line
    expect(f.transport.inFlight).toBe(1);
    let stopped = false;
    const stopping = f.poller.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    await f.clock.advance(30);
    await stopping;
    expect(f.transport.inFlight).toBe(0);
    const count = f.transport.records.length;
    await f.clock.advance(10_000);
    expect(f.transport.records.length).toBe(count);
  });

  it('updateDevices adds, removes and changes devices at runtime', async () => {
    const f = createFixture([{ id: 'lift-a', unit: 1, profile: lift }, { id: 'meter-a', unit: 2, profile: meter }]);
    await f.poller.start();
    await f.clock.advance(3_000);
    expect(f.poller.deviceHealth().map((h) => h.id).sort()).toEqual(['lift-a', 'meter-a']);

    // meter-a removed; lift-a changed (a slower fast class); the meter comes back as meter-b.
    const since = f.clock.now();
    await whileTicking(f, f.poller.updateDevices([device('lift-a', 1, lift.id, { poll: { fast: '5s' } }), device('meter-b', 2, meter.id)]));
    await f.clock.advance(10_000);
    const after = f.telemetry.filter((r) => r.ts >= since);
    expect(after.some((r) => r.device === 'meter-a')).toBe(false);
    expect(after.some((r) => r.device === 'meter-b' && r.quality === 'good')).toBe(true);
    const liftFastReads = f.transport.records.filter((r) => r.unit === 1 && r.start >= since && r.table === 'holding');
    expect(liftFastReads.length).toBeLessThanOrEqual(4); // every 5 s over 11 s now, not every second
    expect(f.poller.deviceHealth().map((h) => h.id).sort()).toEqual(['lift-a', 'meter-b']);
    // Health names each device's profile and unit: the server's inventory learns locally configured devices from it.
    expect(f.poller.deviceHealth().find((h) => h.id === 'meter-b')).toMatchObject({ bus: 'line-1', profile: meter.id, unit: 2, state: 'online' });

    // A disabled device is not polled.
    await whileTicking(f, f.poller.updateDevices([device('lift-a', 1, lift.id, { enabled: false })]));
    const quiet = f.transport.records.length;
    await f.clock.advance(5_000);
    expect(f.transport.records.length).toBe(quiet);
    await expect(f.poller.updateDevices([device('x', 3, lift.id, { bus: 'nope' })])).rejects.toThrow(/unknown bus "nope"/);

    const stopping = f.poller.stop();
    await f.clock.advance(1_000);
    await stopping;
  });

  it('runs commands in the command lane ahead of queued polls', async () => {
    const f = createFixture([{ id: 'lift-a', unit: 1, profile: lift }, { id: 'meter-a', unit: 2, profile: meter }]);
    await f.poller.start();
    await f.clock.advance(1); // both devices' first polls are queued or on the line
    const target = f.poller.commandTarget('lift-a');
    expect(target).toMatchObject({ unit: 1, timeoutMs: 500 });
    const before = f.transport.records.length;
    const done = f.poller.runOnDevice('meter-a', (t) => t.writeRegisters(2, 100, [1], 500));
    await f.clock.advance(100);
    await done;
    // The write is the first transaction to start after the one that was on the line.
    expect(f.transport.records.slice(before).findIndex((r) => r.table === 'write')).toBeLessThanOrEqual(1);
    await expect(f.poller.runOnDevice('nope', async () => 1)).rejects.toThrow(/no device "nope"/);
    const stopping = f.poller.stop();
    await f.clock.advance(1_000);
    await stopping;
  });
});
