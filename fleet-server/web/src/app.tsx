// The app: sign-in until there is a token, then the shell (header, nav, live status) around
// the view the hash names. A 401 anywhere lands back on sign-in with a message.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, clearToken, errorText, getToken, getTokenKind, setUnauthenticatedHandler } from './api/client.js';
import type { Me } from './api/types.js';
import { Header } from './views/header.js';
import { SignIn } from './views/sign-in.js';
import { RouteView } from './views/route-view.js';
import { ErrorBoundary } from './views/error-boundary.js';
import { useAlarmSignals } from './views/alarm/use-alarm-signals.js';
import { titleWithCount } from './lib/alarm-signal.js';
import { live } from './live/stream.js';
import { parseRoute, type Route } from './lib/router.js';

const TITLES: Record<Route['view'], string> = {
  overview: 'Overview',
  alerts: 'Alerts',
  'alert-history': 'Alert history',
  gateways: 'Gateways',
  gateway: 'Gateway',
  sites: 'Sites',
  site: 'Site',
  device: 'Device',
  'not-found': 'Not found',
};

export function App() {
  const [token, setTokenState] = useState(getToken());
  const [me, setMe] = useState<Me | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [meError, setMeError] = useState<string | null>(null);
  const [meAttempt, setMeAttempt] = useState(0);
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  const alarms = useAlarmSignals(me !== null);

  useEffect(() => {
    setUnauthenticatedHandler((message) => {
      live.stop();
      setMe(null);
      setTokenState(null);
      setNotice(message);
    });
    const onHash = (): void => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (token === null) return;
    let cancelled = false;
    setMeError(null);
    api<Me>('/me')
      .then((m) => {
        if (cancelled) return;
        setMe(m);
        live.start();
      })
      .catch((err: unknown) => {
        // A 401 went back to sign-in already; anything else (server down, 5xx) can be retried.
        if (!cancelled && getToken() !== null) setMeError(errorText(err));
      });
    return () => {
      cancelled = true;
    };
  }, [token, meAttempt]);

  // The page's name, led by the unacknowledged count so a background tab shows it: "(2) Alerts — …".
  // A layout effect, so the title changes in the same commit as the header's count: a plain effect
  // runs a frame later, and a reader of both (a screen reader, a test) saw them disagree.
  useLayoutEffect(() => {
    document.title = titleWithCount(`${TITLES[route.view]} — EdgeFleet cockpit`, alarms.counts.total);
  }, [route, alarms.counts.total]);

  // On navigation, move focus to the content so screen readers start there. A layout effect, so
  // focus moves in the commit that shows the new view: a plain effect runs a frame (or 35 ms)
  // later and pulled focus back to <main> from wherever a Tab pressed in between had taken it.
  const firstRoute = useRef(true);
  useLayoutEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    document.getElementById('main')?.focus();
  }, [route]);

  const signOut = async (): Promise<void> => {
    live.stop();
    if (getTokenKind() === 'session') {
      // Revokes a password sign-in's token; a pasted token is only forgotten.
      await api('/session', { method: 'DELETE' }).catch(() => undefined);
    }
    clearToken();
    setMe(null);
    setTokenState(null);
    setNotice('You are signed out.');
  };

  if (token === null) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(t) => {
          setNotice(null);
          setTokenState(t);
        }}
      />
    );
  }
  if (me === null) {
    return (
      <main id="main" class="loading">
        {meError === null ? (
          <p role="status">Loading…</p>
        ) : (
          <>
            <p role="alert">Could not load your account: {meError}</p>
            <div class="actions">
              <button type="button" class="primary" onClick={() => setMeAttempt((n) => n + 1)}>
                Try again
              </button>
              <button type="button" onClick={() => void signOut()}>
                Sign out
              </button>
            </div>
          </>
        )}
      </main>
    );
  }
  return (
    <>
      {/* The hash is the router's, so the skip link moves focus itself instead of navigating. */}
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <Header me={me} route={route} alarms={alarms} onSignOut={() => void signOut()} />
      <main id="main" tabIndex={-1}>
        <ErrorBoundary key={JSON.stringify(route)}>
          <RouteView route={route} me={me} />
        </ErrorBoundary>
      </main>
    </>
  );
}
