import { describe, expect, it } from 'vitest';
import type { Bus } from '@edgefleet/protocol';
import { BusScheduler, busTiming } from '../../src/scheduler/bus-scheduler.js';
import type { Lane } from '../../src/scheduler/lane-queue.js';
import { t35Ms } from '../../src/scheduler/line-silence.js';
import { ClockedTransport } from './clocked-transport.js';
import { FakeClock, settle } from './fake-clock.js';

const rtuBus = (over: Partial<Extract<Bus, { kind: 'rtu' }>> = {}): Bus => ({
  id: 'line-1', kind: 'rtu', path: '/dev/null', baud: 9600, parity: 'even', dataBits: 8, stopBits: 1, timeout: '500ms', gap: '0ms', ...over,
});
const tcpBus = (maxConcurrent: number): Bus => ({ id: 'plc', kind: 'tcp', host: '127.0.0.1', port: 502, timeout: '1s', maxConcurrent });

function setup(bus: Bus, opts: { starvationLimit?: number } = {}) {
  const clock = new FakeClock();
  const transport = new ClockedTransport(bus.id, bus.kind, clock);
  const scheduler = new BusScheduler(bus, { transport, clock }, opts);
  const read = (device: string, lane: Lane, unit = 1, address = 0) =>
    scheduler.submit({ device, lane, run: (t) => t.read(unit, 'holding', address, 1, 500) });
  return { clock, transport, scheduler, read };
}

describe('BusScheduler on RTU', () => {
  it('keeps exactly one transaction in flight', async () => {
    const { clock, transport, read } = setup(rtuBus());
    const all = Promise.all(Array.from({ length: 12 }, (_, i) => read(`d${i % 4}`, i % 2 ? 'fast' : 'slow', (i % 4) + 1)));
    await clock.advanceUntil(() => transport.records.length === 12);
    await all;
    expect(transport.maxInFlight).toBe(1);
  });

  it('keeps t3.5 plus the configured gap of silence between transactions', async () => {
    const { clock, transport, scheduler, read } = setup(rtuBus({ baud: 9600, gap: '5ms' }));
    const silence = t35Ms(9600, 11) + 5;
    expect(scheduler.silenceMs).toBeCloseTo(silence, 9);
    void Promise.all(Array.from({ length: 6 }, (_, i) => read(`d${i}`, 'normal', i + 1)));
    await clock.advanceUntil(() => transport.records.length === 6);
    const r = transport.records;
    for (let i = 1; i < r.length; i++) expect(r[i]!.start - r[i - 1]!.end).toBeGreaterThanOrEqual(silence - 1e-9);
    // And not much more: the next transaction starts as soon as the silence is over.
    expect(r[1]!.start - r[0]!.end).toBeLessThan(silence + 1.01);
  });

  it('uses the fixed 1.75 ms t3.5 above 19200 baud and 11-bit characters below', () => {
    expect(busTiming(rtuBus({ baud: 115200 })).silenceMs).toBeCloseTo(1.75, 9);
    expect(busTiming(rtuBus({ baud: 9600 })).silenceMs).toBeCloseTo((3.5 * 11 * 1000) / 9600, 9);
    // 8N1 is 10 bits a character: t3.5 shrinks accordingly.
    expect(busTiming(rtuBus({ baud: 9600, parity: 'none', stopBits: 1 })).silenceMs).toBeCloseTo((3.5 * 10 * 1000) / 9600, 9);
  });

  it('runs lanes in priority order, FIFO within a lane', async () => {
    const { clock, transport, read } = setup(rtuBus());
    const order: string[] = [];
    const track = (name: string, lane: Lane, unit: number) => read(name, lane, unit).then(() => order.push(name));
    const first = track('busy', 'slow', 9); // occupies the line while the rest queue up
    const rest = [
      track('s1', 'slow', 1), track('n1', 'normal', 2), track('f1', 'fast', 3), track('c1', 'command', 4),
      track('s2', 'slow', 5), track('f2', 'fast', 6), track('c2', 'command', 7), track('n2', 'normal', 8),
    ];
    await clock.advanceUntil(() => transport.records.length === 9);
    await Promise.all([first, ...rest]);
    expect(order).toEqual(['busy', 'c1', 'c2', 'f1', 'f2', 'n1', 'n2', 's1', 's2']);
  });

  it('makes a device wait its minimum gap while other devices use the bus', async () => {
    const { clock, transport, scheduler, read } = setup(rtuBus({ baud: 115200 }));
    scheduler.setDeviceGap('meter', 100);
    const jobs = [read('meter', 'fast', 1), read('meter', 'fast', 1), ...Array.from({ length: 4 }, (_, i) => read(`lift${i}`, 'slow', i + 2))];
    await clock.advanceUntil(() => transport.records.length === 6);
    await Promise.all(jobs);
    const units = transport.records.map((r) => r.unit);
    // The meter's second (fast) read waits out its gap: the slow reads of other devices go first.
    expect(units).toEqual([1, 2, 3, 4, 5, 1]);
    const meter = transport.records.filter((r) => r.unit === 1);
    expect(meter[1]!.start - meter[0]!.end).toBeGreaterThanOrEqual(100);
  });

  it('does not let a saturated fast lane starve the slow lane forever', async () => {
    const { clock, transport, read } = setup(rtuBus({ baud: 115200 }), { starvationLimit: 4 });
    const busy = read('busy', 'normal', 3); // the line is taken before the others queue
    let slowDone = false;
    void read('slow-dev', 'slow', 2).then(() => (slowDone = true));
    // Keep the fast lane full: every fast completion queues another.
    let stop = false;
    const refill = async (): Promise<void> => {
      while (!stop) await read('fast-dev', 'fast', 1);
    };
    void refill();
    void refill();
    await clock.advanceUntil(() => slowDone);
    stop = true;
    const slowIndex = transport.records.findIndex((r) => r.unit === 2);
    // Passed over by exactly starvationLimit fast dispatches, then served.
    expect(slowIndex).toBe(1 + 4);
    await clock.advance(100);
    await busy;
  });

  it('counts transactions and errors by code', async () => {
    const clock = new FakeClock();
    const transport = new ClockedTransport('line-1', 'rtu', clock, (unit, _t, _a, count) => (unit === 3 ? 'silent' : new Array<number>(count).fill(7)));
    const scheduler = new BusScheduler(rtuBus(), { transport, clock });
    const ok = scheduler.submit({ device: 'a', lane: 'normal', run: (t) => t.read(1, 'holding', 0, 2, 200) });
    const dead = scheduler.submit({ device: 'b', lane: 'normal', probe: true, run: (t) => t.read(3, 'holding', 0, 1, 200) }).catch((e: unknown) => e);
    await clock.advanceUntil(() => transport.records.length === 2);
    await expect(ok).resolves.toEqual([7, 7]);
    expect(await dead).toMatchObject({ code: 'MODBUS_TIMEOUT' });
    const stats = scheduler.stats();
    expect(stats.transactions).toBe(2);
    expect(stats.errors).toEqual({ MODBUS_TIMEOUT: 1 });
    expect(stats.busyMs).toBeCloseTo(10 + 200, 6);
    expect(stats.probeShare).toBeCloseTo(200 / 210, 6);
    expect(stats.rate).toBeCloseTo(0.2, 6);
  });

  it('close() rejects queued jobs and waits for the one in flight', async () => {
    const { clock, transport, scheduler, read } = setup(rtuBus());
    const inFlight = read('a', 'normal', 1);
    const queued = read('b', 'normal', 2);
    await settle();
    let closed = false;
    const closing = scheduler.close().then(() => (closed = true));
    await expect(queued).rejects.toMatchObject({ code: 'SCHEDULER_CLOSED' });
    await settle();
    expect(closed).toBe(false);
    await clock.advance(20);
    await closing;
    await expect(inFlight).resolves.toEqual([0]);
    expect(transport.records).toHaveLength(1);
    await expect(read('c', 'normal', 3)).rejects.toMatchObject({ code: 'SCHEDULER_CLOSED' });
  });
});

describe('BusScheduler on TCP', () => {
  it('runs different devices in parallel up to maxConcurrent, one per device', async () => {
    const { clock, transport, read } = setup(tcpBus(3));
    const jobs = [...Array.from({ length: 6 }, (_, i) => read(`d${i}`, 'normal', i + 1)), read('d0', 'normal', 1)];
    await clock.advanceUntil(() => transport.records.length === 7);
    await Promise.all(jobs);
    expect(transport.maxInFlight).toBe(3);
    const d0 = transport.records.filter((r) => r.unit === 1);
    expect(d0[1]!.start).toBeGreaterThanOrEqual(d0[0]!.end);
    // Three at a time, 10 ms each: 7 transactions take three rounds.
    expect(Math.max(...transport.records.map((r) => r.end)) - clock.now()).toBeLessThanOrEqual(0);
    expect(new Set(transport.records.map((r) => r.start)).size).toBe(3);
  });
});
