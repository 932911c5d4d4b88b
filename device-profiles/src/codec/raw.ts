import { CodecError } from './errors.js';
import { INTEGER_RANGE, NUMERIC_WIDTH, isIntegerType } from './numeric-type.js';
import type { NumericType, WordOrders } from './numeric-type.js';
import { bytesToWords, checkWords, wordsToBytes } from './words.js';

/**
 * Registers → the exact binary value: a number, or a bigint for int64/uint64 (a double cannot
 * hold every 64-bit integer). `words` must hold exactly the type's width.
 */
export function decodeRaw(type: NumericType, words: readonly number[], orders: WordOrders): number | bigint {
  const width = NUMERIC_WIDTH[type];
  if (words.length !== width) {
    throw new CodecError('RAW_LENGTH', `${type} needs exactly ${width} register(s), got ${words.length}`);
  }
  checkWords(words, width);
  const view = new DataView(wordsToBytes(words, orders).buffer);
  switch (type) {
    case 'int16': return view.getInt16(0);
    case 'uint16': return view.getUint16(0);
    case 'int32': return view.getInt32(0);
    case 'uint32': return view.getUint32(0);
    case 'int64': return view.getBigInt64(0);
    case 'uint64': return view.getBigUint64(0);
    case 'float32': return view.getFloat32(0);
    case 'float64': return view.getFloat64(0);
  }
}

/** Inverse of decodeRaw. Integers must be whole and in range; float32 must not overflow. */
export function encodeRaw(type: NumericType, value: number | bigint, orders: WordOrders): number[] {
  const view = new DataView(new ArrayBuffer(NUMERIC_WIDTH[type] * 2));
  if (type === 'float32' || type === 'float64') {
    const v = Number(value);
    // setFloat32 would silently turn 1e39 into Infinity: a different value, so refuse it.
    if (type === 'float32' && Number.isFinite(v) && !Number.isFinite(Math.fround(v))) {
      throw new CodecError('VALUE_OUT_OF_RANGE', `${v} does not fit float32`);
    }
    if (type === 'float32') view.setFloat32(0, v);
    else view.setFloat64(0, v);
  } else if (isIntegerType(type)) {
    const big = toBigInt(value, type);
    const { min, max } = INTEGER_RANGE[type];
    if (big < min || big > max) throw new CodecError('VALUE_OUT_OF_RANGE', `${big} does not fit ${type} (${min}..${max})`);
    // Two's complement: the unsigned view of the same bits is what goes on the wire.
    if (NUMERIC_WIDTH[type] === 1) view.setUint16(0, Number(BigInt.asUintN(16, big)));
    else if (NUMERIC_WIDTH[type] === 2) view.setUint32(0, Number(BigInt.asUintN(32, big)));
    else view.setBigUint64(0, BigInt.asUintN(64, big));
  }
  return bytesToWords(new Uint8Array(view.buffer), orders);
}

function toBigInt(value: number | bigint, type: NumericType): bigint {
  if (typeof value === 'bigint') return value;
  if (!Number.isInteger(value)) throw new CodecError('VALUE_TYPE', `${value} is not an integer, as ${type} needs`);
  return BigInt(value);
}
