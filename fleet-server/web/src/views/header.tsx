// Header: brand, the main nav (Alerts with the unacknowledged count), who is signed in, sign out,
// the live stream's state and the alarm controls.
import type { Me } from '../api/types.js';
import { useLiveStatus } from '../live/hooks.js';
import { alertsLinkName, worstSeverity } from '../lib/alarm-signal.js';
import { href, type Route } from '../lib/router.js';
import { AlarmControls } from './alarm/alarm-controls.js';
import type { AlarmSignals } from './alarm/use-alarm-signals.js';

export function Header({ me, route, alarms, onSignOut }: { me: Me; route: Route; alarms: AlarmSignals; onSignOut: () => void }) {
  const status = useLiveStatus();
  const { counts } = alarms;
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
            {/* The badge is drawn for the eye; screen readers get it in words instead ("Alerts, 2 unacknowledged (1 critical)"). */}
            <a href={href.alerts} aria-current={current(['alerts', 'alert-history'])}>
              {counts.total === 0 ? (
                'Alerts'
              ) : (
                <>
                  <span class="sr-only">{alertsLinkName(counts)}</span>
                  <span aria-hidden="true">
                    Alerts<span class={`alarm-count ${worstSeverity(counts)}`}>{counts.total}</span>
                  </span>
                </>
              )}
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
        <AlarmControls settings={alarms.settings} onChange={alarms.setSettings} />
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
