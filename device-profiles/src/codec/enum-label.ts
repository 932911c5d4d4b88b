import { CodecError } from './errors.js';
import type { PointValue } from './point-value.js';
import type { Point } from '../schema/index.js';

/** The label the point's `enum` gives a value (a bool reads as raw 0/1), if any. */
export function enumLabel(point: Point, value: PointValue): string | undefined {
  if (point.enum === undefined) return undefined;
  if (typeof value === 'number') return point.enum[String(value)];
  if (typeof value === 'boolean') return point.enum[value ? '1' : '0'];
  return undefined;
}

/** The raw number behind a label: an exact match first, else a unique case-insensitive one. */
export function resolveEnumLabel(point: Point, label: string): number {
  const entries = Object.entries(point.enum ?? {});
  const exact = entries.find(([, name]) => name === label);
  const loose = entries.filter(([, name]) => name.toLowerCase() === label.toLowerCase());
  const match = exact ?? (loose.length === 1 ? loose[0] : undefined);
  if (match === undefined) {
    const known = entries.map(([, name]) => name).join(', ');
    throw new CodecError('VALUE_UNKNOWN_LABEL', `"${label}" is not one of its labels (${known || 'none'})`);
  }
  return Number(match[0]);
}
