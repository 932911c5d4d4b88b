import { describe, expect, it } from 'vitest';
import { applyLearning, mergeHoles, toPlanOverrides } from '../../src/poller/learned-limits.js';

describe('learned limits', () => {
  it('stores holes in the profile numbering and merges touching ones', () => {
    const learned = applyLearning(undefined, { holes: [{ table: 'input', from: 9, to: 10 }, { table: 'input', from: 11, to: 11 }] }, 1, 1_000);
    expect(learned).toEqual({ holes: [{ table: 'input', from: 10, to: 12 }], learnedAt: 1_000 });
  });

  it('takes the caps it is given (ReadCap decides them) and keeps the known ones otherwise', () => {
    const first = applyLearning(undefined, { maxRegisters: 20, holes: [] }, 0, 1);
    expect(first?.maxRegisters).toBe(20);
    expect(applyLearning(first, { maxRegisters: 20, holes: [] }, 0, 2)).toBeUndefined();
    expect(applyLearning(first, { holes: [{ table: 'coil', from: 1, to: 1 }] }, 0, 3)).toEqual({ maxRegisters: 20, holes: [{ table: 'coil', from: 1, to: 1 }], learnedAt: 3 });
    expect(applyLearning(first, { maxRegisters: 24, holes: [] }, 0, 4)?.maxRegisters).toBe(24);
  });

  it('reports nothing new for a hole it already knows', () => {
    const first = applyLearning(undefined, { holes: [{ table: 'holding', from: 5, to: 8 }] }, 0, 1);
    expect(applyLearning(first, { holes: [{ table: 'holding', from: 6, to: 7 }] }, 0, 2)).toBeUndefined();
  });

  it('keeps tables apart when merging', () => {
    expect(mergeHoles([{ table: 'input', from: 0, to: 1 }, { table: 'holding', from: 2, to: 3 }, { table: 'input', from: 2, to: 2 }])).toEqual([
      { table: 'holding', from: 2, to: 3 },
      { table: 'input', from: 0, to: 2 },
    ]);
  });

  it('becomes planReads overrides', () => {
    expect(toPlanOverrides(undefined)).toEqual({});
    expect(toPlanOverrides({ maxBits: 64, holes: [], learnedAt: 1 })).toEqual({ maxBits: 64, holes: [] });
  });
});
