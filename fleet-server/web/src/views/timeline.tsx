// An alert's timeline from GET /alerts/:id: raised, texts queued with their escalation step and
// round, every send attempt with the provider's reply, acknowledgement (who, via what), resolution.
import { api } from '../api/client.js';
import type { AlertWithTimeline, TimelineEntry } from '../api/types.js';
import { actorName, formatTime } from '../lib/format.js';
import { useLoad } from './use-load.js';

function describe(e: TimelineEntry): string {
  switch (e.kind) {
    case 'raised':
      return `Raised (${e.severity}): ${e.message}`;
    case 'notification': {
      const step = e.step === null ? '' : ` — escalation step ${e.step}, round ${e.round ?? 0}`;
      return `SMS to ${e.contact ?? e.recipient} queued${step} (${e.status})`;
    }
    case 'attempt':
      return `SMS attempt ${e.attempt} to ${e.recipient}: ${e.outcome}${e.reply ? ` — provider: ${e.reply}` : ''}`;
    case 'acknowledged':
      return `Acknowledged by ${actorName(e.by)} via ${e.via}`;
    case 'resolved':
      return `Resolved by ${actorName(e.by)}${e.reason ? ` (${e.reason})` : ''}`;
    case 'audit':
      return `${e.action} by ${actorName(e.by)}`;
  }
}

/** `timeZone`: the zone its times are shown in (the alert history's); the browser's by default. */
export function Timeline({ id, updatedAt, timeZone }: { id: number; updatedAt: number; timeZone?: string }) {
  const loaded = useLoad(() => api<AlertWithTimeline>(`/alerts/${id}`), [id, updatedAt]);
  if (loaded.error !== null) return <p role="alert">Could not load the timeline: {loaded.error}</p>;
  if (loaded.data === null) return <p role="status">Loading timeline…</p>;
  return (
    <ol class="timeline">
      {loaded.data.timeline.map((e, i) => (
        <li key={i} class={`tl-${e.kind}`}>
          <time dateTime={new Date(e.at).toISOString()}>{formatTime(e.at, undefined, timeZone)}</time> {describe(e)}
        </li>
      ))}
    </ol>
  );
}
