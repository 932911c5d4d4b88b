import { describe, expect, it } from 'vitest';
import { CodecError, decodePoint, encodePoint, pointOrders, pointSpan, protocolAddress } from '../../src/codec/index.js';
import { point, transport } from './fixtures.js';
import { codeOf as errorCodeOf } from '../error-code.js';

const T = transport();

const codeOf = (fn: () => unknown): string | undefined => errorCodeOf(fn, CodecError);

describe('layout', () => {
  it('gives each type its span in registers or bits', () => {
    expect(pointSpan(point({ type: 'uint16' }))).toBe(1);
    expect(pointSpan(point({ type: 'float32' }))).toBe(2);
    expect(pointSpan(point({ type: 'uint64' }))).toBe(4);
    expect(pointSpan(point({ type: 'string', length: 5 }))).toBe(5);
    expect(pointSpan(point({ type: 'bits', count: 17 }))).toBe(2);
    expect(pointSpan(point({ type: 'bits', count: 16 }))).toBe(1);
    expect(pointSpan(point({ type: 'bits', table: 'discrete', count: 64 }))).toBe(64);
    expect(pointSpan(point({ type: 'bool', table: 'coil' }))).toBe(1);
  });

  it('rejects points it cannot lay out', () => {
    expect(codeOf(() => pointSpan(point({ type: 'bits' })))).toBe('POINT_INVALID');
    expect(codeOf(() => pointSpan(point({ type: 'string' })))).toBe('POINT_INVALID');
    expect(codeOf(() => pointSpan(point({ type: 'uint16', table: 'coil' })))).toBe('POINT_INVALID');
  });

  it('subtracts the profile base from addresses', () => {
    expect(protocolAddress(point({ type: 'uint16', address: 40 }), T)).toBe(40);
    expect(protocolAddress(point({ type: 'uint16', address: 40 }), transport({ base: 1 }))).toBe(39);
    expect(codeOf(() => protocolAddress(point({ type: 'uint16', address: 0 }), transport({ base: 1 })))).toBe('POINT_INVALID');
    expect(codeOf(() => protocolAddress(point({ type: 'uint16', address: 65536 }), T))).toBe('POINT_INVALID');
  });

  it('lets a point override the transport orders one dimension at a time', () => {
    const t = transport({ byteOrder: 'little', wordOrder: 'little' });
    expect(pointOrders(point({ type: 'float32', wordOrder: 'big' }), t)).toEqual({ byteOrder: 'little', wordOrder: 'big' });
    expect(pointOrders(point({ type: 'float32' }), t)).toEqual({ byteOrder: 'little', wordOrder: 'little' });
  });
});

describe('numbers', () => {
  it('decodes float32 with transport and per-point word order', () => {
    expect(decodePoint(point({ type: 'float32' }), [0x4148, 0x0000], T)).toBe(12.5);
    const swapped = point({ type: 'float32', wordOrder: 'little' });
    expect(decodePoint(swapped, [0x0000, 0x4148], T)).toBe(12.5);
    expect(encodePoint(swapped, 12.5, T)).toEqual([0x0000, 0x4148]);
  });

  it('applies scale and offset both ways, without float noise', () => {
    const temp = point({ type: 'int16', scale: 0.1, offset: -40 });
    expect(decodePoint(temp, [653], T)).toBe(25.3);
    expect(encodePoint(temp, 25.3, T)).toEqual([653]);
    const level = point({ type: 'uint16', scale: 0.01 });
    expect(decodePoint(level, [12345], T)).toBe(123.45);
    expect(decodePoint(point({ type: 'uint16', scale: 0.1 }), [3], T)).toBe(0.3);
  });

  it('rounds an integer encode to the nearest raw step', () => {
    expect(encodePoint(point({ type: 'int16' }), 12.7, T)).toEqual([13]);
    expect(encodePoint(point({ type: 'int16' }), -1.2, T)).toEqual([0xffff]);
    const p = point({ type: 'uint16', scale: 0.5 });
    expect(encodePoint(p, 10.2, T)).toEqual([20]);
    expect(encodePoint(p, 10.3, T)).toEqual([21]);
  });

  it('reports values that do not fit after scaling', () => {
    expect(codeOf(() => encodePoint(point({ type: 'uint16' }), 70000, T))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => encodePoint(point({ type: 'uint16', scale: 0.1 }), 7000, T))).toBe('VALUE_OUT_OF_RANGE');
    expect(() => encodePoint(point({ id: 'flow', type: 'uint16', scale: 0.1 }), 7000, T)).toThrow(/point "flow": 7000 is raw 70000/);
    expect(codeOf(() => encodePoint(point({ type: 'int16' }), Number.POSITIVE_INFINITY, T))).toBe('VALUE_TYPE');
    expect(codeOf(() => encodePoint(point({ type: 'int16' }), 'hot', T))).toBe('VALUE_TYPE');
  });

  it('enforces the point min/max on writes only', () => {
    const speed = point({ type: 'uint16', min: 10, max: 100 });
    expect(encodePoint(speed, 100, T)).toEqual([100]);
    expect(codeOf(() => encodePoint(speed, 101, T))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => encodePoint(speed, 9, T))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => encodePoint(point({ type: 'float32', max: 1 }), Number.NaN, T))).toBe('VALUE_OUT_OF_RANGE');
    expect(decodePoint(speed, [500], T)).toBe(500);
    // A simulator may write an implausible reading on purpose, but never one the type cannot hold.
    expect(encodePoint(speed, 500, T, undefined, { checkLimits: false })).toEqual([500]);
    expect(codeOf(() => encodePoint(speed, 70000, T, undefined, { checkLimits: false }))).toBe('VALUE_OUT_OF_RANGE');
  });

  it('returns 64-bit integers as numbers', () => {
    expect(decodePoint(point({ type: 'uint64' }), [0, 0, 1, 0], T)).toBe(65536);
    expect(decodePoint(point({ type: 'int64' }), [0xffff, 0xffff, 0xffff, 0xfffe], T)).toBe(-2);
    expect(encodePoint(point({ type: 'uint64', wordOrder: 'little' }), 65536, T)).toEqual([0, 1, 0, 0]);
  });

  it('checks raw words and ignores words past the span', () => {
    expect(decodePoint(point({ type: 'int16' }), [0xffff, 7], T)).toBe(-1);
    expect(codeOf(() => decodePoint(point({ type: 'float32' }), [1], T))).toBe('RAW_LENGTH');
    expect(codeOf(() => decodePoint(point({ type: 'int16' }), [70000], T))).toBe('RAW_INVALID');
  });
});

describe('enums', () => {
  const door = point({ type: 'uint16', enum: { '0': 'closed', '1': 'opening', '2': 'open' }, scale: 10 });

  it('decodes to the raw number, ignoring scale', () => {
    expect(decodePoint(door, [2], T)).toBe(2);
  });

  it('encodes a label or a raw number', () => {
    expect(encodePoint(door, 'open', T)).toEqual([2]);
    expect(encodePoint(door, 'OPENING', T)).toEqual([1]);
    expect(encodePoint(door, 1, T)).toEqual([1]);
    expect(codeOf(() => encodePoint(door, 'ajar', T))).toBe('VALUE_UNKNOWN_LABEL');
  });

  it('maps labels on bool points to 0/1', () => {
    const mode = point({ type: 'bool', table: 'coil', enum: { '0': 'auto', '1': 'flash' } });
    expect(encodePoint(mode, 'flash', T)).toEqual([1]);
    expect(encodePoint(mode, 'auto', T)).toEqual([0]);
  });
});

describe('bools and bitfields', () => {
  it('reads coil and discrete bools as one bit', () => {
    const coil = point({ type: 'bool', table: 'coil' });
    expect(decodePoint(coil, [1], T)).toBe(true);
    expect(decodePoint(coil, [0], T)).toBe(false);
    expect(encodePoint(coil, true, T)).toEqual([1]);
    expect(codeOf(() => decodePoint(coil, [2], T))).toBe('RAW_INVALID');
    expect(codeOf(() => decodePoint(coil, [], T))).toBe('RAW_LENGTH');
  });

  it('reads a bool at a bit of a register, 0 = least significant', () => {
    expect(decodePoint(point({ type: 'bool', bit: 0 }), [0b1], T)).toBe(true);
    expect(decodePoint(point({ type: 'bool', bit: 15 }), [0x8000], T)).toBe(true);
    expect(decodePoint(point({ type: 'bool', bit: 14 }), [0x8000], T)).toBe(false);
    // byte order little: the register's bytes swap before bit numbers apply.
    expect(decodePoint(point({ type: 'bool', bit: 0, byteOrder: 'little' }), [0x0100], T)).toBe(true);
  });

  it('writes a bool bit and keeps the other bits of the current register', () => {
    const flag = point({ type: 'bool', bit: 3 });
    expect(encodePoint(flag, true, T, [0b1000_0001])).toEqual([0b1000_1001]);
    expect(encodePoint(flag, false, T, [0xffff])).toEqual([0xfff7]);
    expect(encodePoint(flag, true, T)).toEqual([0b1000]);
    expect(codeOf(() => encodePoint(flag, true, T, []))).toBe('RAW_LENGTH');
  });

  it('treats a register bool without bit as the whole register', () => {
    const p = point({ type: 'bool' });
    expect(decodePoint(p, [0x0200], T)).toBe(true);
    expect(decodePoint(p, [0], T)).toBe(false);
    expect(encodePoint(p, true, T)).toEqual([1]);
  });

  it('reads bits over 2 registers, bit 0 of the first register first', () => {
    const faults = point({ type: 'bits', count: 20 });
    const bits = decodePoint(faults, [0x8001, 0x0009], T) as boolean[];
    expect(bits).toHaveLength(20);
    expect(bits.flatMap((on, i) => (on ? [i] : []))).toEqual([0, 15, 16, 19]);
  });

  it('writes bits over 2 registers, keeping bits past count', () => {
    const faults = point({ type: 'bits', count: 20 });
    const bits = Array.from({ length: 20 }, (_, i) => i === 1 || i === 17);
    expect(encodePoint(faults, bits, T)).toEqual([0x0002, 0x0002]);
    expect(encodePoint(faults, bits, T, [0xffff, 0xfff0])).toEqual([0x0002, 0xfff2]);
    expect(codeOf(() => encodePoint(faults, bits.slice(1), T))).toBe('VALUE_TYPE');
  });

  it('reads and writes bits on discrete inputs one bit each', () => {
    const bays = point({ type: 'bits', table: 'discrete', count: 4 });
    expect(decodePoint(bays, [0, 1, 1, 0, 1], T)).toEqual([false, true, true, false]);
    expect(encodePoint(bays, [true, false, false, true], T)).toEqual([1, 0, 0, 1]);
  });
});

describe('strings', () => {
  const model = point({ type: 'string', length: 4 });

  it('unpacks "LC-200" two characters a register, trimming NUL padding', () => {
    // 'L'=0x4C 'C'=0x43 '-'=0x2D '2'=0x32 '0'=0x30
    expect(decodePoint(model, [0x4c43, 0x2d32, 0x3030, 0x0000], T)).toBe('LC-200');
    expect(encodePoint(model, 'LC-200', T)).toEqual([0x4c43, 0x2d32, 0x3030, 0x0000]);
  });

  it('trims trailing spaces and honours byte order little', () => {
    expect(decodePoint(model, [0x4c43, 0x2d32, 0x3030, 0x2020], T)).toBe('LC-200');
    const swapped = point({ type: 'string', length: 2, byteOrder: 'little' });
    expect(decodePoint(swapped, [0x434c, 0x0041], T)).toBe('LCA');
    expect(encodePoint(swapped, 'LCA', T)).toEqual([0x434c, 0x0041]);
  });

  it('rejects strings that are too long or not one byte a character', () => {
    expect(codeOf(() => encodePoint(model, 'LC-200-XYZ', T))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => encodePoint(model, 'LC-€', T))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => encodePoint(model, 200, T))).toBe('VALUE_TYPE');
  });
});
