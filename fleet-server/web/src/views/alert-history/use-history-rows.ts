// The alert history's rows (docs/dashboard.md "Alert history"): the newest page for the filters
// in the history's zone, older pages on request, and live: the stream's alert events change the
// rows as they arrive (lib/history-live.ts), and those that arrive while a page loads are kept and
// replayed over it (lib/load-buffer.ts), so an alert raised meanwhile is not lost. Nothing is
// polled. The newest page loads again after a stream `reset`, and when a relative range's first
// day moves on (midnight in the zone), so "today" does not keep yesterday's rows.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../../api/client.js';
import type { Alert, AlertEvent } from '../../api/types.js';
import { alertsPath, historyQuery, rangeBounds, type HistoryFilters } from '../../lib/history-filters.js';
import { appendPage, applyAlertEvent, type HistoryRows } from '../../lib/history-live.js';
import { LoadBuffer, replay } from '../../lib/load-buffer.js';
import { useLiveEvents, useMinute, useReconnect } from '../../live/hooks.js';

/** Rows per request; "Load older alerts" asks for the next page. */
const PAGE = 200;

export interface HistoryRowsState {
  /** Null while the newest page loads (or cannot: see error and rangeError). */
  rows: HistoryRows | null;
  error: string | null;
  rangeError: string | null;
  olderBusy: boolean;
  loadOlder: () => void;
}

/** `timeZone` null: not known yet (the sites are loading); nothing is asked for until it is. */
export function useHistoryRows(filters: HistoryFilters, timeZone: string | null): HistoryRowsState {
  const [rows, setRows] = useState<HistoryRows | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [olderBusy, setOlderBusy] = useState(false);
  const buffer = useRef(new LoadBuffer<AlertEvent>()).current;

  // Bounds from the clock at each load, not at each render: a reload after midnight is the new day's.
  const load = (): void => {
    const bounds = timeZone === null ? null : rangeBounds(filters, Date.now(), timeZone);
    if (bounds === null || 'error' in bounds) return;
    const mine = buffer.begin();
    api<{ items: Alert[] }>(alertsPath(filters, bounds, PAGE)).then(
      (res) => {
        const settled = buffer.settle(mine);
        if (settled === null) return;
        setRows(replay({ filters, bounds, alerts: res.items, more: res.items.length === PAGE }, settled.events, applyAlertEvent));
        setError(null);
        if (settled.stale) load();
      },
      (err: unknown) => {
        if (buffer.fail(mine)) setError(errorText(err));
      },
    );
  };

  useEffect(() => {
    setRows(null);
    setError(null);
    setOlderBusy(false);
    load();
    return () => buffer.cancel();
  }, [historyQuery(filters), timeZone]);

  // A reload keeps the rows shown until the new page is in.
  useReconnect(load);
  useLiveEvents((e) => {
    if (e.type !== 'alert') return;
    buffer.offer(e.data);
    setRows((r) => (r === null ? r : applyAlertEvent(r, e.data)));
  });

  const minute = useMinute();
  useEffect(() => {
    if (rows === null || timeZone === null || rows.filters.range === 'custom') return;
    const now = rangeBounds(rows.filters, Date.now(), timeZone);
    if (!('error' in now) && now.from !== rows.bounds.from) load();
  }, [minute]);

  const loadOlder = (): void => {
    const last = rows?.alerts[rows.alerts.length - 1];
    if (rows === null || last === undefined || olderBusy) return;
    // The same buffer: a reload or a filter change supersedes this page, and events during it are replayed over it.
    const mine = buffer.begin();
    setOlderBusy(true);
    api<{ items: Alert[] }>(alertsPath(rows.filters, rows.bounds, PAGE, last.id))
      .then(
        (res) => {
          const settled = buffer.settle(mine);
          if (settled === null) return;
          setRows((r) => (r === null ? r : replay(appendPage(r, res.items, PAGE), settled.events, applyAlertEvent)));
          if (settled.stale) load();
        },
        (err: unknown) => {
          if (buffer.fail(mine)) setError(errorText(err));
        },
      )
      .finally(() => setOlderBusy(false));
  };

  const bounds = timeZone === null ? null : rangeBounds(filters, Date.now(), timeZone);
  return { rows, error, rangeError: bounds !== null && 'error' in bounds ? bounds.error : null, olderBusy, loadOlder };
}
