import { checkBits, readRegisterBits } from './bit-field.js';
import { CodecError, withPoint } from './errors.js';
import { isBitTable, pointOrders, pointSpan } from './layout.js';
import { isNumericType } from './numeric-type.js';
import type { PointValue } from './point-value.js';
import { decodeRaw } from './raw.js';
import { applyScale } from './scaling.js';
import { decodeText } from './text.js';
import { checkWords, orderWord } from './words.js';
import type { Point, TransportDefaults } from '../schema/index.js';

/**
 * raw = the words (0..65535) starting at the point's address, or 0/1 bits for coil/discrete;
 * anything past the point's span is ignored. Returns the engineering value; enum points return
 * their raw number.
 */
export function decodePoint(point: Point, raw: readonly number[], transport: TransportDefaults): PointValue {
  return withPoint(point.id, () => {
    const span = pointSpan(point);
    if (isBitTable(point.table)) {
      checkBits(raw, span);
      const bits = raw.slice(0, span).map((b) => b === 1);
      return point.type === 'bool' ? bits[0] === true : bits;
    }
    checkWords(raw, span);
    const words = raw.slice(0, span);
    const orders = pointOrders(point, transport);
    const { type } = point;
    if (type === 'bool') {
      const word = orderWord(words[0] ?? 0, orders.byteOrder);
      // Without `bit` the whole register is the flag (0 = false), as many devices expose it.
      return point.bit === undefined ? word !== 0 : ((word >> point.bit) & 1) === 1;
    }
    if (type === 'bits') return readRegisterBits(words, point.count ?? 0, orders.byteOrder);
    if (type === 'string') return decodeText(words, orders.byteOrder);
    if (!isNumericType(type)) throw new CodecError('POINT_INVALID', `unknown type ${String(type)}`);
    // int64/uint64 become a double here: exact up to 2^53 (9.007e15), which counters never reach.
    // Callers that need every bit use decodeRaw, which returns a bigint.
    return applyScale(point, type, Number(decodeRaw(type, words, orders)));
  });
}
