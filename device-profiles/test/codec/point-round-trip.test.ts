import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INTEGER_RANGE, NUMERIC_WIDTH, decodePoint, encodePoint } from '../../src/codec/index.js';
import type { IntegerType, NumericType } from '../../src/codec/index.js';
import { ORDERS, point, transport } from './fixtures.js';

const INTEGER_TYPES = Object.keys(INTEGER_RANGE) as IntegerType[];
const NUMERIC_TYPES = Object.keys(NUMERIC_WIDTH) as NumericType[];
const word = fc.integer({ min: 0, max: 0xffff });
// Scales and offsets as profiles write them.
const scaling = fc.record({
  scale: fc.constantFrom(1, 0.1, 0.01, 0.001, 0.5, 2, 10, -1, 0.25),
  offset: fc.constantFrom(0, -40, 273.15, 1000),
});

/** Integers a double holds exactly, so the engineering check is about scaling, not about 2^53. */
function safeRange(type: IntegerType): { min: number; max: number } {
  const { min, max } = INTEGER_RANGE[type];
  return {
    min: Math.max(Number(min), -(2 ** 50)),
    max: Math.min(Number(max), 2 ** 50),
  };
}

describe('engineering round trips, every order', () => {
  for (const orders of ORDERS) {
    const label = `bytes ${orders.byteOrder} / words ${orders.wordOrder}`;
    const t = transport(orders);

    it.each(INTEGER_TYPES)(`%s: words → value → words is exact under scale/offset (${label})`, (type) => {
      const { min, max } = safeRange(type);
      fc.assert(fc.property(fc.integer({ min, max }), scaling, (raw, s) => {
        const p = point({ type, ...s });
        const words = encodePoint(point({ type }), raw, t);
        expect(encodePoint(p, decodePoint(p, words, t), t)).toEqual(words);
      }));
    });

    it.each(INTEGER_TYPES)(`%s: value → words → value is within half a scale step (${label})`, (type) => {
      const { min, max } = safeRange(type);
      fc.assert(fc.property(fc.integer({ min, max }), fc.double({ min: -0.5, max: 0.5, noNaN: true }), scaling, (raw, frac, s) => {
        // An engineering value near a representable one, but not on it.
        const inside = Math.min(Math.max(raw + frac, min), max);
        const value = inside * s.scale + s.offset;
        const p = point({ type, ...s });
        const back = decodePoint(p, encodePoint(p, value, t), t) as number;
        const step = Math.abs(s.scale);
        expect(Math.abs(back - value)).toBeLessThanOrEqual(step / 2 + Math.abs(value) * 1e-12);
      }));
    });

    it(`float32/float64 engineering values survive scale/offset within float precision (${label})`, () => {
      fc.assert(fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), scaling, (value, s) => {
        const p64 = point({ type: 'float64', ...s });
        expect(decodePoint(p64, encodePoint(p64, value, t), t)).toBeCloseTo(value, 6);
        const p32 = point({ type: 'float32', ...s });
        const back = decodePoint(p32, encodePoint(p32, value, t), t) as number;
        // float32 has a 24-bit mantissa: relative error 2^-24 of the raw value, scaled back.
        const rawMagnitude = Math.abs((value - s.offset) / s.scale);
        expect(Math.abs(back - value)).toBeLessThanOrEqual(rawMagnitude * Math.abs(s.scale) * 2 ** -23 + 1e-9);
      }));
    });

    it.each(NUMERIC_TYPES)(`%s: a per-point order beats the transport (${label})`, (type) => {
      const width = NUMERIC_WIDTH[type];
      const flipped = { byteOrder: orders.byteOrder === 'big' ? 'little' : 'big', wordOrder: orders.wordOrder } as const;
      fc.assert(fc.property(fc.array(word, { minLength: width, maxLength: width }), (words) => {
        const own = point({ type, ...flipped });
        const same = point({ type });
        const viaPoint = decodePoint(own, words, t);
        expect(Object.is(viaPoint, decodePoint(same, words, transport(flipped)))).toBe(true);
      }));
    });

    it(`bits on registers: value → words → value, and other bits survive (${label})`, () => {
      fc.assert(fc.property(fc.integer({ min: 1, max: 64 }).chain((count) => fc.tuple(
        fc.constant(count),
        fc.array(fc.boolean(), { minLength: count, maxLength: count }),
        fc.array(word, { minLength: Math.ceil(count / 16), maxLength: Math.ceil(count / 16) }),
      )), ([count, bits, current]) => {
        const p = point({ type: 'bits', count });
        const words = encodePoint(p, bits, t, current);
        expect(decodePoint(p, words, t)).toEqual(bits);
        // Bits past count in the last register are the device's, not ours.
        const spare = 16 * current.length - count;
        const mask = spare === 0 ? 0 : (0xffff << (16 - spare)) & 0xffff;
        const last = current.length - 1;
        const unswap = (w: number): number => (orders.byteOrder === 'big' ? w : ((w & 0xff) << 8) | (w >> 8));
        expect(unswap(words[last]!) & mask).toBe(unswap(current[last]!) & mask);
      }));
    });

    it(`bool bits: writing one bit keeps the other fifteen (${label})`, () => {
      fc.assert(fc.property(fc.integer({ min: 0, max: 15 }), fc.boolean(), word, (bit, on, current) => {
        const p = point({ type: 'bool', bit });
        const [written] = encodePoint(p, on, t, [current]);
        expect(decodePoint(p, [written!], t)).toBe(on);
        for (let other = 0; other < 16; other++) {
          if (other === bit) continue;
          const q = point({ type: 'bool', bit: other });
          expect(decodePoint(q, [written!], t)).toBe(decodePoint(q, [current], t));
        }
      }));
    });

    it(`strings: value → words → value for Latin-1 text without trailing padding (${label})`, () => {
      const text = fc.string({ unit: fc.integer({ min: 0x21, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 20 });
      fc.assert(fc.property(text, (s) => {
        const p = point({ type: 'string', length: 10 });
        expect(decodePoint(p, encodePoint(p, s, t), t)).toBe(s);
      }));
    });
  }
});
