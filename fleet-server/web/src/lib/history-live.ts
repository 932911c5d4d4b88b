// The alert history's rows and how live alert events change them (docs/dashboard.md "Alert
// history"): the rows loaded with their filters and bounds, a new alert that matches them put
// in its place (new ones on top), a shown alert's new version replacing it in place. No DOM
// here, so it is unit-tested in node.
import type { Alert, AlertEvent, AlertState } from '../api/types.js';
import type { HistoryFilters, HistoryState } from './history-filters.js';

export interface HistoryRows {
  /** What the rows were loaded for: events are matched against these, not the form's latest. */
  filters: HistoryFilters;
  bounds: { from: number; to: number | null };
  /** Newest raised first (ties: higher id first), as GET /alerts lists them. */
  alerts: readonly Alert[];
  /** The last page was full: older alerts may exist. */
  more: boolean;
}

/** The alert states each state filter shows; "open" is the API's `state=open` (docs/api.md "Alerts"). */
const SHOWN: Record<HistoryState, readonly AlertState[] | null> = {
  all: null, open: ['raised', 'notified', 'acknowledged'], acknowledged: ['acknowledged'], resolved: ['resolved'],
};

/** Whether GET /alerts with the rows' filters and bounds would list the alert (of `site`). */
export function matchesRows(rows: HistoryRows, site: string, a: Alert): boolean {
  const f = rows.filters;
  const states = SHOWN[f.state];
  return (f.site === null || f.site === site)
    && (f.gateway === null || f.gateway === a.gateway)
    && (f.device === null || f.device === a.device)
    && (f.severity === null || f.severity === a.severity)
    && (states === null || states.includes(a.state))
    && a.raisedAt >= rows.bounds.from && (rows.bounds.to === null || a.raisedAt < rows.bounds.to);
}

/** The list's keyset order (GET /alerts' `before` cursor): raised later, or at once with a higher id. */
const listedBefore = (a: Alert, b: Alert): boolean => a.raisedAt > b.raisedAt || (a.raisedAt === b.raisedAt && a.id > b.id);

/**
 * The rows with one alert event applied.
 * - A shown alert is replaced in place by a newer version (by updatedAt: a late, older one is
 *   ignored, so it cannot undo an acknowledgement). It stays even when its new state no longer
 *   matches the state filter: rows do not vanish while someone reads them; the next load drops it.
 * - An alert not shown is added in its place in the order (a new one on top) when it matches
 *   the rows' filters; not when it would sort after the last row while older pages are not
 *   loaded yet (it is on one of those pages, and comes with it).
 */
export function applyAlertEvent(rows: HistoryRows, e: Pick<AlertEvent, 'site' | 'alert'>): HistoryRows {
  const a = e.alert;
  const at = rows.alerts.findIndex((r) => r.id === a.id);
  if (at >= 0) {
    const shown = rows.alerts[at];
    if (shown !== undefined && shown.updatedAt > a.updatedAt) return rows;
    return { ...rows, alerts: rows.alerts.map((r, i) => (i === at ? a : r)) };
  }
  if (!matchesRows(rows, e.site, a)) return rows;
  const place = rows.alerts.findIndex((r) => listedBefore(a, r));
  if (place < 0 && rows.more) return rows;
  const alerts = [...rows.alerts];
  alerts.splice(place < 0 ? alerts.length : place, 0, a);
  return { ...rows, alerts };
}

/**
 * The rows with the next older page (GET /alerts?before=<last id>) appended. No live event added
 * any of its alerts: those sort after the last row, which events leave to the page while `more`.
 */
export function appendPage(rows: HistoryRows, page: readonly Alert[], limit: number): HistoryRows {
  return { ...rows, alerts: [...rows.alerts, ...page], more: page.length === limit };
}
