import { describe, expect, it } from 'vitest';
import { PlanError, planReads } from '../../src/planner/index.js';
import type { ReadRequest } from '../../src/planner/index.js';
import { Point, TransportDefaults } from '../../src/schema/index.js';
import type { Hole, PointType, Table } from '../../src/schema/index.js';
import { codeOf as errorCodeOf } from '../error-code.js';

function pt(id: string, address: number, type: PointType = 'uint16', extra: Partial<Point> = {}): Point {
  return Point.parse({ id, name: id, table: 'holding', address, type, ...extra });
}
const coil = (id: string, address: number): Point => pt(id, address, 'bool', { table: 'coil' });
const T = (fields: Partial<TransportDefaults> = {}): TransportDefaults => TransportDefaults.parse(fields);
const hole = (from: number, to: number, table: Table = 'holding'): Hole => ({ table, from, to });
const run = (n: number, from = 0): Point[] => Array.from({ length: n }, (_, i) => pt(`r${from + i}`, from + i));
const shape = (plan: ReadRequest[]): [Table, number, number][] => plan.map((r) => [r.table, r.address, r.count]);

const codeOf = (fn: () => unknown): string | undefined => errorCodeOf(fn, PlanError);

describe('planReads basics', () => {
  it('plans nothing for no points', () => {
    expect(planReads([], T())).toEqual([]);
  });

  it('reads one point alone', () => {
    expect(planReads([pt('speed', 30, 'float32')], T())).toEqual([
      { table: 'holding', address: 30, count: 2, points: [{ id: 'speed', offset: 0, span: 2 }] },
    ]);
  });

  it('orders points by address within a request and tables in a fixed order', () => {
    const plan = planReads([
      pt('d', 0, 'bool', { table: 'discrete' }), pt('b', 5), coil('c', 0), pt('i', 1, 'int16', { table: 'input' }), pt('a', 2),
    ], T());
    expect(shape(plan)).toEqual([['holding', 2, 4], ['input', 1, 1], ['coil', 0, 1], ['discrete', 0, 1]]);
    expect(plan[0]!.points.map((p) => [p.id, p.offset])).toEqual([['a', 0], ['b', 3]]);
  });
});

describe('register limits (Modbus App Protocol v1.1b3 §6.3/6.4: 125)', () => {
  it('reads exactly 125 registers in one request', () => {
    expect(shape(planReads(run(125), T()))).toEqual([['holding', 0, 125]]);
    expect(shape(planReads([pt('name', 0, 'string', { length: 125 })], T()))).toEqual([['holding', 0, 125]]);
  });

  it('splits 126 registers into 125 + 1', () => {
    expect(shape(planReads(run(126), T()))).toEqual([['holding', 0, 125], ['holding', 125, 1]]);
  });

  it('honours a device maximum below the protocol one', () => {
    expect(shape(planReads(run(50), T({ maxRegistersPerRead: 20 })))).toEqual([
      ['holding', 0, 20], ['holding', 20, 20], ['holding', 40, 10],
    ]);
  });

  it('never splits a 32-bit point at what would be a boundary', () => {
    const points = [...run(9), pt('total', 9, 'uint32'), pt('after', 11)];
    const plan = planReads(points, T({ maxRegistersPerRead: 10 }));
    expect(shape(plan)).toEqual([['holding', 0, 9], ['holding', 9, 3]]);
    expect(plan[1]!.points).toEqual([{ id: 'total', offset: 0, span: 2 }, { id: 'after', offset: 2, span: 1 }]);
  });

  it('reads one register a request with maxRegisters 1, and rejects wider points', () => {
    expect(shape(planReads(run(3), T({ maxRegistersPerRead: 1 })))).toEqual([
      ['holding', 0, 1], ['holding', 1, 1], ['holding', 2, 1],
    ]);
    expect(codeOf(() => planReads([pt('t', 0, 'float32')], T({ maxRegistersPerRead: 1 })))).toBe('POINT_TOO_WIDE');
  });

  it('rejects a single point wider than the limit, naming it', () => {
    const tooWide = pt('serial', 0, 'string', { length: 20 });
    expect(() => planReads([tooWide], T({ maxRegistersPerRead: 16 }))).toThrow(/point "serial": spans 20 in holding/);
  });
});

describe('gaps', () => {
  it('fills a gap of exactly maxGap and splits at one more', () => {
    // Point 0 ends at 1; a point at 9 leaves 8 unused registers (1..8).
    expect(shape(planReads([pt('a', 0), pt('b', 9)], T({ maxGap: 8 })))).toEqual([['holding', 0, 10]]);
    expect(shape(planReads([pt('a', 0), pt('b', 10)], T({ maxGap: 8 })))).toEqual([['holding', 0, 1], ['holding', 10, 1]]);
  });

  it('fills no gap at all with maxGap 0', () => {
    expect(shape(planReads([pt('a', 0), pt('b', 1), pt('c', 3)], T({ maxGap: 0 })))).toEqual([
      ['holding', 0, 2], ['holding', 3, 1],
    ]);
  });

  it('allows 16 bits of gap per register of maxGap on bit tables', () => {
    // maxGap 2 → 32 unused coils allowed.
    expect(shape(planReads([coil('a', 0), coil('b', 33)], T({ maxGap: 2 })))).toEqual([['coil', 0, 34]]);
    expect(shape(planReads([coil('a', 0), coil('b', 34)], T({ maxGap: 2 })))).toEqual([['coil', 0, 1], ['coil', 34, 1]]);
  });
});

describe('holes', () => {
  it('never reads across a hole between points, even when the gap is allowed', () => {
    expect(shape(planReads([pt('a', 0), pt('b', 5)], T({ holes: [hole(2, 3)] })))).toEqual([
      ['holding', 0, 1], ['holding', 5, 1],
    ]);
  });

  it('accepts points right next to a hole on either side', () => {
    const plan = planReads([pt('a', 0, 'float32'), pt('b', 5)], T({ holes: [hole(2, 4)] }));
    expect(shape(plan)).toEqual([['holding', 0, 2], ['holding', 5, 1]]);
  });

  it('rejects a point inside or straddling a hole', () => {
    expect(codeOf(() => planReads([pt('a', 2)], T({ holes: [hole(2, 4)] })))).toBe('POINT_IN_HOLE');
    expect(codeOf(() => planReads([pt('a', 1, 'float32')], T({ holes: [hole(2, 4)] })))).toBe('POINT_IN_HOLE');
    expect(codeOf(() => planReads([pt('a', 4, 'uint64')], T({ holes: [hole(7, 7)] })))).toBe('POINT_IN_HOLE');
  });

  it('only applies a hole to its own table', () => {
    const points = [pt('a', 0), pt('b', 5), coil('c', 0), coil('d', 5)];
    expect(shape(planReads(points, T({ holes: [hole(2, 3, 'coil')] })))).toEqual([
      ['holding', 0, 6], ['coil', 0, 1], ['coil', 5, 1],
    ]);
  });

  it('rejects a hole whose from is after its to', () => {
    expect(codeOf(() => planReads([pt('a', 0)], T({ holes: [hole(5, 2)] })))).toBe('LIMIT_INVALID');
  });
});

describe('bool points sharing a register', () => {
  it('reads the register once for every bit on it', () => {
    const points = [
      pt('door', 10, 'bool', { bit: 5 }), pt('moving', 10, 'bool', { bit: 0 }), pt('alarm', 10, 'bool', { bit: 15 }), pt('load', 11),
    ];
    const plan = planReads(points, T({ maxGap: 0 }));
    expect(shape(plan)).toEqual([['holding', 10, 2]]);
    expect(plan[0]!.points).toEqual([
      { id: 'alarm', offset: 0, span: 1 }, { id: 'door', offset: 0, span: 1 }, { id: 'moving', offset: 0, span: 1 }, { id: 'load', offset: 1, span: 1 },
    ]);
  });

  it('shares the register even with maxRegisters 1', () => {
    const points = [pt('a', 3, 'bool', { bit: 1 }), pt('b', 3, 'bool', { bit: 2 })];
    expect(shape(planReads(points, T({ maxRegistersPerRead: 1 })))).toEqual([['holding', 3, 1]]);
  });
});

describe('bit limits (Modbus App Protocol v1.1b3 §6.1/6.2: 2000)', () => {
  const coils = (n: number): Point[] => Array.from({ length: n }, (_, i) => coil(`c${i}`, i));

  it('reads 2000 coils in one request and splits 2001', () => {
    expect(shape(planReads(coils(2000), T()))).toEqual([['coil', 0, 2000]]);
    expect(shape(planReads(coils(2001), T()))).toEqual([['coil', 0, 2000], ['coil', 2000, 1]]);
  });

  it('takes a 2000-bit bitfield whole and rejects it under a lower device limit', () => {
    const bays = pt('bays', 0, 'bits', { table: 'discrete', count: 2000 });
    expect(shape(planReads([bays], T()))).toEqual([['discrete', 0, 2000]]);
    expect(codeOf(() => planReads([bays], T({ maxBitsPerRead: 256 })))).toBe('POINT_TOO_WIDE');
  });

  it('counts register bitfields in registers, not bits', () => {
    expect(shape(planReads([pt('faults', 0, 'bits', { count: 20 })], T()))).toEqual([['holding', 0, 2]]);
  });
});

describe('addressing and overrides', () => {
  it('plans protocol addresses from base 1 profiles, holes included', () => {
    const plan = planReads([pt('a', 1), pt('b', 2), pt('c', 4)], T({ base: 1, holes: [hole(3, 3)] }));
    expect(shape(plan)).toEqual([['holding', 0, 2], ['holding', 3, 1]]);
    expect(codeOf(() => planReads([pt('a', 0)], T({ base: 1 })))).toBe('POINT_INVALID');
  });

  it('rejects a point that runs past address 65535', () => {
    expect(codeOf(() => planReads([pt('a', 65535, 'float32')], T()))).toBe('POINT_INVALID');
  });

  it('lets learned limits lower the maximum and add holes, never raise past the profile', () => {
    const points = run(40);
    expect(shape(planReads(points, T(), { maxRegisters: 16 }))).toEqual([
      ['holding', 0, 16], ['holding', 16, 16], ['holding', 32, 8],
    ]);
    expect(shape(planReads(points, T({ maxRegistersPerRead: 30 }), { maxRegisters: 100 }))).toEqual([
      ['holding', 0, 30], ['holding', 30, 10],
    ]);
    const sparse = [pt('a', 0), pt('b', 4)];
    expect(shape(planReads(sparse, T({ holes: [] }), { holes: [hole(2, 2)] }))).toEqual([['holding', 0, 1], ['holding', 4, 1]]);
    expect(shape(planReads(sparse, T({ maxGap: 8 }), { maxGap: 0 }))).toEqual([['holding', 0, 1], ['holding', 4, 1]]);
  });

  it('rejects nonsense limits', () => {
    expect(codeOf(() => planReads(run(2), T(), { maxRegisters: 0 }))).toBe('LIMIT_INVALID');
    expect(codeOf(() => planReads(run(2), T(), { maxGap: -1 }))).toBe('LIMIT_INVALID');
  });

  it('names the point when the codec cannot lay it out', () => {
    const bad = pt('level', 0, 'uint16', { table: 'coil' });
    expect(() => planReads([bad], T())).toThrow(/point "level": type uint16 cannot live in the coil table/);
  });
});
