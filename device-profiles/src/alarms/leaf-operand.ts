import type { Leaf, Literal, Point } from '../schema/index.js';
import type { PointValue } from '../codec/index.js';

/** What a leaf compares: the point's value, one bit of it, or a count/share of its set bits. */
export type Operand = PointValue;

/**
 * Applies a leaf's `bit` or `agg` to a value. Undefined when the value has no such bit or
 * cannot be reduced (e.g. `agg` on a number), so the leaf counts as unknown, not as false.
 */
export function projectOperand(leaf: Pick<Leaf, 'bit' | 'agg'>, value: PointValue): Operand | undefined {
  if (leaf.bit !== undefined) return pickBit(value, leaf.bit);
  if (leaf.agg === undefined) return value;
  if (!Array.isArray(value)) return undefined;
  const set = value.filter(Boolean).length;
  if (leaf.agg === 'count') return set;
  return value.length === 0 ? undefined : set / value.length;
}

function pickBit(value: PointValue, bit: number): boolean | undefined {
  if (Array.isArray(value)) return value[bit];
  // A status word decoded as an integer: bit 0 is the least significant, as in the schema.
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    return Math.floor(value / 2 ** bit) % 2 === 1;
  }
  return undefined;
}

/**
 * Numeric view of an operand for gt/ge/lt/le. Enum labels map back to their raw value (the codec
 * may decode enums either way); NaN (a float register holding garbage) is unknown.
 */
export function numericOperand(operand: Operand, point: Point | undefined): number | undefined {
  if (typeof operand === 'number') return Number.isNaN(operand) ? undefined : operand;
  if (typeof operand === 'string') return rawOfLabel(operand, point);
  return undefined;
}

/**
 * eq semantics between an operand and a rule literal. Enum points compare by label when the
 * literal is a string and by raw value when it is a number, whichever form the value is in.
 * Booleans and numbers compare as 1/0. Undefined when the two cannot be compared at all
 * (a string with a boolean, a whole bitfield with anything), so a mistyped rule never fires.
 */
export function matchesLiteral(operand: Operand, literal: Literal, point: Point | undefined): boolean | undefined {
  if (Array.isArray(operand)) return undefined;
  if (typeof operand === 'boolean') {
    if (typeof literal === 'boolean') return operand === literal;
    return typeof literal === 'number' ? Number(operand) === literal : undefined;
  }
  if (typeof operand === 'number') {
    if (typeof literal === 'number') return operand === literal;
    if (typeof literal === 'boolean') return operand === Number(literal);
    if (point?.enum === undefined) return undefined;
    return labelOfRaw(operand, point) === literal;
  }
  if (typeof literal === 'string') return operand === literal;
  if (typeof literal === 'number' && point?.enum !== undefined) return rawOfLabel(operand, point) === literal;
  return undefined;
}

/** Equality of two operands for `changed`; bitfields compare bit by bit. */
export function sameOperand(a: Operand, b: Operand): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((bit, i) => bit === b[i]);
  return Object.is(a, b) || a === b;
}

export function labelOfRaw(raw: number, point: Point | undefined): string | undefined {
  const labels = point?.enum;
  const key = String(raw);
  return labels !== undefined && Object.hasOwn(labels, key) ? labels[key] : undefined;
}

function rawOfLabel(label: string, point: Point | undefined): number | undefined {
  const entry = Object.entries(point?.enum ?? {}).find(([, l]) => l === label);
  return entry === undefined ? undefined : Number(entry[0]);
}
