import { CodecError, NUMERIC_WIDTH, decodePoint, decodeRaw, isNumericType } from '@edgefleet/device-profiles';
import type { NumericType, Order, Point, Profile } from '@edgefleet/device-profiles';

/** One reading of the words: a type, a byte and word order, and the value it gives. */
export interface Interpretation {
  type: NumericType;
  byteOrder: Order;
  wordOrder: Order;
  /** Byte layout of the value's bytes as sent, in the usual letters: ABCD = big/big, CDAB = word-swapped. */
  layout: string;
  /** Engineering value (scale and offset applied when a profile point is given). */
  value: number;
  inRange?: boolean;
  /** In range and of a magnitude a float reading has (a shuffled float is often 1e-27 or 1e+30). */
  plausible?: boolean;
  /** The order the profile declares for the point. */
  declared?: boolean;
}

/** Float magnitudes a meter or sensor reports; byte-shuffled floats land far outside. */
const FLOAT_SANE_MIN = 1e-6;
const FLOAT_SANE_MAX = 1e12;

const ORDERS: ReadonlyArray<{ byteOrder: Order; wordOrder: Order }> = [
  { byteOrder: 'big', wordOrder: 'big' },
  { byteOrder: 'big', wordOrder: 'little' },
  { byteOrder: 'little', wordOrder: 'big' },
  { byteOrder: 'little', wordOrder: 'little' },
];

/** The types `count` words can hold. */
export function typesForWidth(count: number): NumericType[] {
  return (Object.keys(NUMERIC_WIDTH) as NumericType[]).filter((t) => NUMERIC_WIDTH[t] === count);
}

/**
 * ABCD names the value's bytes most significant first; the layout is the order they arrive in.
 * For one register only the byte order matters (AB or BA).
 */
export function layoutName(words: number, byteOrder: Order, wordOrder: Order): string {
  const letters = 'ABCDEFGH'.slice(0, words * 2).split('');
  const pairs = Array.from({ length: words }, (_, i) => letters.slice(2 * i, 2 * i + 2));
  const ordered = wordOrder === 'big' ? pairs : [...pairs].reverse();
  return ordered.map((pair) => (byteOrder === 'big' ? pair : [...pair].reverse()).join('')).join('');
}

/** Every byte/word order of `words` as each type (one register: byte orders only). */
export function interpretWords(words: readonly number[], types: readonly NumericType[]): Interpretation[] {
  const orders = words.length === 1 ? ORDERS.filter((o) => o.wordOrder === 'big') : ORDERS;
  return types.flatMap((type) =>
    orders.map((o) => ({ type, ...o, layout: layoutName(words.length, o.byteOrder, o.wordOrder), value: Number(decodeRaw(type, words, o)) })),
  );
}

/**
 * Every order for a profile point, decoded as the point would be (scale, offset), ranked by
 * plausibility: inside the point's min..max first, then finite, then nearest the range, then a
 * magnitude a sensor would report. The wrong order of a float usually gives 1e-40 or 1e+30.
 */
export function interpretForPoint(words: readonly number[], point: Point, profile: Profile): Interpretation[] {
  if (!isNumericType(point.type)) throw new CodecError('POINT_INVALID', `is ${point.type}: only numeric points have byte/word orders`, point.id);
  const type = point.type;
  if (NUMERIC_WIDTH[type] !== words.length) throw new CodecError('RAW_LENGTH', `is ${type}: give ${NUMERIC_WIDTH[type]} word(s), got ${words.length}`, point.id);
  const declared = { byteOrder: point.byteOrder ?? profile.transport.byteOrder, wordOrder: point.wordOrder ?? profile.transport.wordOrder };
  const orders = words.length === 1 ? ORDERS.filter((o) => o.wordOrder === 'big') : ORDERS;
  const all = orders.map((o) => {
    const value = decodePoint({ ...point, ...o, enum: undefined }, words, profile.transport) as number;
    const inRange = (point.min === undefined || value >= point.min) && (point.max === undefined || value <= point.max) && Number.isFinite(value);
    const plausible = inRange && (!type.startsWith('float') || value === 0 || (Math.abs(value) >= FLOAT_SANE_MIN && Math.abs(value) <= FLOAT_SANE_MAX));
    const isDeclared = (words.length === 1 || o.wordOrder === declared.wordOrder) && o.byteOrder === declared.byteOrder;
    return { type, ...o, layout: layoutName(words.length, o.byteOrder, o.wordOrder), value, inRange, plausible, ...(isDeclared ? { declared: true } : {}) };
  });
  return all.sort((a, b) => rank(a, point) - rank(b, point));
}

function rank(i: Interpretation, point: Point): number {
  if (!Number.isFinite(i.value)) return 4e9;
  const below = point.min === undefined ? 0 : Math.max(0, point.min - i.value);
  const above = point.max === undefined ? 0 : Math.max(0, i.value - point.max);
  const distance = below + above;
  // Magnitudes far from 1e-3..1e6 are what byte-shuffled floats and integers look like.
  const magnitude = i.value === 0 ? 0 : Math.abs(Math.log10(Math.abs(i.value)));
  const oddity = Math.max(0, magnitude - 6);
  return (i.plausible ? 0 : i.inRange ? 1e9 : 2e9) + Math.min(distance, 1e8) + oddity;
}

/** "0x4148", "16712", "0x4148,0x0000" → words; a usage problem names the bad one. */
export function parseWords(text: string): number[] | string {
  const words: number[] = [];
  for (const part of text.split(/[,\s]+/).filter((p) => p !== '')) {
    const value = /^0x[0-9a-f]{1,4}$/i.test(part) ? parseInt(part, 16) : /^\d+$/.test(part) ? Number(part) : NaN;
    if (!(value >= 0 && value <= 0xffff)) return `"${part}" is not a 16-bit register (0..65535 or 0x0000..0xFFFF)`;
    words.push(value);
  }
  if (![1, 2, 4].includes(words.length)) return `give 1, 2 or 4 registers (one value), got ${words.length}`;
  return words;
}
