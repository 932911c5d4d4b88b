import type { Point } from '../schema/index.js';
import { labelOfRaw } from './leaf-operand.js';
import type { PointValue } from '../codec/index.js';

const PLACEHOLDER = /\{([^{}]+)\}/g;
/** Counting "units" read better without a suffix: "Trapped at floor 3", not "3 floor". */
const SILENT_UNITS = new Set(['', 'count', 'floor', 'trips', 'vehicles', 'bays', 'index', 'phase']);
/** A bitfield with more set bits than this is summarised as "n of m" to keep an SMS short. */
const MAX_LISTED_BITS = 8;

/** The names a message template puts in braces, each once ("Trapped at {floor}" → ["floor"]). */
export function messageNames(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => (m[1] ?? '').trim()))];
}

/**
 * Fills a rule's message. A point's value is shown with its enum label and unit; a point with no
 * value shows "?"; a name that is neither a point nor a value stays "{name}" so the mistake is
 * visible in the text rather than silently blank.
 */
export function renderMessage(template: string, points: readonly Point[], values: Record<string, PointValue>): string {
  const byId = new Map(points.map((p) => [p.id, p]));
  return template.replace(PLACEHOLDER, (whole, raw: string) => {
    const name = raw.trim();
    const point = byId.get(name);
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    if (value === undefined) return point === undefined ? whole : '?';
    return formatForMessage(value, point);
  });
}

/** One value as a person reads it: "open", "3.5 °C", "bays 3, 17", "yes". */
export function formatForMessage(value: PointValue, point?: Point): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return formatBits(value, point);
  if (typeof value === 'string') return value;
  const label = labelOfRaw(value, point);
  if (label !== undefined) return label;
  return withUnit(formatNumber(value), point?.unit);
}

function withUnit(text: string, unit: string | undefined): string {
  if (unit === undefined || SILENT_UNITS.has(unit)) return text;
  return unit === '%' ? `${text}%` : `${text} ${unit}`;
}

/**
 * Three significant digits, but never fewer than the integer digits: 1.753 → 1.75,
 * 0.012345 → 0.0123, 123456.7 → 123457. Integers are shown as they are.
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.min(Math.max(0, 2 - magnitude), 20);
  const rounded = Number(value.toFixed(decimals));
  return String(rounded === 0 ? 0 : rounded); // no "-0"
}

/** Set bits by label (or index): "red-1, ped-2"; "none"; or "12 of 256" when many are set. */
function formatBits(bits: readonly boolean[], point: Point | undefined): string {
  const set = bits.flatMap((bit, i) => (bit ? [i] : []));
  if (set.length === 0) return 'none';
  if (set.length > MAX_LISTED_BITS) return `${set.length} of ${bits.length}`;
  const labels = point?.labels ?? {};
  return set
    .map(String)
    .map((key) => (Object.hasOwn(labels, key) ? labels[key] : undefined) ?? key)
    .join(', ');
}
