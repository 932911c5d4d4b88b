import { describe, expect, it } from 'vitest';
import type { Condition, PointValue } from '../../src/index.js';
import { evaluateCondition } from '../../src/index.js';
import type { Input } from './fixture.js';
import { bad, contextOf } from './fixture.js';

type Row = [string, Condition, Record<string, Input>, boolean | undefined];

const SIXTEEN = (set: number[]): boolean[] => Array.from({ length: 16 }, (_, i) => set.includes(i));

describe('evaluateCondition: operators', () => {
  it.each<Row>([
    ['eq number, equal', { point: 'floor', eq: -1 }, { floor: -1 }, true],
    ['eq number, different', { point: 'floor', eq: -1 }, { floor: 1 }, false],
    ['eq bool', { point: 'moving', eq: true }, { moving: true }, true],
    ['eq bool with 0/1', { point: 'moving', eq: 0 }, { moving: false }, true],
    ['eq string point', { point: 'label', eq: 'LIFT-A' }, { label: 'LIFT-A' }, true],
    ['ne number', { point: 'floor', ne: 3 }, { floor: 3 }, false],
    ['ne number, different', { point: 'floor', ne: 3 }, { floor: 4 }, true],
    ['gt below', { point: 'speed', gt: 2 }, { speed: 1.99 }, false],
    ['gt at the threshold is false', { point: 'speed', gt: 2 }, { speed: 2 }, false],
    ['gt above', { point: 'speed', gt: 2 }, { speed: 2.0001 }, true],
    ['ge at the threshold is true', { point: 'speed', ge: 2 }, { speed: 2 }, true],
    ['ge below', { point: 'speed', ge: 2 }, { speed: 1.9999 }, false],
    ['lt at the threshold is false', { point: 'temp', lt: 0.5 }, { temp: 0.5 }, false],
    ['lt below', { point: 'temp', lt: 0.5 }, { temp: -3 }, true],
    ['le at the threshold is true', { point: 'temp', le: 0.5 }, { temp: 0.5 }, true],
    ['le above', { point: 'temp', le: 0.5 }, { temp: 0.51 }, false],
    ['in numbers', { point: 'code', in: [3, 7, 9] }, { code: 7 }, true],
    ['in numbers, absent', { point: 'code', in: [3, 7, 9] }, { code: 8 }, false],
  ])('%s', (_name, cond, values, expected) => {
    expect(evaluateCondition(cond, contextOf(values))).toBe(expected);
  });
});

describe('evaluateCondition: enum points', () => {
  it.each<Row>([
    ['label literal, raw value', { point: 'door', eq: 'open' }, { door: 2 }, true],
    ['label literal, other raw value', { point: 'door', eq: 'open' }, { door: 3 }, false],
    ['label literal, raw value without a label', { point: 'door', eq: 'open' }, { door: 99 }, false],
    ['raw literal, raw value', { point: 'door', eq: 4 }, { door: 4 }, true],
    ['label literal, label value (codec decoded a label)', { point: 'door', eq: 'fault' }, { door: 'fault' }, true],
    ['raw literal, label value', { point: 'door', eq: 2 }, { door: 'open' }, true],
    ['raw literal, other label value', { point: 'door', eq: 2 }, { door: 'closed' }, false],
    ['ne label', { point: 'door', ne: 'closed' }, { door: 0 }, false],
    ['ne label, other value', { point: 'door', ne: 'closed' }, { door: 1 }, true],
    ['in labels', { point: 'door', in: ['opening', 'open', 'closing'] }, { door: 3 }, true],
    ['in labels, absent', { point: 'door', in: ['opening', 'open', 'closing'] }, { door: 0 }, false],
    ['in mixing labels and raw', { point: 'door', in: ['fault', 2] }, { door: 2 }, true],
    ['ge on an enum compares raw values', { point: 'door', ge: 3 }, { door: 'closing' }, true],
  ])('%s', (_name, cond, values, expected) => {
    expect(evaluateCondition(cond, contextOf(values))).toBe(expected);
  });
});

describe('evaluateCondition: bit and agg', () => {
  it.each<Row>([
    ['bit set', { point: 'lamps', bit: 2, eq: true }, { lamps: SIXTEEN([2]) }, true],
    ['bit clear', { point: 'lamps', bit: 3, eq: true }, { lamps: SIXTEEN([2]) }, false],
    ['bit beyond the array is unknown', { point: 'lamps', bit: 16, eq: true }, { lamps: SIXTEEN([2]) }, undefined],
    ['bit of a status word', { point: 'status', bit: 4, eq: true }, { status: 0b1_0000 }, true],
    ['bit of a status word, clear', { point: 'status', bit: 3, eq: true }, { status: 0b1_0000 }, false],
    ['bit 15 of a status word', { point: 'status', bit: 15, eq: true }, { status: 0x8000 }, true],
    ['count ge', { point: 'lamps', agg: 'count', ge: 3 }, { lamps: SIXTEEN([0, 5, 9]) }, true],
    ['count ge, one short', { point: 'lamps', agg: 'count', ge: 3 }, { lamps: SIXTEEN([0, 5]) }, false],
    ['count eq 0', { point: 'lamps', agg: 'count', eq: 0 }, { lamps: SIXTEEN([]) }, true],
    ['share gt at exactly the share is false', { point: 'lamps', agg: 'share', gt: 0.25 }, { lamps: SIXTEEN([0, 1, 2, 3]) }, false],
    ['share ge at exactly the share', { point: 'lamps', agg: 'share', ge: 0.25 }, { lamps: SIXTEEN([0, 1, 2, 3]) }, true],
    ['share gt above', { point: 'lamps', agg: 'share', gt: 0.25 }, { lamps: SIXTEEN([0, 1, 2, 3, 4]) }, true],
    ['share of an empty bitfield is unknown', { point: 'lamps', agg: 'share', gt: 0 }, { lamps: [] }, undefined],
    ['agg on a number is unknown', { point: 'status', agg: 'count', gt: 0 }, { status: 7 }, undefined],
    ['whole bitfield compared with eq is unknown', { point: 'lamps', eq: true }, { lamps: SIXTEEN([1]) }, undefined],
  ])('%s', (_name, cond, values, expected) => {
    expect(evaluateCondition(cond, contextOf(values))).toBe(expected);
  });
});

describe('evaluateCondition: all, any, not and unknown data (Kleene logic)', () => {
  const fast: Condition = { point: 'speed', gt: 2 };
  const open: Condition = { point: 'door', eq: 'open' };
  it.each<Row>([
    ['all true', { all: [fast, open] }, { speed: 3, door: 2 }, true],
    ['all with one false', { all: [fast, open] }, { speed: 3, door: 0 }, false],
    ['all false beats unknown', { all: [fast, open] }, { speed: 1, door: bad('comm-fail') }, false],
    ['all true with unknown is unknown', { all: [fast, open] }, { speed: 3, door: bad('comm-fail') }, undefined],
    ['any with one true', { any: [fast, open] }, { speed: 1, door: 2 }, true],
    ['any all false', { any: [fast, open] }, { speed: 1, door: 0 }, false],
    ['any true beats unknown', { any: [fast, open] }, { speed: 3 }, true],
    ['any false with unknown is unknown', { any: [fast, open] }, { speed: 1 }, undefined],
    ['not true', { not: fast }, { speed: 3 }, false],
    ['not false', { not: fast }, { speed: 1 }, true],
    ['not unknown is unknown', { not: fast }, { speed: bad('stale') }, undefined],
    [
      'nested: moving with the door not closed, or a door fault',
      { any: [{ all: [{ point: 'moving', eq: true }, { not: { point: 'door', eq: 'closed' } }] }, { point: 'door', eq: 'fault' }] },
      { moving: true, door: 1 },
      true,
    ],
    [
      'nested: stopped with the door opening',
      { any: [{ all: [{ point: 'moving', eq: true }, { not: { point: 'door', eq: 'closed' } }] }, { point: 'door', eq: 'fault' }] },
      { moving: false, door: 1 },
      false,
    ],
    ['missing point', fast, {}, undefined],
    ['stale point', fast, { speed: bad('stale', 3) }, undefined],
    ['comm-fail point', fast, { speed: bad('comm-fail', 3) }, undefined],
    ['a point named like an Object.prototype key, missing', { point: 'constructor', ne: 1 }, {}, undefined],
    ['a point named like an Object.prototype key, present', { point: 'constructor', ne: 1 }, { constructor: 2 }, true],
    ['NaN from a float register is unknown', fast, { speed: Number.NaN }, undefined],
    ['gt on a boolean is unknown, not false', fast, { speed: true }, undefined],
    ['a label literal on a plain number is unknown', { point: 'floor', eq: 'lobby' }, { floor: 0 }, undefined],
    ['a string literal on a boolean is unknown', { point: 'moving', eq: 'yes' }, { moving: true }, undefined],
  ])('%s', (_name, cond, values, expected) => {
    expect(evaluateCondition(cond, contextOf(values))).toBe(expected);
  });
});

describe('evaluateCondition: changed', () => {
  type ChangedRow = [string, Condition, Input | undefined, Input, boolean, boolean | undefined];
  const code: Condition = { point: 'code', changed: true };
  const lamps: Condition = { point: 'lamps', changed: true };
  it.each<ChangedRow>([
    ['value differs', code, 0, 5, true, true],
    ['value the same', code, 5, 5, true, false],
    ['first reading: nothing to compare with', code, undefined, 5, true, false],
    ['point not read in this evaluation', code, 0, 5, false, false],
    ['reading not good', code, 0, bad('comm-fail', 5), true, undefined],
    ['bitfield equal element-wise (a new array)', lamps, SIXTEEN([1]), SIXTEEN([1]), true, false],
    ['bitfield with one bit flipped', lamps, SIXTEEN([1]), SIXTEEN([1, 9]), true, true],
    ['bitfield of another length', lamps, SIXTEEN([1]), SIXTEEN([1]).slice(0, 8), true, true],
    ['one bit, another bit flipped', { point: 'lamps', bit: 1, changed: true }, SIXTEEN([1]), SIXTEEN([1, 9]), true, false],
    ['one bit, that bit flipped', { point: 'lamps', bit: 9, changed: true }, SIXTEEN([1]), SIXTEEN([1, 9]), true, true],
    ['count of set bits unchanged', { point: 'lamps', agg: 'count', changed: true }, SIXTEEN([1]), SIXTEEN([2]), true, false],
  ])('%s', (_name, cond, before, current, updated, expected) => {
    const id = leafPoint(cond);
    const previous = before === undefined ? {} : { [id]: goodValueOf(before) };
    const ctx = contextOf({ [id]: current }, { previous, updated: new Set(updated ? [id] : []) });
    expect(evaluateCondition(cond, ctx)).toBe(expected);
  });
});

function leafPoint(cond: Condition): string {
  if ('point' in cond) return cond.point;
  throw new Error('a leaf was expected');
}

function goodValueOf(input: Input): PointValue {
  if (typeof input === 'object' && !Array.isArray(input)) throw new Error('a previous value is a bare value');
  return input;
}

describe('evaluateCondition: hysteresis widens thresholds', () => {
  type HRow = [string, Condition, string, number, number, boolean];
  it.each<HRow>([
    ['gt 10 - 2: 8.5 still holds', { point: 'speed', gt: 10 }, 'speed', 2, 8.5, true],
    ['gt 10 - 2: 8 no longer holds (strict)', { point: 'speed', gt: 10 }, 'speed', 2, 8, false],
    ['ge 10 - 2: 8 holds', { point: 'speed', ge: 10 }, 'speed', 2, 8, true],
    ['ge 10 - 2: 7.99 does not', { point: 'speed', ge: 10 }, 'speed', 2, 7.99, false],
    ['lt 5 + 1: 5.5 holds', { point: 'temp', lt: 5 }, 'temp', 1, 5.5, true],
    ['lt 5 + 1: 6 does not (strict)', { point: 'temp', lt: 5 }, 'temp', 1, 6, false],
    ['le 5 + 1: 6 holds', { point: 'temp', le: 5 }, 'temp', 1, 6, true],
    ['under not the shift flips: not lt 5 holds down to 4', { not: { point: 'temp', lt: 5 } }, 'temp', 1, 4.5, true],
    ['under not the shift flips: below 4 it does not', { not: { point: 'temp', lt: 5 } }, 'temp', 1, 3.99, false],
  ])('%s', (_name, cond, point, hysteresis, value, expected) => {
    expect(evaluateCondition(cond, contextOf({ [point]: value }, { hysteresis }))).toBe(expected);
  });

  it.each<[string, Condition, Record<string, Input>, number]>([
    ['gt', { point: 'speed', gt: 10 }, { speed: 9 }, 2],
    ['lt', { point: 'temp', lt: 5 }, { temp: 5.5 }, 1],
    ['not le', { not: { point: 'temp', le: 5 } }, { temp: 4.5 }, 1],
    ['nested in all', { all: [{ point: 'speed', gt: 10 }, { point: 'temp', lt: 0 }] }, { speed: 9, temp: 0.5 }, 2],
    ['agg share', { point: 'lamps', agg: 'share', ge: 0.25 }, { lamps: SIXTEEN([0, 1]) }, 0.15],
  ])('%s: a value inside the band holds only with hysteresis', (_name, cond, values, hysteresis) => {
    expect(evaluateCondition(cond, contextOf(values))).toBe(false);
    expect(evaluateCondition(cond, contextOf(values, { hysteresis }))).toBe(true);
  });

  it('eq is not widened', () => {
    expect(evaluateCondition({ point: 'speed', eq: 10 }, contextOf({ speed: 9 }, { hysteresis: 2 }))).toBe(false);
  });
});
