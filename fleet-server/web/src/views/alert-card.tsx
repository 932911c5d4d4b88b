// One open alert: severity, place, live timer, state, Acknowledge/Resolve, its timeline.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, errorText } from '../api/client.js';
import type { Alert } from '../api/types.js';
import { actorName, formatElapsed, isoDuration } from '../lib/format.js';
import { href } from '../lib/router.js';
import { useNow } from '../live/hooks.js';
import { Timeline } from './timeline.js';

const shown = new Set<number>();

function LiveTimer({ since }: { since: number }) {
  const now = useNow();
  const ms = now - since;
  return (
    <time dateTime={isoDuration(ms)} title={new Date(since).toLocaleString()}>
      {formatElapsed(ms)}
    </time>
  );
}

export function AlertCard({ alert, site, onChange }: { alert: Alert; site: string; onChange: (a: Alert) => void }) {
  const [busy, setBusy] = useState<'ack' | 'resolve' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [timelineOpen, setTimelineOpen] = useState(false);
  const titleId = `alert-${alert.id}-title`;

  useEffect(() => {
    if (shown.has(alert.id)) return;
    shown.add(alert.id);
    performance.mark(`cockpit:alert-shown:${alert.id}`);
  }, []);

  const act = async (kind: 'ack' | 'resolve'): Promise<void> => {
    setBusy(kind);
    setMessage(null);
    try {
      onChange(await api<Alert>(`/alerts/${alert.id}/${kind}`, { method: 'POST', body: {} }));
    } catch (err) {
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

  const acked = alert.state === 'acknowledged';
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
          <button type="button" aria-label={`Acknowledge alert ${alert.id}`} disabled={busy !== null} onClick={() => void act('ack')}>
            Acknowledge
          </button>
        )}
        <button type="button" aria-label={`Resolve alert ${alert.id}`} disabled={busy !== null} onClick={() => void act('resolve')}>
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
