import { writeRegisterBits } from './bit-field.js';
import { resolveEnumLabel } from './enum-label.js';
import { CodecError, withPoint } from './errors.js';
import { isBitTable, pointOrders, pointSpan } from './layout.js';
import { isNumericType } from './numeric-type.js';
import type { PointValue } from './point-value.js';
import { encodeRaw } from './raw.js';
import { removeScale } from './scaling.js';
import { encodeText } from './text.js';
import { checkWords, orderWord } from './words.js';
import type { Point, TransportDefaults } from '../schema/index.js';

export interface EncodeOptions {
  /**
   * Enforce the point's min/max (default true). A simulator injecting a fault passes false to
   * put an implausible reading in its registers; what the type cannot hold is refused anyway.
   */
  checkLimits?: boolean;
}

/**
 * Inverse of decodePoint: the words (or 0/1 bits) to write at the point's address. Enum points
 * accept a label or a raw number. For bool-with-bit and bits on registers, `current` (the words
 * now in the device) keeps the other bits; without it they are written as 0.
 */
export function encodePoint(
  point: Point,
  value: PointValue,
  transport: TransportDefaults,
  current?: readonly number[],
  options: EncodeOptions = {},
): number[] {
  return withPoint(point.id, () => {
    const span = pointSpan(point);
    const { byteOrder } = pointOrders(point, transport);
    const onBits = isBitTable(point.table);
    const base = (): number[] => {
      if (current === undefined) return new Array<number>(span).fill(0);
      checkWords(current, span);
      return current.slice(0, span);
    };
    const { type } = point;
    if (type === 'bool') {
      const on = toBoolean(point, value);
      if (onBits) return [on ? 1 : 0];
      if (point.bit === undefined) return [orderWord(on ? 1 : 0, byteOrder)];
      return writeRegisterBits([on], base(), byteOrder, point.bit);
    }
    if (type === 'bits') {
      const bits = toBitArray(value, point.count ?? 0);
      return onBits ? bits.map((b) => (b ? 1 : 0)) : writeRegisterBits(bits, base(), byteOrder);
    }
    if (type === 'string') {
      if (typeof value !== 'string') throw new CodecError('VALUE_TYPE', `expects a string, got ${describe(value)}`);
      return encodeText(value, span, byteOrder);
    }
    if (!isNumericType(type)) throw new CodecError('POINT_INVALID', `unknown type ${String(type)}`);
    const engineering = toNumber(point, value);
    if (options.checkLimits !== false) checkLimits(point, engineering);
    const raw = removeScale(point, type, engineering);
    try {
      return encodeRaw(type, raw, pointOrders(point, transport));
    } catch (err) {
      if (err instanceof CodecError && raw !== engineering) {
        throw new CodecError(err.code, `${engineering} is raw ${raw} after scale ${point.scale ?? 1} and offset ${point.offset ?? 0}: ${err.message}`);
      }
      throw err;
    }
  });
}

function toBoolean(point: Point, value: PointValue): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value === 'string' && point.enum !== undefined) return resolveEnumLabel(point, value) !== 0;
  throw new CodecError('VALUE_TYPE', `expects a boolean, got ${describe(value)}`);
}

function toBitArray(value: PointValue, count: number): boolean[] {
  if (!Array.isArray(value) || value.length !== count || !value.every((b) => typeof b === 'boolean')) {
    throw new CodecError('VALUE_TYPE', `expects an array of ${count} booleans, got ${describe(value)}`);
  }
  return value;
}

function toNumber(point: Point, value: PointValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && point.enum !== undefined) return resolveEnumLabel(point, value);
  throw new CodecError('VALUE_TYPE', `expects a number${point.enum ? ' or an enum label' : ''}, got ${describe(value)}`);
}

/** min/max bound what may be written; NaN is outside any bound. */
function checkLimits(point: Point, value: number): void {
  const tooLow = point.min !== undefined && !(value >= point.min);
  const tooHigh = point.max !== undefined && !(value <= point.max);
  if (tooLow || tooHigh) {
    throw new CodecError('VALUE_OUT_OF_RANGE', `${value} is outside its limits ${point.min ?? '-∞'}..${point.max ?? '∞'}`);
  }
}

function describe(value: PointValue): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === 'string' ? `"${value}"` : `${typeof value} ${String(value)}`;
}
