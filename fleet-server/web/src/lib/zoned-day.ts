// A site's "today" and wall clock in its own IANA zone for the views, so the site view's day
// is the site's whatever zone the browser is set to. The day itself comes from the code the
// server's GET /overview uses (fleet-server/shared/zoned-day.ts). No DOM here: unit-tested in node.
import { canonicalZone, knownZoneOr, startOfZonedDay, wallTime } from '../../../shared/zoned-day.js';

export { knownZoneOr, startOfZonedDay };

/** The browser's zone (what `new Date().getHours()` is in). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "today", or "today (Europe/Madrid)" when the site's zone is not the viewer's, whose today may differ. */
export function todayIn(timeZone: string, viewerZone: string = browserTimeZone()): string {
  return canonicalZone(timeZone) === canonicalZone(viewerZone) ? 'today' : `today (${timeZone})`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The zone's wall clock at `ts`: "14:05", or "14:05:09" with seconds. */
export function zonedClock(ts: number, timeZone: string, withSeconds = false): string {
  const wall = new Date(wallTime(ts, timeZone));
  const hm = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
  return withSeconds ? `${hm}:${pad(wall.getUTCSeconds())}` : hm;
}

/** The zone's date at `ts`: "29 Nov". */
export function zonedDate(ts: number, timeZone: string): string {
  const wall = new Date(wallTime(ts, timeZone));
  return `${wall.getUTCDate()} ${wall.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })}`;
}
