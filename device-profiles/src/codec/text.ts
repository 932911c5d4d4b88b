import { CodecError } from './errors.js';
import type { Order } from '../schema/index.js';

/**
 * Strings are two 8-bit characters a register, first character in the high byte for byte order
 * big. Characters are Latin-1 (one byte each), the common denominator of device manuals.
 */
export function decodeText(words: readonly number[], byteOrder: Order): string {
  let text = '';
  for (const w of words) {
    const [first, second] = byteOrder === 'big' ? [w >> 8, w & 0xff] : [w & 0xff, w >> 8];
    text += String.fromCharCode(first, second);
  }
  // Devices pad fixed-width fields with NUL or spaces.
  return text.replace(/[\0 ]+$/, '');
}

/** Packs text into `length` registers, padded with NUL. */
export function encodeText(text: string, length: number, byteOrder: Order): number[] {
  if (text.length > length * 2) {
    throw new CodecError('VALUE_OUT_OF_RANGE', `"${text}" has ${text.length} characters; ${length} register(s) hold ${length * 2}`);
  }
  const words: number[] = [];
  for (let i = 0; i < length; i++) {
    const first = charAt(text, 2 * i);
    const second = charAt(text, 2 * i + 1);
    words.push(byteOrder === 'big' ? (first << 8) | second : (second << 8) | first);
  }
  return words;
}

function charAt(text: string, i: number): number {
  if (i >= text.length) return 0;
  const code = text.charCodeAt(i);
  if (code > 0xff) {
    throw new CodecError('VALUE_OUT_OF_RANGE', `character "${text[i] ?? ''}" at ${i} is not Latin-1 (one byte)`);
  }
  return code;
}
