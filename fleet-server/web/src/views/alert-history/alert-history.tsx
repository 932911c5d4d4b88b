// Past alerts (docs/dashboard.md "Alert history"): filters kept in the hash's query, the alerts
// that match newest first in pages (GET /alerts with a `before` cursor), live from the stream's
// alert events, a summary of response times over the rows shown, each alert's timeline, and the
// rows as a CSV download. Days and times are in the history's zone (lib/history-zone.ts).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { Alert, Gateway, Me, Site } from '../../api/types.js';
import { alertsCsv, csvFileName } from '../../lib/alerts-csv.js';
import { historyHash, historyQuery, parseHistoryQuery, type HistoryFilters } from '../../lib/history-filters.js';
import { historyZone } from '../../lib/history-zone.js';
import { href, parseRoute } from '../../lib/router.js';
import { browserTimeZone } from '../../lib/zoned-day.js';
import { useLoad } from '../use-load.js';
import { downloadText } from './csv-download.js';
import { HistoryForm } from './history-form.js';
import { HistorySummaryText } from './history-summary.js';
import { HistoryTable } from './history-table.js';
import { useHistoryRows } from './use-history-rows.js';

export function AlertHistory({ query }: { me: Me; query: string }) {
  const [filters, setFilters] = useState(() => parseHistoryQuery(query));
  const places = useLoad(() => Promise.all([api<{ items: Site[] }>('/sites'), api<{ items: Gateway[] }>('/gateways')]), []);
  const sites = places.data?.[0].items ?? [];
  const gateways = places.data?.[1].items ?? [];
  // Known once the sites are in (or could not be loaded: then the browser's).
  const viewerZone = browserTimeZone();
  const timeZone = places.data !== null ? historyZone(filters, sites, gateways, viewerZone) : places.error !== null ? viewerZone : null;
  const { rows, error, rangeError, olderBusy, loadOlder } = useHistoryRows(filters, timeZone);
  const shownZone = timeZone ?? viewerZone;

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

  const siteName = new Map(sites.map((s) => [s.id, s.name]));
  const gatewaySite = new Map(gateways.map((g) => [g.id, g.site]));
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
      <HistoryForm filters={filters} sites={sites} gateways={gateways} timeZone={shownZone} viewerZone={viewerZone} onChange={apply} />
      {rangeError !== null && <p role="alert">{rangeError}</p>}
      {error !== null && <p role="alert">Could not load the alerts: {error}</p>}
      {/* One status region for the page's life, so each new summary is announced (a region added with its text often is not). */}
      <p class="summary history-summary" role="status">
        {rows !== null ? <HistorySummaryText alerts={rows.alerts} more={rows.more} from={rows.bounds.from} to={rows.bounds.to} timeZone={shownZone} /> : rangeError === null && error === null ? 'Loading…' : ''}
      </p>
      {rows !== null && (
        <>
          {rows.alerts.length > 0 && (
            <>
              <div class="actions history-actions">
                <button type="button" onClick={() => downloadText(alertsCsv(rows.alerts, siteOf, shownZone), csvFileName(rows.filters, Date.now(), shownZone), 'text/csv;charset=utf-8')}>
                  Download CSV
                </button>
              </div>
              <HistoryTable alerts={rows.alerts} siteOf={siteOf} timeZone={shownZone} />
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

