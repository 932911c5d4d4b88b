import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planReads } from '../../src/planner/index.js';
import type { ReadRequest } from '../../src/planner/index.js';
import { Point, TransportDefaults } from '../../src/schema/index.js';
import type { Hole } from '../../src/schema/index.js';

const WIDTH = { uint16: 1, float32: 2, uint64: 4 } as const;
type Kind = keyof typeof WIDTH;

interface Case {
  points: Point[];
  transport: TransportDefaults;
}

/** Non-overlapping holding points laid out left to right with random gaps, and random holes. */
const cases: fc.Arbitrary<Case> = fc.record({
  layout: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 12 }), kind: fc.constantFrom<Kind>('uint16', 'float32', 'uint64') }), { maxLength: 30 }),
  maxRegistersPerRead: fc.integer({ min: 4, max: 125 }),
  maxGap: fc.integer({ min: 0, max: 10 }),
  holeSeeds: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 4 }),
  base: fc.constantFrom<0 | 1>(0, 1),
}).map(({ layout, maxRegistersPerRead, maxGap, holeSeeds, base }) => {
  const points: Point[] = [];
  let next = base;
  layout.forEach(({ gap, kind }, i) => {
    const address = next + gap;
    points.push(Point.parse({ id: `p${i}`, name: `p${i}`, table: 'holding', address, type: kind }));
    next = address + WIDTH[kind];
  });
  // Holes only where no point is: a point in a hole is an error, tested elsewhere.
  const used = new Set(points.flatMap((p) => Array.from({ length: WIDTH[p.type as Kind] }, (_, k) => p.address + k)));
  const holes: Hole[] = holeSeeds.filter((a) => a >= base && !used.has(a)).map((a) => ({ table: 'holding', from: a, to: a }));
  return { points, transport: TransportDefaults.parse({ maxRegistersPerRead, maxGap, holes, base }) };
});

/** Fewest requests by dynamic programming over runs of consecutive points: the reference. */
function optimalCount({ points, transport }: Case): number {
  const items = points.map((p) => ({ from: p.address - transport.base, to: p.address - transport.base + WIDTH[p.type as Kind] }));
  const holes = transport.holes.map((h) => h.from - transport.base);
  const best: number[] = [0];
  for (let i = 1; i <= items.length; i++) {
    best[i] = Infinity;
    for (let j = i - 1; j >= 0; j--) {
      const run = items.slice(j, i);
      const ok = run[run.length - 1]!.to - run[0]!.from <= transport.maxRegistersPerRead
        && run.every((it, k) => k === 0 || (it.from - run[k - 1]!.to <= transport.maxGap
          && !holes.some((h) => h >= run[k - 1]!.to && h < it.from)));
      if (ok) best[i] = Math.min(best[i]!, best[j]! + 1);
    }
  }
  return best[items.length]!;
}

function check(plan: ReadRequest[], { points, transport }: Case): void {
  const seen = plan.flatMap((r) => r.points.map((p) => p.id)).sort();
  expect(seen).toEqual(points.map((p) => p.id).sort());
  for (const r of plan) {
    expect(r.count).toBeLessThanOrEqual(transport.maxRegistersPerRead);
    for (const p of r.points) {
      const point = points.find((q) => q.id === p.id)!;
      expect(r.address + p.offset).toBe(point.address - transport.base);
      expect(p.offset + p.span).toBeLessThanOrEqual(r.count);
    }
    for (const h of transport.holes) {
      const at = h.from - transport.base;
      expect(at < r.address || at >= r.address + r.count).toBe(true);
    }
  }
}

describe('planReads properties', () => {
  it('covers every point once, within limits, outside holes, with the fewest requests', () => {
    fc.assert(fc.property(cases, (c) => {
      const plan = planReads(c.points, c.transport);
      check(plan, c);
      expect(plan).toHaveLength(optimalCount(c));
    }), { numRuns: 300 });
  });

  it('does not depend on the order the profile lists points in', () => {
    fc.assert(fc.property(cases.chain((c) => fc.tuple(fc.constant(c), fc.shuffledSubarray(c.points, { minLength: c.points.length }))), ([c, shuffled]) => {
      expect(planReads(shuffled, c.transport)).toEqual(planReads(c.points, c.transport));
    }));
  });
});
