// One open alert: severity, place, live timer, state, Acknowledge/Resolve, its timeline.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, errorText } from '../api/client.js';
import type { Alert } from '../api/types.js';
import { actorName } from '../lib/format.js';
import { href } from '../lib/router.js';
import { LiveTimer } from './live-timer.js';
import { Timeline } from './timeline.js';

const shown = new Set<number>();

export function AlertCard({ alert, site, onChange }: { alert: Alert; site: string; onChange: (a: Alert) => void }) {
  const [busy, setBusy] = useState<'ack' | 'resolve' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [timelineOpen, setTimelineOpen] = useState(false);
  const titleId = `alert-${alert.id}-title`;
  const resolveButton = useRef<HTMLButtonElement>(null);
  // Which of this card's buttons had keyboard focus when pressed. Acknowledging removes the
  // Acknowledge button and resolving the whole card (also when the live event comes first), which
  // would drop focus to <body> and send a keyboard user back to the top of the page.
  const focusedAction = useRef<'ack' | 'resolve' | null>(null);
  const acked = alert.state === 'acknowledged';

  // Layout effects: they run in the same commit that removes the button or the card (Preact 11
  // defers useEffect cleanups of unmounted components until after paint), so focus is never left
  // on <body> in between.
  useLayoutEffect(() => {
    if (!acked || focusedAction.current !== 'ack') return;
    focusedAction.current = null;
    resolveButton.current?.focus();
  }, [acked]);
  useLayoutEffect(
    () => () => {
      // The resolved card is going: continue from the board's main region rather than from nowhere.
      if (focusedAction.current === 'resolve') document.getElementById('main')?.focus();
    },
    [],
  );

  useEffect(() => {
    if (shown.has(alert.id)) return;
    shown.add(alert.id);
    performance.mark(`cockpit:alert-shown:${alert.id}`);
  }, []);

  const act = async (kind: 'ack' | 'resolve', button: HTMLButtonElement): Promise<void> => {
    if (busy !== null) return;
    focusedAction.current = document.activeElement === button ? kind : null;
    setBusy(kind);
    setMessage(null);
    try {
      onChange(await api<Alert>(`/alerts/${alert.id}/${kind}`, { method: 'POST', body: {} }));
    } catch (err) {
      focusedAction.current = null;
      if (err instanceof ApiError && err.status === 409) {
        setMessage('Someone else got there first; the alert is refreshed.');
        api<Alert>(`/alerts/${alert.id}`).then(onChange, () => undefined);
      } else {
        setMessage(`Could not ${kind === 'ack' ? 'acknowledge' : 'resolve'}: ${errorText(err)}`);
      }
    } finally {
      setBusy(null);
    }
  };

  return (
    <article class={`alert sev-border-${alert.severity}`} aria-labelledby={titleId}>
      <header>
        <span class={`badge sev-${alert.severity}`}>{alert.severity}</span>
        <h2 id={titleId}>
          Alert {alert.id}: {alert.message}
        </h2>
      </header>
      <dl class="facts">
        <div>
          <dt>Site</dt>
          <dd>{site}</dd>
        </div>
        <div>
          <dt>Device</dt>
          <dd>
            <a href={href.device(alert.gateway, alert.device)}>{alert.device}</a> <span class="muted">on {alert.gateway}</span>
          </dd>
        </div>
        <div>
          <dt>Open for</dt>
          <dd>
            <LiveTimer since={alert.raisedAt} />
          </dd>
        </div>
        <div>
          <dt>State</dt>
          <dd>{alert.state}</dd>
        </div>
      </dl>
      {acked && <p class="acked">Acknowledged by {actorName(alert.acknowledgedBy)}</p>}
      {message !== null && (
        <p role="status" class="conflict">
          {message}
        </p>
      )}
      <div class="actions">
        {!acked && (
          // aria-disabled, not disabled, while a request is on its way: a disabled button drops focus.
          <button type="button" aria-label={`Acknowledge alert ${alert.id}`} aria-disabled={busy !== null} onClick={(e) => void act('ack', e.currentTarget)}>
            Acknowledge
          </button>
        )}
        <button ref={resolveButton} type="button" aria-label={`Resolve alert ${alert.id}`} aria-disabled={busy !== null} onClick={(e) => void act('resolve', e.currentTarget)}>
          Resolve
        </button>
        <button type="button" class="link" aria-describedby={titleId} aria-expanded={timelineOpen} aria-controls={`alert-${alert.id}-timeline`} onClick={() => setTimelineOpen(!timelineOpen)}>
          Timeline
        </button>
      </div>
      <div id={`alert-${alert.id}-timeline`} hidden={!timelineOpen}>
        {timelineOpen && <Timeline id={alert.id} updatedAt={alert.updatedAt} />}
      </div>
    </article>
  );
}
