import type { Point } from '../schema/index.js';
import { isBitTable } from './point-kind.js';

const WIDTH: Readonly<Record<string, number>> = {
  bool: 1, int16: 1, uint16: 1, int32: 2, uint32: 2, float32: 2, int64: 4, uint64: 4, float64: 4,
};

/**
 * Registers (holding/input) or bits (coil/discrete) a point occupies, or undefined when the
 * point is malformed (e.g. a bits point without `count`) — point-fields reports why, and the
 * layout checks skip it rather than guess.
 */
export function safePointSpan(point: Point): number | undefined {
  if (point.type === 'bits') {
    if (point.count === undefined) return undefined;
    return isBitTable(point.table) ? point.count : Math.ceil(point.count / 16);
  }
  if (isBitTable(point.table)) return point.type === 'bool' ? 1 : undefined;
  if (point.type === 'string') return point.length;
  return WIDTH[point.type];
}
