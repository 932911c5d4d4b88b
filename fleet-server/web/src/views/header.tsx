// Header: brand, the main nav, who is signed in, sign out, and the live stream's state.
import type { Me } from '../api/types.js';
import { useLiveStatus } from '../live/hooks.js';
import { href, type Route } from '../lib/router.js';

export function Header({ me, route, onSignOut }: { me: Me; route: Route; onSignOut: () => void }) {
  const status = useLiveStatus();
  const current = (views: Route['view'][]): 'page' | undefined => (views.includes(route.view) ? 'page' : undefined);
  return (
    <header class="top">
      <a class="brand" href={href.overview}>
        EdgeFleet <span>cockpit</span>
      </a>
      <nav aria-label="Main">
        <ul>
          <li>
            <a href={href.overview} aria-current={current(['overview'])}>
              Overview
            </a>
          </li>
          <li>
            <a href={href.alerts} aria-current={current(['alerts', 'alert-history'])}>
              Alerts
            </a>
          </li>
          <li>
            <a href={href.sites} aria-current={current(['sites', 'site', 'device'])}>
              Sites
            </a>
          </li>
          <li>
            <a href={href.gateways} aria-current={current(['gateways', 'gateway'])}>
              Gateways
            </a>
          </li>
        </ul>
      </nav>
      <div class="session">
        <span role="status" aria-label="Live updates" class={`live live-${status}`}>
          {status === 'live' ? 'Live' : 'Reconnecting…'}
        </span>
        <span class="who" title={`${me.user.id} (${me.user.role})`}>
          {me.user.name}
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}
