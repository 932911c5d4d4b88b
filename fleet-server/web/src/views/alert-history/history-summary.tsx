// The line over the rows loaded: how many, over which time, and how fast they were
// acknowledged and resolved (median and worst, and out of how many).
import type { Alert } from '../../api/types.js';
import { formatDuration } from '../../lib/format.js';
import { historySummary } from '../../lib/history-figures.js';
import type { DurationStats } from '../../../../shared/duration-stats.js';

/** "29 Nov 00:00": the range's ends are midnights, so the day matters more than the seconds. */
function dayTime(ts: number): string {
  const d = new Date(ts);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  return `${d.getDate()} ${d.toLocaleString('en-GB', { month: 'short' })} ${hm}`;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function stats(label: string, s: DurationStats, done: string): string {
  if (s.count === 0) return `${label}: none ${done}.`;
  return `${label}: median ${formatDuration(s.medianMs)}, worst ${formatDuration(s.worstMs)} (${s.count} ${done}).`;
}

export function HistorySummaryText({ alerts, more, from, to }: { alerts: Alert[]; more: boolean; from: number; to: number | null }) {
  const s = historySummary(alerts);
  const range = `from ${dayTime(from)} to ${to === null ? 'now' : dayTime(to)}`;
  const older = more ? ' (the newest; older ones are not loaded yet)' : '';
  return (
    <>
      {s.count === 0 ? `No alerts raised ${range}.` : `${plural(s.count, 'alert', 'alerts')} raised ${range}${older}. `}
      {s.count > 0 && (
        <>
          {stats('Time to acknowledge', s.toAcknowledge, 'acknowledged')} {stats('Time to resolve', s.toResolve, 'resolved')}
        </>
      )}
    </>
  );
}
