// Display formatting shared by the views. No DOM here, so it is unit-tested in node.
import type { Severity, WireValue } from '../api/types.js';
import { browserTimeZone, zonedTime } from './zoned-day.js';

export const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'info'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A live timer's text: "0:07", "12:34", "1:02:03", "3 d 04:05:06". Negative clock skew reads 0. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const s = total % 60;
  const m = Math.floor(total / 60) % 60;
  const h = Math.floor(total / 3600) % 24;
  const d = Math.floor(total / 86400);
  if (d > 0) return `${d} d ${pad(h)}:${pad(m)}:${pad(s)}`;
  if (h > 0) return `${h}:${pad(m)}:${pad(s)}`;
  return `${m}:${pad(s)}`;
}

/** ISO 8601 duration for a `<time datetime>` holding an elapsed time. */
export function isoDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `PT${Math.floor(total / 3600)}H${Math.floor(total / 60) % 60}M${total % 60}S`;
}

/** A statistic's duration: "—" without data, "42 s", "3 min 5 s", "2 h 7 min", "1 d 3 h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const total = Math.max(0, Math.round(ms / 1000));
  if (total < 60) return `${total} s`;
  const m = Math.floor(total / 60);
  if (m < 60) return total % 60 === 0 ? `${m} min` : `${m} min ${total % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? `${d} d` : `${d} d ${h % 24} h`;
}

/** "14:05:09" today, else "28 Nov 14:05": in the browser's zone unless another is given (the alert history's). */
export function formatTime(ts: number, now: number = Date.now(), timeZone: string = browserTimeZone()): string {
  return zonedTime(ts, timeZone, now);
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return String(Number(n.toFixed(digits)));
}

/**
 * A point's value for people: enum labels, "yes"/"no", bit lists by label ("sg1-red, sg3-red"
 * or "none"), numbers rounded with their unit; null (comm-fail) as "—".
 */
export function formatValue(
  value: WireValue | undefined,
  opts: { unit?: string | null; enumMap?: Record<string, string> | null; labels?: Record<string, string> | null } = {},
): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) {
    const on = value.flatMap((b, i) => (b ? [opts.labels?.[String(i)] ?? `bit ${i}`] : []));
    return on.length === 0 ? 'none' : on.join(', ');
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  const label = opts.enumMap?.[String(value)];
  if (label !== undefined) return label;
  const unit = opts.unit;
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/**
 * A site's gateways: "1 online, 0 offline", plus ", 1 never connected" only when some never
 * connected, so a provisioned gateway that was never seen is not hidden between the two counts.
 */
export function gatewayCounts(g: { online: number; offline: number; unknown: number }): string {
  const seen = `${g.online} online, ${g.offline} offline`;
  return g.unknown > 0 ? `${seen}, ${g.unknown} never connected` : seen;
}

/**
 * Who did it, for people: "user:mona" → "mona"; an SMS ack link's key
 * ("ack-link:alert:3:step:1:round:0:contact:c-ann") → "c-ann (SMS link)"; others as they are.
 */
export function actorName(by: string | null): string {
  if (by === null) return '';
  if (by.startsWith('user:')) return by.slice(5);
  const contact = /^ack-link:.*:contact:([^:]+)$/.exec(by);
  if (contact !== null) return `${contact[1]} (SMS link)`;
  return by;
}
