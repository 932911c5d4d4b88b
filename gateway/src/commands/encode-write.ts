import { encodePoint, isBitTable, pointSpan, protocolAddress, type Point, type PointValue, type TransportDefaults } from '@edgefleet/device-profiles';

export type EncodedWrite =
  | { kind: 'coils'; address: number; bits: boolean[]; fc: 5 | 15 }
  | { kind: 'registers'; address: number; words: number[]; fc: 6 | 16 };

/** Bool-with-bit and register bitfields share their register with other points: read-modify-write. */
export function needsCurrentWords(point: Point): boolean {
  return !isBitTable(point.table) && (point.type === 'bits' || (point.type === 'bool' && point.bit !== undefined));
}

/**
 * Encodes one point write into the Modbus write the device accepts (Modbus App Protocol
 * v1.1b3 §6.5/6.6/6.11/6.12), preferring the single-item function codes. Throws CodecError for
 * values the point cannot take (range, type, unknown label) and Error for unsupported writes.
 */
export function encodeWrite(point: Point, value: PointValue, transport: TransportDefaults, current?: readonly number[]): EncodedWrite {
  const fcs = new Set<number>(transport.writeFunctions);
  const address = protocolAddress(point, transport);
  const raw = encodePoint(point, value, transport, current);
  if (point.table === 'coil') {
    const bits = raw.map((b) => b !== 0);
    if (bits.length === 1 && fcs.has(5)) return { kind: 'coils', address, bits, fc: 5 };
    if (fcs.has(15)) return { kind: 'coils', address, bits, fc: 15 };
    throw new Error(`point "${point.id}": the device accepts neither FC5 nor FC15 for ${bits.length} coil(s)`);
  }
  if (point.table !== 'holding') throw new Error(`point "${point.id}" is in the ${point.table} table, which Modbus cannot write`);
  if (raw.length !== pointSpan(point)) throw new Error(`point "${point.id}": encoded ${raw.length} words, expected ${pointSpan(point)}`);
  if (raw.length === 1 && fcs.has(6)) return { kind: 'registers', address, words: raw, fc: 6 };
  if (fcs.has(16)) return { kind: 'registers', address, words: raw, fc: 16 };
  throw new Error(`point "${point.id}" needs FC16 for ${raw.length} registers, which the device does not accept`);
}
