import type { Order, PointType } from '../schema/index.js';

/** The point types stored as a plain binary number in one, two or four registers. */
export type NumericType = Exclude<PointType, 'bool' | 'string' | 'bits'>;
export type IntegerType = Exclude<NumericType, 'float32' | 'float64'>;

/** Byte order within a register and register order of multi-register values. */
export interface WordOrders {
  byteOrder: Order;
  wordOrder: Order;
}

/** Registers each numeric type occupies. */
export const NUMERIC_WIDTH: Readonly<Record<NumericType, 1 | 2 | 4>> = {
  int16: 1, uint16: 1, int32: 2, uint32: 2, int64: 4, uint64: 4, float32: 2, float64: 4,
};

/** Inclusive ranges, as bigint so the 64-bit bounds are exact. */
export const INTEGER_RANGE: Readonly<Record<IntegerType, { min: bigint; max: bigint }>> = {
  int16: { min: -(2n ** 15n), max: 2n ** 15n - 1n },
  uint16: { min: 0n, max: 2n ** 16n - 1n },
  int32: { min: -(2n ** 31n), max: 2n ** 31n - 1n },
  uint32: { min: 0n, max: 2n ** 32n - 1n },
  int64: { min: -(2n ** 63n), max: 2n ** 63n - 1n },
  uint64: { min: 0n, max: 2n ** 64n - 1n },
};

export function isNumericType(type: PointType): type is NumericType {
  return type in NUMERIC_WIDTH;
}

export function isIntegerType(type: NumericType): type is IntegerType {
  return type in INTEGER_RANGE;
}
