import { describe, expect, it } from 'vitest';
import { isConverged, learnCap, planCap } from '../../src/poller/read-cap.js';
import type { ReadCap } from '../../src/poller/read-cap.js';

describe('read cap search', () => {
  it.each<{ name: string; cap: ReadCap | undefined; seen: { ok?: number; refused?: number }; next: ReadCap | undefined }>([
    { name: 'a first refusal with a size that worked', cap: undefined, seen: { ok: 9, refused: 37 }, next: { good: 9, refused: 37 } },
    { name: 'a trial that worked raises good', cap: { good: 9, refused: 37 }, seen: { ok: 23 }, next: { good: 23, refused: 37 } },
    { name: 'a trial refused lowers refused', cap: { good: 9, refused: 37 }, seen: { ok: 9, refused: 23 }, next: { good: 9, refused: 23 } },
    { name: 'a success at the refused size drops the refusal', cap: { good: 9, refused: 20 }, seen: { ok: 20 }, next: { good: 20 } },
    { name: 'nothing that worked yet: nothing known', cap: undefined, seen: { refused: 10 }, next: undefined },
  ])('$name', ({ cap, seen, next }) => {
    expect(learnCap(cap, seen)).toEqual(next);
  });

  it('plans the halfway trial until good and refused meet, and finds the real cap', () => {
    const real = 16;
    let cap: ReadCap | undefined = learnCap(undefined, { ok: 9, refused: 37 });
    const trials: number[] = [];
    while (cap !== undefined && !isConverged(cap)) {
      const size = planCap(cap);
      trials.push(size);
      cap = learnCap(cap, size <= real ? { ok: size } : { refused: size });
    }
    expect(cap).toEqual({ good: 16, refused: 17 });
    expect(planCap(cap!)).toBe(16);
    expect(trials.length).toBeLessThanOrEqual(Math.ceil(Math.log2(37 - 9)));
  });
});
