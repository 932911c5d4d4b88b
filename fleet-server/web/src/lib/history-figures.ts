// The alert history's response times: per alert, and the summary over the rows shown (count,
// median and worst time to acknowledge and to resolve). The median is GET /overview's
// (fleet-server/shared/duration-stats.ts). No DOM here, so it is unit-tested in node.
import { durationStats, type DurationStats } from '../../../shared/duration-stats.js';
import type { Alert } from '../api/types.js';

export interface ResponseTimes {
  /** raised → acknowledged; null while not acknowledged (also when resolved without one). */
  toAcknowledgeMs: number | null;
  /** raised → resolved; null while open. */
  toResolveMs: number | null;
}

/** Clock skew between the store's writers could make a time run backwards; it reads 0, not negative. */
const since = (raisedAt: number, at: number | null): number | null => (at === null ? null : Math.max(0, at - raisedAt));

export function responseTimes(a: Alert): ResponseTimes {
  return { toAcknowledgeMs: since(a.raisedAt, a.acknowledgedAt), toResolveMs: since(a.raisedAt, a.resolvedAt) };
}

export interface HistorySummary {
  count: number;
  toAcknowledge: DurationStats;
  toResolve: DurationStats;
}

export function historySummary(alerts: readonly Alert[]): HistorySummary {
  const times = alerts.map(responseTimes);
  const present = (v: number | null): v is number => v !== null;
  return {
    count: alerts.length,
    toAcknowledge: durationStats(times.map((t) => t.toAcknowledgeMs).filter(present)),
    toResolve: durationStats(times.map((t) => t.toResolveMs).filter(present)),
  };
}
