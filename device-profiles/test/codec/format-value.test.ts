import { describe, expect, it } from 'vitest';
import { enumLabel, formatValue } from '../../src/codec/index.js';
import { point } from './fixtures.js';

describe('formatValue', () => {
  it('shows floats with two decimals and the unit', () => {
    expect(formatValue(point({ type: 'float32', unit: 'm/s' }), 3.2)).toBe('3.20 m/s');
  });

  it('shows scaled integers with the decimals of the scale', () => {
    expect(formatValue(point({ type: 'uint16', scale: 0.001, unit: 'm3' }), 12.5)).toBe('12.500 m3');
    expect(formatValue(point({ type: 'int16', unit: 'floor' }), -2)).toBe('-2 floor');
  });

  it('shows enum labels with the raw value', () => {
    const door = point({ type: 'uint16', enum: { '0': 'closed', '2': 'open' } });
    expect(formatValue(door, 2)).toBe('open (2)');
    expect(formatValue(door, 7)).toBe('unknown (7)');
    expect(enumLabel(door, 0)).toBe('closed');
    expect(enumLabel(door, 7)).toBeUndefined();
    expect(enumLabel(point({ type: 'uint16' }), 0)).toBeUndefined();
  });

  it('lists the set bits by label, else by number', () => {
    const bays = point({ type: 'bits', table: 'discrete', count: 8, labels: { '3': 'bay 3', '7': 'bay 7' } });
    const bits = [false, false, true, true, false, false, false, true];
    expect(formatValue(bays, bits)).toBe('[bit 2, bay 3, bay 7]');
    expect(formatValue(bays, bits.map(() => false))).toBe('[]');
  });

  it('shows bools, bool enums and strings plainly', () => {
    expect(formatValue(point({ type: 'bool', table: 'coil' }), true)).toBe('true');
    expect(formatValue(point({ type: 'bool', table: 'coil', enum: { '0': 'auto', '1': 'flash' } }), true)).toBe('flash (1)');
    expect(formatValue(point({ type: 'string', length: 4 }), 'LC-200')).toBe('LC-200');
  });
});
