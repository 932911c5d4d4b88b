import { Point, TransportDefaults } from '../../src/schema/index.js';
import type { Order } from '../../src/schema/index.js';

/** A schema-valid point: tests state only the fields they are about. */
export function point(fields: Partial<Point> & Pick<Point, 'type'>): Point {
  return Point.parse({ id: 'p', name: 'P', table: 'holding', address: 0, ...fields });
}

export function transport(fields: Partial<TransportDefaults> = {}): TransportDefaults {
  return TransportDefaults.parse(fields);
}

export const ORDERS: readonly { byteOrder: Order; wordOrder: Order }[] = [
  { byteOrder: 'big', wordOrder: 'big' },
  { byteOrder: 'big', wordOrder: 'little' },
  { byteOrder: 'little', wordOrder: 'big' },
  { byteOrder: 'little', wordOrder: 'little' },
];
