// The alert history as CSV, built in the browser from the rows already fetched, so the file is
// exactly what the page shows (docs/dashboard.md "Alert history"). RFC 4180: comma separated,
// CRLF line ends, a field with a comma, quote, CR or LF quoted and its quotes doubled. No DOM here.
import type { Alert } from '../api/types.js';
import { responseTimes } from './history-figures.js';
import type { HistoryFilters } from './history-filters.js';
import { zonedDateOf, zonedIso } from './zoned-day.js';

export const CSV_COLUMNS = [
  'id', 'raised_at', 'site', 'gateway', 'device', 'rule', 'message', 'severity', 'state',
  'acknowledged_at', 'acknowledged_by', 'time_to_acknowledge_s', 'resolved_at', 'time_to_resolve_s', 'time_zone',
] as const;

/**
 * One text field. A spreadsheet runs a cell that starts with = + - @ (or a tab, CR or NUL before
 * one) as a formula (OWASP "CSV injection", ASVS 5.0 1.2.10); alert messages come from device
 * profiles and site configuration, so such text gets a leading apostrophe and stays text.
 */
export function csvText(value: string): string {
  const safe = /^[=+\-@\t\r\0]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const seconds = (ms: number | null): string => (ms === null ? '' : String(Math.round(ms / 1000)));

/**
 * The rows as a CSV file's text: a header, then one line per alert in the order given. Times are
 * ISO 8601 in `timeZone`, the zone the page shows them in, with its offset ("…T00:00:30.000+14:00":
 * the site's clock, still the exact instant), and the zone is named in the last column;
 * durations whole seconds, `acknowledged_by` as the API says it (`user:mona`). `siteOf` names an
 * alert's site (the history shows the site's name).
 */
export function alertsCsv(alerts: readonly Alert[], siteOf: (a: Alert) => string, timeZone: string): string {
  const iso = (ts: number | null): string => (ts === null ? '' : zonedIso(ts, timeZone));
  const lines = [CSV_COLUMNS.join(',')];
  for (const a of alerts) {
    const t = responseTimes(a);
    lines.push([
      String(a.id), iso(a.raisedAt), csvText(siteOf(a)), csvText(a.gateway), csvText(a.device), csvText(a.rule),
      csvText(a.message), a.severity, a.state, iso(a.acknowledgedAt), csvText(a.acknowledgedBy ?? ''),
      seconds(t.toAcknowledgeMs), iso(a.resolvedAt), seconds(t.toResolveMs), csvText(timeZone),
    ].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** "alert-history-south-7d-to-2026-11-29.csv": what was exported is in the name (today: the zone's date). */
export function csvFileName(f: HistoryFilters, now: number, timeZone: string): string {
  const today = zonedDateOf(now, timeZone);
  const range = f.range === 'custom' ? `${f.from ?? ''}-to-${f.to ?? ''}` : f.range === 'today' ? today : `${f.range}-to-${today}`;
  return `alert-history-${f.site ?? 'all-sites'}-${range}.csv`;
}
