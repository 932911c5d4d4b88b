import { describe, expect, it } from 'vitest';
import { isFlapping, pruneChanges } from '../../src/alerts/index.js';

const MIN = 60_000;
const policy = { maxChanges: 4, windowMs: 10 * MIN };
const at = (...minutes: number[]): number[] => minutes.map((m) => m * MIN);

describe('flapping', () => {
  it.each([
    ['no changes', [], 0, false],
    ['4 changes in the window (the limit)', at(0, 1, 2, 3), 4, false],
    ['5 changes in the window', at(0, 1, 2, 3, 4), 5, true],
    ['5 changes spread wider than the window', at(0, 3, 6, 9, 12), 13, false],
    ['still flapping 1 ms before a whole stable window', at(0, 1, 2, 3, 4), 14 - 1 / MIN, true],
    ['stable for a whole window after the last change', at(0, 1, 2, 3, 4), 14, false],
    ['a burst, then sparse changes that never leave a stable window', at(0, 1, 2, 3, 4, 12, 20), 25, true],
  ])('%s', (_name, changes, nowMinutes, expected) => {
    expect(isFlapping(changes, nowMinutes * MIN, policy)).toBe(expected);
  });

  it('pruning keeps only the current run of changes', () => {
    expect(pruneChanges(at(0, 1, 30, 35), 36 * MIN, policy)).toEqual(at(30, 35));
    expect(pruneChanges(at(0, 1), 30 * MIN, policy)).toEqual([]);
  });
});
