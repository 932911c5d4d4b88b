import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CodecError, INTEGER_RANGE, NUMERIC_WIDTH, decodeRaw, encodeRaw } from '../../src/codec/index.js';
import type { IntegerType, NumericType, WordOrders } from '../../src/codec/index.js';
import { ORDERS } from './fixtures.js';
import { codeOf as errorCodeOf } from '../error-code.js';

const BIG: WordOrders = { byteOrder: 'big', wordOrder: 'big' };
const INTEGER_TYPES = Object.keys(INTEGER_RANGE) as IntegerType[];
const ALL_TYPES = Object.keys(NUMERIC_WIDTH) as NumericType[];
const word = fc.integer({ min: 0, max: 0xffff });
const swapBytes = (w: number): number => ((w & 0xff) << 8) | (w >> 8);

const codeOf = (fn: () => unknown): string | undefined => errorCodeOf(fn, CodecError);

describe('decodeRaw known vectors', () => {
  it('reads float32 0x4148,0x0000 as 12.5 in Modbus order', () => {
    expect(decodeRaw('float32', [0x4148, 0x0000], BIG)).toBe(12.5);
  });

  it('reads the same float32 words as a different value with word order little', () => {
    const swapped = decodeRaw('float32', [0x4148, 0x0000], { byteOrder: 'big', wordOrder: 'little' });
    // Bytes 00 00 41 48: a denormal, 0x4148 units of 2^-149.
    expect(swapped).toBe(0x4148 * 2 ** -149);
    expect(decodeRaw('float32', [0x0000, 0x4148], { byteOrder: 'big', wordOrder: 'little' })).toBe(12.5);
  });

  it('reads int16 0xFFFF as -1 and uint16 0xFFFF as 65535', () => {
    expect(decodeRaw('int16', [0xffff], BIG)).toBe(-1);
    expect(decodeRaw('uint16', [0xffff], BIG)).toBe(65535);
    expect(decodeRaw('int16', [0x8000], BIG)).toBe(-32768);
  });

  it('applies byte order within a single register', () => {
    expect(decodeRaw('uint16', [0x3412], { byteOrder: 'little', wordOrder: 'big' })).toBe(0x1234);
  });

  it.each([
    ['big', 'big', [0x1122, 0x3344]],
    ['big', 'little', [0x3344, 0x1122]],
    ['little', 'big', [0x2211, 0x4433]],
    ['little', 'little', [0x4433, 0x2211]],
  ] as const)('reads uint32 0x11223344 with bytes %s / words %s', (byteOrder, wordOrder, words) => {
    expect(decodeRaw('uint32', words, { byteOrder, wordOrder })).toBe(0x11223344);
    expect(encodeRaw('uint32', 0x11223344, { byteOrder, wordOrder })).toEqual(words);
  });

  it('reads 64-bit integers exactly as bigint', () => {
    expect(decodeRaw('int64', [0xffff, 0xffff, 0xffff, 0xffff], BIG)).toBe(-1n);
    expect(decodeRaw('uint64', [0xffff, 0xffff, 0xffff, 0xffff], BIG)).toBe(2n ** 64n - 1n);
    // 2^53 + 1 has no double; the bigint keeps it.
    expect(decodeRaw('uint64', [0x0020, 0x0000, 0x0000, 0x0001], BIG)).toBe(2n ** 53n + 1n);
    expect(decodeRaw('uint64', [0x0001, 0x0000, 0x0000, 0x0020], { byteOrder: 'big', wordOrder: 'little' })).toBe(2n ** 53n + 1n);
  });

  it('reads float64 1.0 and int32 -2', () => {
    expect(decodeRaw('float64', [0x3ff0, 0, 0, 0], BIG)).toBe(1);
    expect(decodeRaw('int32', [0xffff, 0xfffe], BIG)).toBe(-2);
  });
});

describe('raw errors', () => {
  it('rejects values that do not fit the type', () => {
    expect(codeOf(() => encodeRaw('uint16', 70000, BIG))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => encodeRaw('int16', 32768, BIG))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => encodeRaw('uint32', -1, BIG))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => encodeRaw('int64', 2n ** 63n, BIG))).toBe('VALUE_OUT_OF_RANGE');
    expect(codeOf(() => encodeRaw('float32', 1e39, BIG))).toBe('VALUE_OUT_OF_RANGE');
  });

  it('rejects fractions for integer types', () => {
    expect(codeOf(() => encodeRaw('int16', 1.5, BIG))).toBe('VALUE_TYPE');
    expect(codeOf(() => encodeRaw('uint64', Number.NaN, BIG))).toBe('VALUE_TYPE');
  });

  it('rejects the wrong number of words and words outside 0..65535', () => {
    expect(codeOf(() => decodeRaw('float32', [0x4148], BIG))).toBe('RAW_LENGTH');
    expect(codeOf(() => decodeRaw('uint16', [1, 2], BIG))).toBe('RAW_LENGTH');
    expect(codeOf(() => decodeRaw('uint16', [65536], BIG))).toBe('RAW_INVALID');
    expect(codeOf(() => decodeRaw('int16', [-1], BIG))).toBe('RAW_INVALID');
    expect(codeOf(() => decodeRaw('int16', [1.5], BIG))).toBe('RAW_INVALID');
  });
});

describe('raw round trips, every type and order', () => {
  for (const orders of ORDERS) {
    const label = `bytes ${orders.byteOrder} / words ${orders.wordOrder}`;

    it.each(INTEGER_TYPES)(`%s value → words → value is exact (${label})`, (type) => {
      const { min, max } = INTEGER_RANGE[type];
      fc.assert(fc.property(fc.bigInt({ min, max }), (v) => {
        const back = decodeRaw(type, encodeRaw(type, v, orders), orders);
        expect(BigInt(back)).toBe(v);
      }));
    });

    it.each(ALL_TYPES)(`%s words → value → words is exact (${label})`, (type) => {
      const width = NUMERIC_WIDTH[type];
      fc.assert(fc.property(fc.array(word, { minLength: width, maxLength: width }), (words) => {
        const value = decodeRaw(type, words, orders);
        // Floats have many NaN bit patterns; DataView writes one, so NaN words are only checked as NaN.
        if (typeof value === 'number' && Number.isNaN(value)) {
          expect(decodeRaw(type, encodeRaw(type, value, orders), orders)).toBeNaN();
        } else {
          expect(encodeRaw(type, value, orders)).toEqual(words);
        }
      }));
    });

    it(`float32 and float64 values round trip bit for bit, -0 and NaN included (${label})`, () => {
      fc.assert(fc.property(fc.float(), (v) => {
        expect(Object.is(decodeRaw('float32', encodeRaw('float32', v, orders), orders), v)).toBe(true);
      }));
      fc.assert(fc.property(fc.double(), (v) => {
        expect(Object.is(decodeRaw('float64', encodeRaw('float64', v, orders), orders), v)).toBe(true);
      }));
    });
  }

  it.each(ALL_TYPES)('%s: little/little is big/big reversed with bytes swapped', (type) => {
    const width = NUMERIC_WIDTH[type];
    fc.assert(fc.property(fc.array(word, { minLength: width, maxLength: width }), (words) => {
      const mirrored = [...words].reverse().map(swapBytes);
      const a = decodeRaw(type, words, BIG);
      const b = decodeRaw(type, mirrored, { byteOrder: 'little', wordOrder: 'little' });
      expect(Object.is(a, b) || a === b).toBe(true);
    }));
  });
});
