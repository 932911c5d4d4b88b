// A site's "today", calendar dates and wall clock in its own IANA zone for the views, so the site
// view's day and the alert history's days are the site's whatever zone the browser is set to. The
// day itself comes from the code the server's GET /overview uses (fleet-server/shared/zoned-day.ts).
// No DOM here: unit-tested in node.
import { DAY, canonicalZone, knownZoneOr, startOfZonedDay, wallTime } from '../../../shared/zoned-day.js';

export { DAY, knownZoneOr, startOfZonedDay };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The browser's zone (what `new Date().getHours()` is in). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "" in the viewer's zone, else " (Europe/Madrid)": appended to a label whose days or times are the zone's. */
export function zoneNote(timeZone: string, viewerZone: string = browserTimeZone()): string {
  return canonicalZone(timeZone) === canonicalZone(viewerZone) ? '' : ` (${timeZone})`;
}

/** "today", or "today (Europe/Madrid)" when the site's zone is not the viewer's, whose today may differ. */
export function todayIn(timeZone: string, viewerZone: string = browserTimeZone()): string {
  return `today${zoneNote(timeZone, viewerZone)}`;
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

/** "14:05:09" when `ts` is on `now`'s date in the zone, else "28 Nov 14:05". */
export function zonedTime(ts: number, timeZone: string, now: number = Date.now()): string {
  const sameDay = zonedDayNumber(ts, timeZone) === zonedDayNumber(now, timeZone);
  return sameDay ? zonedClock(ts, timeZone, true) : `${zonedDate(ts, timeZone)} ${zonedClock(ts, timeZone)}`;
}

/**
 * A "YYYY-MM-DD" calendar date (what <input type=date> gives) as a day number: the UTC instant
 * of its 00:00, which names the date in no zone in particular. Null for no such date ("2026-02-30").
 */
export function parseDate(date: string): number | null {
  const m = DATE.exec(date);
  if (m === null) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d ? t.getTime() : null;
}

/** A day number (see parseDate) as "YYYY-MM-DD". */
export const formatDate = (day: number): string => new Date(day).toISOString().slice(0, 10);

/** The zone's calendar date at `ts`, as a day number (see parseDate). */
export function zonedDayNumber(ts: number, timeZone: string): number {
  const wall = wallTime(ts, timeZone);
  return wall - (((wall % DAY) + DAY) % DAY);
}

/** The zone's calendar date at `ts` as "YYYY-MM-DD". */
export const zonedDateOf = (ts: number, timeZone: string): string => formatDate(zonedDayNumber(ts, timeZone));

/**
 * The first instant of a calendar date (a day number) in the zone: its midnight, found as
 * startOfZonedDay does, so a 23- or 25-hour DST day is measured from its real start. A date the
 * zone skipped altogether (Pacific/Kiritimati had no 31 Dec 1994) starts where the next date
 * does: an empty day, so a range ending with it still ends where its last day ended.
 */
export function startOfZonedDate(day: number, timeZone: string): number {
  // The instant whose wall time is about noon that date: offsets differ at most by a DST jump
  // (an hour or two) between `noon` and the guess, so the guess is well inside the date...
  const noon = day + DAY / 2;
  const guess = noon - (wallTime(noon, timeZone) - noon);
  // ...unless the zone moved by a whole day in between (the skipped dates): step to that date.
  return startOfZonedDay(guess + (day - zonedDayNumber(guess, timeZone)), timeZone);
}

/**
 * `ts` as ISO 8601 in the zone's wall time with the zone's UTC offset at that instant:
 * "2026-03-10T00:00:30.000+14:00", "…Z" where the offset is zero. The same instant as
 * toISOString(), read as the site's clock showed it. (Offsets in whole minutes: only pre-1980
 * local mean times had seconds.)
 */
export function zonedIso(ts: number, timeZone: string): string {
  const whole = ts - (((ts % 1000) + 1000) % 1000);
  const offsetMin = Math.round((wallTime(whole, timeZone) - whole) / 60_000);
  const text = new Date(ts + offsetMin * 60_000).toISOString().slice(0, 23);
  if (offsetMin === 0) return `${text}Z`;
  const abs = Math.abs(offsetMin);
  return `${text}${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}
