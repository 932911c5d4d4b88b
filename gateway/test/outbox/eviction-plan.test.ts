import { describe, expect, it } from 'vitest';
import { chooseEvictions } from '../../src/outbox/eviction-plan.js';

const rows = (...spec: Array<[enqueuedAt: number, bytes: number]>) => spec.map(([enqueuedAt, bytes]) => ({ enqueuedAt, bytes }));

describe('chooseEvictions', () => {
  it.each([
    { name: 'under both bounds: nothing', candidates: rows([10, 100], [20, 100]), excessBytes: 0, cutoff: 5, count: 0, bytes: 0 },
    { name: 'size: just enough oldest rows to cover the excess', candidates: rows([10, 100], [20, 100], [30, 100]), excessBytes: 150, cutoff: 0, count: 2, bytes: 200 },
    { name: 'size: an exact excess drops exactly that', candidates: rows([10, 100], [20, 100]), excessBytes: 100, cutoff: 0, count: 1, bytes: 100 },
    { name: 'age: rows before the cutoff', candidates: rows([10, 1], [20, 1], [30, 1]), excessBytes: -500, cutoff: 25, count: 2, bytes: 2 },
    { name: 'age: a row at the cutoff is kept', candidates: rows([25, 1]), excessBytes: 0, cutoff: 25, count: 0, bytes: 0 },
    { name: 'both: age takes more than size', candidates: rows([10, 50], [20, 50], [30, 50]), excessBytes: 40, cutoff: 25, count: 2, bytes: 100 },
    { name: 'both: size takes more than age', candidates: rows([10, 50], [20, 50], [30, 50]), excessBytes: 120, cutoff: 15, count: 3, bytes: 150 },
    { name: 'oldest first: an expired row behind a fresh one stays (clock stepped back)', candidates: rows([30, 1], [10, 1]), excessBytes: 0, cutoff: 25, count: 0, bytes: 0 },
    { name: 'excess beyond every candidate: all of them', candidates: rows([10, 5], [20, 5]), excessBytes: 1_000, cutoff: 0, count: 2, bytes: 10 },
    { name: 'no candidates', candidates: rows(), excessBytes: 1_000, cutoff: 99, count: 0, bytes: 0 },
  ])('$name', ({ candidates, excessBytes, cutoff, count, bytes }) => {
    expect(chooseEvictions(candidates, { excessBytes, cutoff })).toEqual({ count, bytes });
  });
});
