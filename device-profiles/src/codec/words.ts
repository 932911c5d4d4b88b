import { CodecError } from './errors.js';
import type { WordOrders } from './numeric-type.js';
import type { Order } from '../schema/index.js';

/** Throws unless every word is an integer 0..65535 (a 16-bit Modbus register). */
export function checkWords(words: readonly number[], needed: number): void {
  if (words.length < needed) throw new CodecError('RAW_LENGTH', `needs ${needed} register(s), got ${words.length}`);
  for (let i = 0; i < needed; i++) {
    const w = words[i];
    if (w === undefined || !Number.isInteger(w) || w < 0 || w > 0xffff) {
      throw new CodecError('RAW_INVALID', `register ${i} is ${String(w)}, not an integer 0..65535`);
    }
  }
}

/** Swaps the two bytes of a register when the device sends the low byte first. */
export function orderWord(word: number, byteOrder: Order): number {
  return byteOrder === 'big' ? word : ((word & 0xff) << 8) | (word >> 8);
}

/**
 * Registers → the value's bytes, most significant first. The device's register order is undone
 * first ('little' = least significant word first), then the byte order within each register.
 */
export function wordsToBytes(words: readonly number[], orders: WordOrders): Uint8Array {
  const ordered = orders.wordOrder === 'big' ? words : [...words].reverse();
  const bytes = new Uint8Array(ordered.length * 2);
  ordered.forEach((w, i) => {
    const v = orderWord(w, orders.byteOrder);
    bytes[2 * i] = v >> 8;
    bytes[2 * i + 1] = v & 0xff;
  });
  return bytes;
}

/** Inverse of wordsToBytes. */
export function bytesToWords(bytes: Uint8Array, orders: WordOrders): number[] {
  const words: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) {
    words.push(orderWord(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0), orders.byteOrder));
  }
  return orders.wordOrder === 'big' ? words : words.reverse();
}
