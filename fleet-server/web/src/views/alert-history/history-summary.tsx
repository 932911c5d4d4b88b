// The line over the rows loaded: how many, over which time, and how fast they were
// acknowledged and resolved (median and worst, and out of how many).
import type { Alert } from '../../api/types.js';
import { formatDuration } from '../../lib/format.js';
import { historySummary } from '../../lib/history-figures.js';
import { zonedClock, zonedDate } from '../../lib/zoned-day.js';
import type { DurationStats } from '../../../../shared/duration-stats.js';

/** "29 Nov 00:00" in the history's zone: the range's ends are midnights, so the day matters more than the seconds. */
const dayTime = (ts: number, timeZone: string): string => `${zonedDate(ts, timeZone)} ${zonedClock(ts, timeZone)}`;

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function stats(label: string, s: DurationStats, done: string): string {
  if (s.count === 0) return `${label}: none ${done}.`;
  return `${label}: median ${formatDuration(s.medianMs)}, worst ${formatDuration(s.worstMs)} (${s.count} ${done}).`;
}

interface Props {
  alerts: readonly Alert[];
  more: boolean;
  from: number;
  to: number | null;
  timeZone: string;
}

export function HistorySummaryText({ alerts, more, from, to, timeZone }: Props) {
  const s = historySummary(alerts);
  const range = `from ${dayTime(from, timeZone)} to ${to === null ? 'now' : dayTime(to, timeZone)}`;
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
