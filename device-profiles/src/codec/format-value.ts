import { enumLabel } from './enum-label.js';
import { isNumericType } from './numeric-type.js';
import type { PointValue } from './point-value.js';
import { decimalPlaces } from './scaling.js';
import type { Point } from '../schema/index.js';

/** Decimals shown for a number: what the scale resolves, else 2 for floats, else none. */
function shownDecimals(point: Point, value: number): number | undefined {
  if (point.scale !== undefined) return Math.min(decimalPlaces(point.scale), 6);
  if (point.type === 'float32' || point.type === 'float64') return 2;
  return Number.isInteger(value) ? undefined : 3;
}

/** "3.20 m/s", "open (2)", "[bay 3, bay 7]" — for CLIs and messages. */
export function formatValue(point: Point, value: PointValue): string {
  if (Array.isArray(value)) {
    const names = value.flatMap((on, i) => (on ? [point.labels?.[String(i)] ?? `bit ${i}`] : []));
    return `[${names.join(', ')}]`;
  }
  if (point.enum !== undefined && typeof value !== 'string') {
    const label = enumLabel(point, value);
    const raw = typeof value === 'boolean' ? Number(value) : value;
    return label === undefined ? `unknown (${raw})` : `${label} (${raw})`;
  }
  if (typeof value === 'number' && isNumericType(point.type)) {
    const decimals = shownDecimals(point, value);
    const text = decimals === undefined || !Number.isFinite(value) ? String(value) : value.toFixed(decimals);
    return point.unit === undefined ? text : `${text} ${point.unit}`;
  }
  return String(value);
}
