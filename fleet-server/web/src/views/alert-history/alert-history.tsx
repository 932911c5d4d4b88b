// Past alerts (docs/dashboard.md "Alert history"): filters kept in the hash's query, the alerts
// that match newest first in pages (GET /alerts with a `before` cursor), a summary of response
// times over the rows loaded, each alert's timeline, and the rows as a CSV download. Not live:
// it shows the alerts as they were when loaded.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../../api/client.js';
import type { Alert, Gateway, Me, Site } from '../../api/types.js';
import { alertsCsv, csvFileName } from '../../lib/alerts-csv.js';
import { alertsPath, historyHash, historyQuery, parseHistoryQuery, rangeBounds, type HistoryFilters } from '../../lib/history-filters.js';
import { href, parseRoute } from '../../lib/router.js';
import { useLoad } from '../use-load.js';
import { downloadText } from './csv-download.js';
import { HistoryForm } from './history-form.js';
import { HistorySummaryText } from './history-summary.js';
import { HistoryTable } from './history-table.js';

/** Rows per request; "Load older alerts" asks for the next page. */
const PAGE = 200;

interface Rows {
  alerts: Alert[];
  /** The last page was full: older alerts may exist. */
  more: boolean;
  bounds: { from: number; to: number | null };
}

export function AlertHistory({ query }: { me: Me; query: string }) {
  const [filters, setFilters] = useState(() => parseHistoryQuery(query));
  const [rows, setRows] = useState<Rows | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [olderBusy, setOlderBusy] = useState(false);
  const request = useRef(0);
  const places = useLoad(() => Promise.all([api<{ items: Site[] }>('/sites'), api<{ items: Gateway[] }>('/gateways')]), []);

  // A new filter replaces the hash without a hashchange, so the app neither re-renders the route
  // nor moves focus away from the control in use; the link is still the one to share.
  const apply = (next: HistoryFilters): void => {
    history.replaceState(history.state, '', historyHash(next));
    setFilters(next);
  };
  // A link followed or a hash edited while the page is open.
  useEffect(() => {
    const onHash = (): void => {
      const route = parseRoute(location.hash);
      if (route.view !== 'alert-history') return;
      const next = parseHistoryQuery(route.query ?? '');
      setFilters((old) => (historyQuery(old) === historyQuery(next) ? old : next));
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  const bounds = rangeBounds(filters, Date.now());
  const rangeError = 'error' in bounds ? bounds.error : null;

  useEffect(() => {
    const mine = ++request.current;
    setRows(null);
    setError(null);
    if ('error' in bounds) return;
    api<{ items: Alert[] }>(alertsPath(filters, bounds, PAGE)).then(
      (res) => mine === request.current && setRows({ alerts: res.items, more: res.items.length === PAGE, bounds }),
      (err: unknown) => mine === request.current && setError(errorText(err)),
    );
  }, [historyQuery(filters)]);

  const loadOlder = (): void => {
    const last = rows?.alerts[rows.alerts.length - 1];
    if (rows === null || last === undefined || olderBusy) return;
    const mine = request.current;
    setOlderBusy(true);
    api<{ items: Alert[] }>(alertsPath(filters, rows.bounds, PAGE, last.id))
      .then(
        (res) => mine === request.current && setRows({ ...rows, alerts: [...rows.alerts, ...res.items], more: res.items.length === PAGE }),
        (err: unknown) => mine === request.current && setError(errorText(err)),
      )
      .finally(() => setOlderBusy(false));
  };

  const siteName = new Map((places.data?.[0].items ?? []).map((s) => [s.id, s.name]));
  const gatewaySite = new Map((places.data?.[1].items ?? []).map((g) => [g.id, g.site]));
  const siteOf = (a: Alert): string => {
    const id = gatewaySite.get(a.gateway);
    return id === undefined ? '—' : (siteName.get(id) ?? id);
  };

  return (
    <>
      <p class="crumbs">
        <a href={href.alerts}>Open alerts</a>
      </p>
      <h1>Alert history</h1>
      {places.error !== null && <p role="alert">Could not load your sites: {places.error}</p>}
      <HistoryForm filters={filters} sites={places.data?.[0].items ?? []} gateways={places.data?.[1].items ?? []} onChange={apply} />
      {rangeError !== null && <p role="alert">{rangeError}</p>}
      {error !== null && <p role="alert">Could not load the alerts: {error}</p>}
      {/* One status region for the page's life, so each new summary is announced (a region added with its text often is not). */}
      <p class="summary history-summary" role="status">
        {rows !== null ? <HistorySummaryText alerts={rows.alerts} more={rows.more} from={rows.bounds.from} to={rows.bounds.to} /> : rangeError === null && error === null ? 'Loading…' : ''}
      </p>
      {rows !== null && (
        <>
          {rows.alerts.length > 0 && (
            <>
              <div class="actions history-actions">
                <button type="button" onClick={() => downloadText(alertsCsv(rows.alerts, siteOf), csvFileName(filters, Date.now()), 'text/csv;charset=utf-8')}>
                  Download CSV
                </button>
              </div>
              <HistoryTable alerts={rows.alerts} siteOf={siteOf} />
            </>
          )}
          {rows.more && (
            <div class="actions history-more">
              <button type="button" aria-disabled={olderBusy} onClick={loadOlder}>
                {olderBusy ? 'Loading older alerts…' : 'Load older alerts'}
              </button>
            </div>
          )}
        </>
      )}
    </>
  );
}

