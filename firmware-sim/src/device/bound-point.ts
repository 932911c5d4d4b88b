import { isNumericType, pointSpan, protocolAddress, NUMERIC_WIDTH } from '@edgefleet/device-profiles';
import type { Point, Table, TransportDefaults } from '@edgefleet/device-profiles';

/** A profile point with its wire position worked out once, and the variants the sim encodes with. */
export interface BoundPoint {
  point: Point;
  table: Table;
  /** 0-based protocol address. */
  address: number;
  /** Registers or bits. */
  span: number;
  /**
   * The point without min/max: those bound what a master may write and what is plausible, but
   * a simulated fault must be able to report an implausible value, as a real device does.
   */
  encoding: Point;
  /** `encoding` with the opposite word order, for the word-swap fault. */
  swapped: Point;
}

export function bindPoint(point: Point, transport: TransportDefaults): BoundPoint {
  const { min: _min, max: _max, ...unbounded } = point;
  const encoding: Point = unbounded;
  const multiWord = isNumericType(point.type) && NUMERIC_WIDTH[point.type] > 1;
  const order = point.wordOrder ?? transport.wordOrder;
  const swapped: Point = multiWord ? { ...encoding, wordOrder: order === 'big' ? 'little' : 'big' } : encoding;
  return { point, table: point.table, address: protocolAddress(point, transport), span: pointSpan(point), encoding, swapped };
}
