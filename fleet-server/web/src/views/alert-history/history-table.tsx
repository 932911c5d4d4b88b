// The alert history's rows: raised, alert, place, severity, state, response times, who
// acknowledged, and each alert's timeline (GET /alerts/:id) behind a disclosure. On a phone
// each row stacks into a card (styles.css), its cells labelled by their column.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Alert } from '../../api/types.js';
import { actorName, formatDuration, formatTime } from '../../lib/format.js';
import { responseTimes } from '../../lib/history-figures.js';
import { href } from '../../lib/router.js';
import { Timeline } from '../timeline.js';

const COLUMNS = ['Raised', 'Alert', 'Site', 'Device', 'Severity', 'State', 'To acknowledge', 'To resolve', 'Acknowledged by', 'Timeline'] as const;

/** A response time, or "—" that reads "none" (not "dash") to a screen reader. */
function Duration({ ms }: { ms: number | null }) {
  if (ms === null) {
    return (
      <>
        <span aria-hidden="true">—</span>
        <span class="sr-only">none</span>
      </>
    );
  }
  return <>{formatDuration(ms)}</>;
}

/** A labelled cell; one wrapper inside, so on a phone the label and the value are the two columns. */
function Cell({ label, class: className, children }: { label: string; class?: string; children: ComponentChildren }) {
  return (
    <td data-label={label} class={className}>
      <span>{children}</span>
    </td>
  );
}

function HistoryRow({ alert, site, timeZone }: { alert: Alert; site: string; timeZone: string }) {
  const [open, setOpen] = useState(false);
  const times = responseTimes(alert);
  const timelineId = `history-${alert.id}-timeline`;
  return (
    <>
      <tr>
        <Cell label="Raised">
          <time dateTime={new Date(alert.raisedAt).toISOString()} title={new Date(alert.raisedAt).toLocaleString(undefined, { timeZone, timeZoneName: 'short' })}>
            {formatTime(alert.raisedAt, undefined, timeZone)}
          </time>
        </Cell>
        <Cell label="Alert" class="history-alert">
          Alert {alert.id}: {alert.message} <span class="muted">({alert.rule})</span>
        </Cell>
        <Cell label="Site">{site}</Cell>
        <Cell label="Device">
          <a href={href.device(alert.gateway, alert.device)}>{alert.device}</a> <span class="muted">on {alert.gateway}</span>
        </Cell>
        <Cell label="Severity">
          <span class={`badge sev-${alert.severity}`}>{alert.severity}</span>
        </Cell>
        <Cell label="State">{alert.state}</Cell>
        <Cell label="To acknowledge">
          <Duration ms={times.toAcknowledgeMs} />
        </Cell>
        <Cell label="To resolve">
          <Duration ms={times.toResolveMs} />
        </Cell>
        <Cell label="Acknowledged by">{actorName(alert.acknowledgedBy)}</Cell>
        <td>
          <button type="button" class="link" aria-label={`Timeline of alert ${alert.id}`} aria-expanded={open} aria-controls={timelineId} onClick={() => setOpen(!open)}>
            Timeline
          </button>
        </td>
      </tr>
      {/* Always present (hidden while closed), so aria-controls names an element that exists. */}
      <tr class="history-timeline" id={timelineId} hidden={!open}>
        <td colSpan={COLUMNS.length}>{open && <Timeline id={alert.id} updatedAt={alert.updatedAt} timeZone={timeZone} />}</td>
      </tr>
    </>
  );
}

/** `timeZone`: the history's, which its times are shown in. */
export function HistoryTable({ alerts, siteOf, timeZone }: { alerts: readonly Alert[]; siteOf: (a: Alert) => string; timeZone: string }) {
  return (
    <table class="history">
      <caption class="sr-only">Past alerts</caption>
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {alerts.map((a) => (
          <HistoryRow key={a.id} alert={a} site={siteOf(a)} timeZone={timeZone} />
        ))}
      </tbody>
    </table>
  );
}
