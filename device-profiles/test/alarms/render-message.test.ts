import { describe, expect, it } from 'vitest';
import type { PointValue } from '../../src/index.js';
import { messageNames, renderMessage } from '../../src/index.js';
import { profileWith } from './fixture.js';

const POINTS = profileWith().points;
const bits = (set: number[], length = 16): boolean[] => Array.from({ length }, (_, i) => set.includes(i));

describe('renderMessage', () => {
  it.each<[string, string, Record<string, PointValue>, string]>([
    ['enum raw value shows its label', 'Door {door}', { door: 2 }, 'Door open'],
    ['enum label value is shown as is', 'Door {door}', { door: 'fault' }, 'Door fault'],
    ['enum value without a label shows the raw number', 'Door {door}', { door: 9 }, 'Door 9'],
    ['unit after a space', 'Speed {speed}', { speed: 1.5 }, 'Speed 1.5 m/s'],
    ['percent without a space', 'Load {load}', { load: 45 }, 'Load 45%'],
    ['counting units are not appended', 'Trapped at floor {floor}', { floor: -2 }, 'Trapped at floor -2'],
    ['a point without a unit', 'Code {code}', { code: 17 }, 'Code 17'],
    ['three significant digits', 'v {speed}', { speed: 1.7534 }, 'v 1.75 m/s'],
    ['small values keep three significant digits', 'v {temp}', { temp: 0.012345 }, 'v 0.0123 °C'],
    ['large values keep their integer digits', 'v {temp}', { temp: 123456.789 }, 'v 123457 °C'],
    ['negative values', 'v {temp}', { temp: -1.256 }, 'v -1.26 °C'],
    ['rounding that reaches an integer drops the zeros', 'v {temp}', { temp: 2.9999 }, 'v 3 °C'],
    ['rounding to zero never shows -0', 'v {temp}', { temp: -1e-25 }, 'v 0 °C'],
    ['integers are shown whole', 'v {temp}', { temp: 1234567 }, 'v 1234567 °C'],
    ['booleans read as yes/no', 'Moving: {moving}', { moving: true }, 'Moving: yes'],
    ['false', 'Moving: {moving}', { moving: false }, 'Moving: no'],
    ['string points', 'Unit {label}', { label: 'LIFT-A' }, 'Unit LIFT-A'],
    ['bits by label, else index', 'Lamps: {lamps}', { lamps: bits([0, 2, 5]) }, 'Lamps: red-1, ped-2, 5'],
    ['no bits set', 'Lamps: {lamps}', { lamps: bits([]) }, 'Lamps: none'],
    ['eight set bits are listed', 'Lamps: {lamps}', { lamps: bits([1, 3, 4, 5, 6, 7, 8, 9]) }, 'Lamps: 1, 3, 4, 5, 6, 7, 8, 9'],
    ['more than eight are counted', 'Lamps: {lamps}', { lamps: bits([1, 3, 4, 5, 6, 7, 8, 9, 10]) }, 'Lamps: 9 of 16'],
    ['a known point without a value shows ?', 'Speed {speed}', {}, 'Speed ?'],
    ['an unknown name stays in braces', 'Speed {sped}', { speed: 1 }, 'Speed {sped}'],
    ['a value for a name that is not a point is shown plainly', 'Zone {zone}', { zone: 3.14159 }, 'Zone 3.14'],
    ['spaces inside braces are ignored', 'Speed { speed }', { speed: 1 }, 'Speed 1 m/s'],
    ['the same name twice', '{floor}/{floor}', { floor: 3 }, '3/3'],
    ['no placeholders', 'Door open while moving', { door: 2 }, 'Door open while moving'],
    ['a point called constructor without a value', 'C {constructor}', {}, 'C ?'],
    ['a non-point called like an Object.prototype key', 'C {toString}', {}, 'C {toString}'],
  ])('%s', (_name, template, values, expected) => {
    expect(renderMessage(template, POINTS, values)).toBe(expected);
  });
});

describe('messageNames', () => {
  it.each<[string, string[]]>([
    ['Trapped at floor {floor}, door {door}', ['floor', 'door']],
    ['{ floor } and {floor} again', ['floor']],
    ['nothing to fill', []],
    ['{unclosed and {ok}', ['ok']],
  ])('%s', (template, expected) => {
    expect(messageNames(template)).toEqual(expected);
  });
});
