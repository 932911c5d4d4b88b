import { isNumericType } from '../codec/index.js';
import type { Point } from '../schema/index.js';

export function isNumericPoint(point: Point): boolean {
  return isNumericType(point.type);
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
