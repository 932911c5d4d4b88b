import { CodecError } from './errors.js';
import { NUMERIC_WIDTH, isNumericType } from './numeric-type.js';
import type { WordOrders } from './numeric-type.js';
import type { Point, Table, TransportDefaults } from '../schema/index.js';

/** Coils and discrete inputs carry single bits; holding and input registers carry 16-bit words. */
export function isBitTable(table: Table): boolean {
  return table === 'coil' || table === 'discrete';
}

/** The point's own byte/word order where it sets one, else the profile's transport default. */
export function pointOrders(point: Point, transport: TransportDefaults): WordOrders {
  return {
    byteOrder: point.byteOrder ?? transport.byteOrder,
    wordOrder: point.wordOrder ?? transport.wordOrder,
  };
}

/** Registers a point occupies (holding/input) or bits (coil/discrete). */
export function pointSpan(point: Point): number {
  const { type } = point;
  if (type === 'bool') return 1;
  if (type === 'bits') {
    if (point.count === undefined) throw new CodecError('POINT_INVALID', 'a bits point needs `count`', point.id);
    return isBitTable(point.table) ? point.count : Math.ceil(point.count / 16);
  }
  if (isBitTable(point.table)) {
    throw new CodecError('POINT_INVALID', `type ${type} cannot live in the ${point.table} table (bool or bits only)`, point.id);
  }
  if (type === 'string') {
    if (point.length === undefined) throw new CodecError('POINT_INVALID', 'a string point needs `length`', point.id);
    return point.length;
  }
  if (isNumericType(type)) return NUMERIC_WIDTH[type];
  throw new CodecError('POINT_INVALID', `unknown type ${String(type)}`, point.id);
}

/**
 * 0-based protocol address of a point: point.address - transport.base. Modbus App Protocol
 * v1.1b3 §4.4: the PDU addresses items 0..65535 whatever numbering the device manual uses.
 */
export function protocolAddress(point: Point, transport: TransportDefaults): number {
  const address = point.address - transport.base;
  if (address < 0 || address > 0xffff) {
    throw new CodecError('POINT_INVALID', `address ${point.address} with base ${transport.base} is outside 0..65535 on the wire`, point.id);
  }
  return address;
}
