import type { QuietHours } from './escalation-policy.js';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;

function parseClock(text: string, field: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!m) throw new Error(`quiet hours ${field}: "${text}" is not HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Minutes since local midnight in the zone (the site's wall clock). */
function localMinuteOfDay(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const value = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}

/**
 * When quiet hours that contain `at` end (epoch ms), or undefined when `at` is outside them.
 * Counted in wall-clock minutes from `at`, so a DST switch inside the window shifts the end by up to an hour.
 */
export function quietHoursEnd(at: number, quiet: QuietHours): number | undefined {
  const start = parseClock(quiet.start, 'start');
  const end = parseClock(quiet.end, 'end');
  if (start === end) return undefined;
  const now = localMinuteOfDay(at, quiet.timeZone);
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return undefined;
  const minutesLeft = (end - now + DAY_MINUTES) % DAY_MINUTES;
  // Align to the local minute boundary: the window ends at HH:MM:00.
  return at - (at % MINUTE_MS) + minutesLeft * MINUTE_MS;
}
