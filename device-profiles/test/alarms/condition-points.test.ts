import { describe, expect, it } from 'vitest';
import type { Condition } from '../../src/index.js';
import { conditionPoints } from '../../src/index.js';

describe('conditionPoints', () => {
  it.each<[string, Condition, string[]]>([
    ['a leaf', { point: 'speed', gt: 2 }, ['speed']],
    ['all, in order', { all: [{ point: 'moving', eq: true }, { point: 'door', eq: 'open' }] }, ['moving', 'door']],
    [
      'nested any/not, each point once',
      { any: [{ not: { point: 'door', eq: 'closed' } }, { all: [{ point: 'lamps', bit: 3, eq: true }, { point: 'door', eq: 'fault' }] }] },
      ['door', 'lamps'],
    ],
  ])('%s', (_name, cond, expected) => {
    expect(conditionPoints(cond)).toEqual(expected);
  });
});
