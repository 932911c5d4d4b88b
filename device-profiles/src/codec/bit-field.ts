import { CodecError } from './errors.js';
import { orderWord } from './words.js';
import type { Order } from '../schema/index.js';

/** Coil/discrete reads arrive as one 0/1 per item (Modbus App Protocol v1.1b3 §6.1: packed, LSB first). */
export function checkBits(raw: readonly number[], needed: number): void {
  if (raw.length < needed) throw new CodecError('RAW_LENGTH', `needs ${needed} bit(s), got ${raw.length}`);
  for (let i = 0; i < needed; i++) {
    if (raw[i] !== 0 && raw[i] !== 1) throw new CodecError('RAW_INVALID', `bit ${i} is ${String(raw[i])}, not 0 or 1`);
  }
}

/**
 * Bit i of a register bitfield: bit i % 16 of register floor(i / 16), bit 0 = least significant.
 * The byte order is undone first, so bit numbers mean the same as in the register's uint16 value.
 */
export function readRegisterBits(words: readonly number[], count: number, byteOrder: Order): boolean[] {
  const bits: boolean[] = [];
  for (let i = 0; i < count; i++) {
    const word = orderWord(words[i >> 4] ?? 0, byteOrder);
    bits.push(((word >> (i & 15)) & 1) === 1);
  }
  return bits;
}

/** Writes bits 0..bits.length-1 into copies of `words`, keeping every other bit as it was. */
export function writeRegisterBits(bits: readonly boolean[], words: readonly number[], byteOrder: Order, first = 0): number[] {
  const out = words.map((w) => orderWord(w, byteOrder));
  bits.forEach((on, k) => {
    const i = first + k;
    const mask = 1 << (i & 15);
    const word = out[i >> 4] ?? 0;
    out[i >> 4] = on ? word | mask : word & ~mask & 0xffff;
  });
  return out.map((w) => orderWord(w, byteOrder));
}
