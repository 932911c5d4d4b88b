import { describe, expect, it } from 'vitest';
import { Profile, planReads } from '@edgefleet/device-profiles';
import type { ReadRequest } from '@edgefleet/device-profiles';
import { SimUnit } from '@edgefleet/firmware-sim';
import { readAdaptive, splitRequest } from '../../src/poller/adaptive-read.js';
import { FakeModbusError, SimUnitTransport } from '../support/sim-unit-transport.js';

const req = (points: [string, number, number][], address = 100): ReadRequest => {
  const count = Math.max(...points.map(([, o, s]) => o + s));
  return { table: 'holding', address, count, points: points.map(([id, offset, span]) => ({ id, offset, span })) };
};

describe('splitRequest', () => {
  it.each<{ name: string; points: [string, number, number][]; left: string[]; right: string[] }>([
    { name: 'halves at the point boundary nearest the middle', points: [['a', 0, 2], ['b', 2, 2], ['c', 4, 2], ['d', 6, 2]], left: ['a', 'b'], right: ['c', 'd'] },
    { name: 'never inside a wide point', points: [['a', 0, 1], ['b', 1, 6], ['c', 7, 1]], left: ['a'], right: ['b', 'c'] },
    { name: 'keeps bools of one register together', points: [['x0', 0, 1], ['x1', 0, 1], ['y', 1, 1], ['z', 2, 1]], left: ['x0', 'x1'], right: ['y', 'z'] },
    { name: 'across a gap', points: [['a', 0, 1], ['b', 10, 1]], left: ['a'], right: ['b'] },
  ])('$name', ({ points, left, right }) => {
    const halves = splitRequest(req(points));
    expect(halves?.[0].points.map((p) => p.id)).toEqual(left);
    expect(halves?.[1].points.map((p) => p.id)).toEqual(right);
    // Sub-requests are rebased: each starts at its first point.
    expect(halves?.[0].points[0]?.offset).toBe(0);
    expect(halves?.[1].points[0]?.offset).toBe(0);
    expect(halves![1].address).toBe(100 + points.find(([id]) => id === right[0])![1]);
  });

  it('cannot split one point or bools sharing a register', () => {
    expect(splitRequest(req([['a', 0, 4]]))).toBeUndefined();
    expect(splitRequest(req([['x0', 0, 1], ['x1', 0, 1]]))).toBeUndefined();
  });
});

/** A device map: uint16 points at the given holding addresses. */
function profileWith(addresses: number[], transport: Record<string, unknown> = {}): Profile {
  return Profile.parse({
    version: 1, id: 'quirky', vendor: 'Test', model: 'Quirky', family: 'generic', source: 'test fixture',
    transport,
    points: addresses.map((address) => ({ id: `p${address}`, name: `P${address}`, table: 'holding', address, type: 'uint16' })),
  });
}

function deviceExec(sim: Profile) {
  const unit = new SimUnit({ unit: 1, profile: sim });
  unit.bank.setWords('holding', 0, Array.from({ length: 64 }, (_, i) => 1000 + i));
  const transport = new SimUnitTransport('bus', (u) => (u === 1 ? unit : undefined));
  let t = 0;
  return { unit, transport, exec: async (r: ReadRequest) => ({ words: await transport.read(1, r.table, r.address, r.count), at: ++t }) };
}

describe('readAdaptive', () => {
  const addresses = Array.from({ length: 30 }, (_, i) => i);

  it('learns a read cap from exception 3 and still returns every point', async () => {
    const { exec, transport } = deviceExec(profileWith(addresses, { maxRegistersPerRead: 16 }));
    const [plan] = planReads(profileWith(addresses).points, profileWith(addresses).transport);
    const out = await readAdaptive(plan!, exec, { onTimeout: false, onException: true });
    expect(out.learning.maxRegisters).toBeLessThanOrEqual(16);
    expect(out.learning.holes).toEqual([]);
    const got = out.parts.flatMap((p) => ('words' in p ? p.request.points.map((pt) => [pt.id, p.words[pt.offset]]) : []));
    expect(Object.fromEntries(got)).toEqual(Object.fromEntries(addresses.map((a) => [`p${a}`, 1000 + a])));
    expect(transport.calls[0]!.count).toBe(30);
  });

  it('learns a hole in a gap from exception 2 without blaming the size', async () => {
    const gapped = [0, 1, 2, 8, 9, 10];
    const { exec } = deviceExec(profileWith(gapped, { holes: [{ table: 'holding', from: 4, to: 5 }] }));
    const [plan] = planReads(profileWith(gapped).points, profileWith(gapped).transport);
    expect(plan!.count).toBe(11);
    const out = await readAdaptive(plan!, exec, { onTimeout: false, onException: true });
    expect(out.learning).toEqual({ holes: [{ table: 'holding', from: 3, to: 7 }] });
    expect(out.parts.every((p) => 'words' in p)).toBe(true);
  });

  it('learns a hole over a point the device does not have', async () => {
    const { exec } = deviceExec(profileWith([0, 1, 2], { holes: [{ table: 'holding', from: 2, to: 2 }] }));
    const [plan] = planReads(profileWith([0, 1, 2]).points, profileWith([0, 1, 2]).transport);
    const out = await readAdaptive(plan!, exec, { onTimeout: false, onException: true });
    expect(out.learning.holes).toEqual([{ table: 'holding', from: 2, to: 2 }]);
    expect(out.parts.filter((p) => 'failure' in p).map((p) => p.request.points[0]!.id)).toEqual(['p2']);
    expect(out.answered).toBe(true);
  });

  it('stops after two timeouts when the device is gone instead of splitting further', async () => {
    const { exec, unit, transport } = deviceExec(profileWith(addresses));
    unit.faults.noReply = true;
    const [plan] = planReads(profileWith(addresses).points, profileWith(addresses).transport);
    const out = await readAdaptive(plan!, exec, { onTimeout: true, onException: true });
    expect(transport.calls).toHaveLength(2);
    expect(out.noAnswer?.code).toBe('MODBUS_TIMEOUT');
    expect(out.answered).toBe(false);
    // Every point is accounted for as failed.
    expect(out.parts.flatMap((p) => p.request.points.map((x) => x.id)).sort()).toEqual(addresses.map((a) => `p${a}`).sort());
  });

  it('does not split on a timeout unless the device is known to answer', async () => {
    let calls = 0;
    const exec = async (): Promise<{ words: number[]; at: number }> => {
      calls++;
      throw new FakeModbusError('MODBUS_TIMEOUT');
    };
    const [plan] = planReads(profileWith(addresses).points, profileWith(addresses).transport);
    const out = await readAdaptive(plan!, exec, { onTimeout: false, onException: true });
    expect(calls).toBe(1);
    expect(out.noAnswer?.code).toBe('MODBUS_TIMEOUT');
  });
});
