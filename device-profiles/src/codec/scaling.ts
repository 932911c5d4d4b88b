import { CodecError } from './errors.js';
import type { NumericType } from './numeric-type.js';
import type { Point } from '../schema/index.js';

/** Decimal places in the shortest text of x: 0.01 → 2, 2.5e-7 → 8, 40 → 0. */
export function decimalPlaces(x: number): number {
  const m = /^\d+(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(Math.abs(x)));
  if (!m) return 0;
  return Math.max(0, (m[1]?.length ?? 0) - Number(m[2] ?? 0));
}

/** Enum points are keyed by raw register values, so scale and offset never apply to them. */
function isScaled(point: Point): boolean {
  if (point.enum !== undefined) return false;
  return (point.scale ?? 1) !== 1 || (point.offset ?? 0) !== 0;
}

/** engineering = raw * scale + offset. */
export function applyScale(point: Point, type: NumericType, raw: number): number {
  if (!isScaled(point)) return raw;
  const scale = point.scale ?? 1;
  const offset = point.offset ?? 0;
  const value = raw * scale + offset;
  if (type === 'float32' || type === 'float64' || !Number.isFinite(value)) return value;
  // An integer times 0.1 gives 12.300000000000001; the register only ever meant 12.3, so round
  // to the decimals scale and offset can produce.
  const places = Math.max(decimalPlaces(scale), decimalPlaces(offset));
  return places <= 15 ? Number(value.toFixed(places)) : value;
}

/** raw = (engineering - offset) / scale, rounded to the nearest integer (halves up) for integer types. */
export function removeScale(point: Point, type: NumericType, value: number): number {
  const isFloat = type === 'float32' || type === 'float64';
  if (!isFloat && !Number.isFinite(value)) {
    throw new CodecError('VALUE_TYPE', `${value} is not a finite number, as ${type} needs`);
  }
  // An unscaled point has scale 1: it rounds like any other (a 12.7 setpoint writes 13).
  const raw = isScaled(point) ? (value - (point.offset ?? 0)) / (point.scale ?? 1) : value;
  return isFloat ? raw : Math.round(raw);
}
