// The alert board: open alerts newest first, updated live from alert events (no reload), new
// ones announced in a live region. Resolved alerts move to a short "Recently resolved" list.
// Alert events that arrive while the board (re)loads are replayed over the loaded list
// (lib/load-buffer.ts): an alarm raised while the page loads is not lost.
import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { api, errorText } from '../api/client.js';
import type { Alert, Gateway, Site } from '../api/types.js';
import { applyAlert, emptyBoard, loadBoard, type BoardState } from '../lib/alert-board.js';
import { LoadBuffer, replay } from '../lib/load-buffer.js';
import { href } from '../lib/router.js';
import { useLiveEvents, useReconnect } from '../live/hooks.js';
import { AlertCard } from './alert-card.js';

type Action = { kind: 'load'; open: Alert[]; since: Alert[] } | { kind: 'alert'; alert: Alert };

function reduce(state: BoardState, action: Action): BoardState {
  return action.kind === 'load' ? replay(loadBoard(state, action.open), action.since, applyAlert) : applyAlert(state, action.alert);
}

export interface Places {
  gatewaySite: Map<string, string>;
  siteName: Map<string, string>;
}

export function AlertBoard() {
  const [board, dispatch] = useReducer(reduce, emptyBoard);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const places = useRef<Places>({ gatewaySite: new Map(), siteName: new Map() });
  const [, bump] = useReducer((n: number) => n + 1, 0);
  const buffer = useRef(new LoadBuffer<Alert>()).current;

  const load = (): void => {
    const mine = buffer.begin();
    Promise.all([
      api<{ items: Alert[] }>('/alerts?state=open&limit=1000'),
      api<{ items: Gateway[] }>('/gateways'),
      api<{ items: Site[] }>('/sites'),
    ]).then(
      ([alerts, gateways, sites]) => {
        for (const g of gateways.items) places.current.gatewaySite.set(g.id, g.site);
        for (const s of sites.items) places.current.siteName.set(s.id, s.name);
        const settled = buffer.settle(mine);
        if (settled === null) return;
        dispatch({ kind: 'load', open: alerts.items, since: settled.events });
        setLoaded(true);
        setError(null);
        if (settled.stale) load();
      },
      (err: unknown) => {
        if (buffer.fail(mine)) setError(errorText(err));
      },
    );
  };
  useEffect(() => {
    load();
    return () => buffer.cancel();
  }, []);
  useReconnect(load);

  useLiveEvents((e) => {
    if (e.type !== 'alert') return;
    const { alert, site } = e.data;
    if (!places.current.gatewaySite.has(alert.gateway)) {
      places.current.gatewaySite.set(alert.gateway, site);
      bump(0);
    }
    const known = board.open.some((a) => a.id === alert.id) || board.resolved.some((a) => a.id === alert.id);
    buffer.offer(alert);
    dispatch({ kind: 'alert', alert });
    if (!known && alert.state !== 'resolved') setAnnouncement(`New ${alert.severity} alert ${alert.id}: ${alert.message}`);
  });

  const siteOf = (a: Alert): string => {
    const id = places.current.gatewaySite.get(a.gateway);
    return id === undefined ? '—' : (places.current.siteName.get(id) ?? id);
  };

  return (
    <>
      <h1>Alerts</h1>
      <p>
        <a href={href.alertHistory}>History</a>
      </p>
      <p class="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
      {error !== null && <p role="alert">Could not load the alerts: {error}</p>}
      {!loaded ? (
        error === null && <p role="status">Loading…</p>
      ) : (
        <>
          <p class="summary">{board.open.length === 0 ? 'No open alerts.' : `${board.open.length} open`}</p>
          <ul class="alerts" aria-label="Open alerts">
            {board.open.map((a) => (
              <li key={a.id}>
                <AlertCard alert={a} site={siteOf(a)} onChange={(alert) => dispatch({ kind: 'alert', alert })} />
              </li>
            ))}
          </ul>
          {board.resolved.length > 0 && (
            <section aria-labelledby="resolved-title" class="resolved">
              <h2 id="resolved-title">Recently resolved</h2>
              <ul>
                {board.resolved.map((a) => (
                  <li key={a.id}>
                    Alert {a.id}: {a.message} <span class="muted">({siteOf(a)}, {a.device})</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </>
  );
}
