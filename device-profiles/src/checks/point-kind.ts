import type { Point, PointType, Table } from '../schema/index.js';

export const INTEGER_TYPES: ReadonlySet<PointType> = new Set(['int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64']);
export const NUMERIC_TYPES: ReadonlySet<PointType> = new Set([...INTEGER_TYPES, 'float32', 'float64']);

/** Raw value ranges of integer types; 64-bit bounds are approximate (doubles), fine for enum keys. */
export const INTEGER_RANGE: Readonly<Record<string, readonly [number, number]>> = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x8000_0000, 0x7fff_ffff],
  uint32: [0, 0xffff_ffff],
  int64: [-(2 ** 63), 2 ** 63],
  uint64: [0, 2 ** 64],
};

/** Coils and discrete inputs carry single bits; holding and input registers carry 16-bit words. */
export function isBitTable(table: Table): boolean {
  return table === 'coil' || table === 'discrete';
}

export function isNumericPoint(point: Point): boolean {
  return NUMERIC_TYPES.has(point.type);
}

/**
 * What a rule or command sees of a point: a number, an enum (label or raw number), a boolean,
 * a string, or a bit array (bits points, unless a rule picks one `bit` or an `agg`).
 */
export type ValueKind = 'number' | 'enum' | 'bool' | 'string' | 'bit-array';

export function valueKind(point: Point, pick: { bit?: number | undefined; agg?: string | undefined } = {}): ValueKind {
  if (point.type === 'bits') {
    if (pick.agg !== undefined) return 'number';
    return pick.bit !== undefined ? 'bool' : 'bit-array';
  }
  if (point.type === 'bool') return 'bool';
  if (point.type === 'string') return 'string';
  return point.enum ? 'enum' : 'number';
}

/** Why `literal` cannot be compared with or written to a value of this kind; undefined if it can. */
export function literalMismatch(point: Point, kind: ValueKind, literal: number | boolean | string): string | undefined {
  const labels = Object.values(point.enum ?? {});
  switch (kind) {
    case 'bool':
      return typeof literal === 'boolean' ? undefined : `${point.id} is a boolean: use true or false, not ${JSON.stringify(literal)}`;
    case 'number':
      return typeof literal === 'number' ? undefined : `${point.id} is numeric: ${JSON.stringify(literal)} is not a number`;
    case 'string':
      return typeof literal === 'string' ? undefined : `${point.id} is a string: ${JSON.stringify(literal)} is not a string`;
    case 'enum':
      if (typeof literal === 'number') return undefined;
      if (typeof literal === 'string' && labels.includes(literal)) return undefined;
      return `${JSON.stringify(literal)} is not a label of ${point.id} (labels: ${labels.join(', ')})`;
    case 'bit-array':
      return `${point.id} is a bits point: pick one bit with \`bit\` or reduce it with \`agg\``;
  }
}
