// The alert history's filters, kept in the hash's query ("#/alerts/history?site=x&range=7d") so a
// view can be bookmarked and shared, and turned into a GET /alerts request. Days are calendar
// days in the zone the history is shown in (lib/history-zone.ts). No DOM here, so it is
// unit-tested in node.
import type { Severity } from '../api/types.js';
import { SEVERITIES } from './format.js';
import { DAY, parseDate, startOfZonedDate, startOfZonedDay, zonedDayNumber } from './zoned-day.js';

export type HistoryState = 'open' | 'acknowledged' | 'resolved' | 'all';
export type HistoryRange = 'today' | '7d' | '30d' | 'custom';

export const HISTORY_STATES: readonly HistoryState[] = ['all', 'open', 'acknowledged', 'resolved'];
export const HISTORY_RANGES: readonly HistoryRange[] = ['today', '7d', '30d', 'custom'];

export interface HistoryFilters {
  site: string | null;
  severity: Severity | null;
  state: HistoryState;
  range: HistoryRange;
  /** "YYYY-MM-DD" (what <input type=date> gives), first and last day of a custom range. */
  from: string | null;
  to: string | null;
  gateway: string | null;
  device: string | null;
}

export const DEFAULT_FILTERS: HistoryFilters = {
  site: null, severity: null, state: 'all', range: '7d', from: null, to: null, gateway: null, device: null,
};

/** docs/api.md Conventions: ids are lower-case slugs of at most 64 characters. */
const SLUG = /^[a-z0-9_-]{1,64}$/;

const slugOr = (v: string | null): string | null => (v !== null && SLUG.test(v) ? v : null);
const pick = <T extends string>(values: readonly T[], v: string | null): T | null =>
  v !== null && (values as readonly string[]).includes(v) ? (v as T) : null;
const dateOr = (v: string | null): string | null => (v !== null && parseDate(v) !== null ? v : null);

/**
 * Filters from a hash query. A value that is not one of the allowed ones is dropped (its default
 * applies), so an edited or stale link still opens a page rather than an error.
 */
export function parseHistoryQuery(query: string): HistoryFilters {
  const p = new URLSearchParams(query);
  const range = pick(HISTORY_RANGES, p.get('range')) ?? DEFAULT_FILTERS.range;
  return {
    site: slugOr(p.get('site')),
    severity: pick(SEVERITIES, p.get('severity')),
    state: pick(HISTORY_STATES, p.get('state')) ?? DEFAULT_FILTERS.state,
    range,
    from: range === 'custom' ? dateOr(p.get('from')) : null,
    to: range === 'custom' ? dateOr(p.get('to')) : null,
    gateway: slugOr(p.get('gateway')),
    device: slugOr(p.get('device')),
  };
}

/** The hash query for filters: only what differs from the defaults, in a fixed order. */
export function historyQuery(f: HistoryFilters): string {
  const p = new URLSearchParams();
  if (f.site !== null) p.set('site', f.site);
  if (f.severity !== null) p.set('severity', f.severity);
  if (f.state !== DEFAULT_FILTERS.state) p.set('state', f.state);
  if (f.range !== DEFAULT_FILTERS.range) p.set('range', f.range);
  if (f.range === 'custom' && f.from !== null) p.set('from', f.from);
  if (f.range === 'custom' && f.to !== null) p.set('to', f.to);
  if (f.gateway !== null) p.set('gateway', f.gateway);
  if (f.device !== null) p.set('device', f.device);
  return p.toString();
}

/** The page's hash for filters. */
export function historyHash(f: HistoryFilters): string {
  const q = historyQuery(f);
  return q === '' ? '#/alerts/history' : `#/alerts/history?${q}`;
}

/** [from, to) in epoch ms (to null: up to now), or why the range cannot be used. */
export type RangeBounds = { from: number; to: number | null } | { error: string };

/**
 * Calendar days in `timeZone` (DST days are 23 or 25 h): today: since the zone's midnight;
 * 7d/30d: the last 7/30 days, today included; custom: from the first day's midnight to the end
 * of the last day (both days included).
 */
export function rangeBounds(f: HistoryFilters, now: number, timeZone: string): RangeBounds {
  const today = zonedDayNumber(now, timeZone);
  if (f.range === 'today') return { from: startOfZonedDay(now, timeZone), to: null };
  if (f.range === '7d') return { from: startOfZonedDate(today - 6 * DAY, timeZone), to: null };
  if (f.range === '30d') return { from: startOfZonedDate(today - 29 * DAY, timeZone), to: null };
  const first = f.from === null ? null : parseDate(f.from);
  const last = f.to === null ? null : parseDate(f.to);
  if (first === null || last === null) return { error: 'Choose the first and the last day of the range.' };
  if (last < first) return { error: 'The last day must not be before the first.' };
  return { from: startOfZonedDate(first, timeZone), to: startOfZonedDate(last + DAY, timeZone) };
}

/** API states for a state filter; "all" asks for none. */
const API_STATES: Record<HistoryState, string | null> = { all: null, open: 'open', acknowledged: 'acknowledged', resolved: 'resolved' };

/** The GET /alerts path for filters and bounds; `before` asks for the page after that alert (docs/api.md "Alerts"). */
export function alertsPath(f: HistoryFilters, bounds: { from: number; to: number | null }, limit: number, before?: number): string {
  const p = new URLSearchParams();
  const state = API_STATES[f.state];
  if (state !== null) p.set('state', state);
  if (f.site !== null) p.set('site', f.site);
  if (f.gateway !== null) p.set('gateway', f.gateway);
  if (f.device !== null) p.set('device', f.device);
  if (f.severity !== null) p.set('severity', f.severity);
  p.set('from', String(bounds.from));
  if (bounds.to !== null) p.set('to', String(bounds.to));
  if (before !== undefined) p.set('before', String(before));
  p.set('limit', String(limit));
  return `/alerts?${p.toString()}`;
}
