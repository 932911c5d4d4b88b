import { durationMs } from '@edgefleet/device-profiles';

/**
 * Durations of the local config: the wire format's units (ms, s, m, h) plus days, because
 * outbox retention is naturally said in days ("7d").
 */
export const LONG_DURATION_PATTERN = /^\d+(\.\d+)?(ms|s|m|h|d)$/;

const DAY_MS = 86_400_000;

/** "7d" → 604800000; otherwise as durationMs ("500ms", "10s", "5m", "2h"). */
export function longDurationMs(text: string): number {
  const days = /^(\d+(?:\.\d+)?)d$/.exec(text);
  if (days) return Number(days[1]) * DAY_MS;
  return durationMs(text);
}
