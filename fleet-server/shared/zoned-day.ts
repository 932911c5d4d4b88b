// Pure time-zone arithmetic that both the fleet server (src/: GET /overview) and the dashboard
// (web/src/: the site view) use, so a site's "today" is computed one way: only Intl, no I/O, no
// Node or DOM APIs, no date library. A site's day is its calendar day in its IANA zone; DST days
// are 23 or 25 hours long and a few zones skip or repeat midnight itself (America/Santiago
// springs forward at 24:00), so the day's start is searched for, never taken as "now minus the
// offset".

/** A calendar day of 24 h: the unit of day numbers (wall times at midnight), not a DST day's length. */
export const DAY = 86_400_000;

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone: constructing one costs far more than formatting with it. */
function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** True for a zone Intl knows (IANA names such as "Europe/Berlin", and "UTC"). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatIn(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * `timeZone` when Intl knows it, else UTC. Zones are checked where sites are written (server.yaml,
 * POST /sites), but a site stored before that check must not break every view of its day.
 */
export const knownZoneOr = (timeZone: string, fallback = 'UTC'): string => (isTimeZone(timeZone) ? timeZone : fallback);

/** The zone's canonical name ("utc" → "UTC", "Etc/UTC" stays); the name itself when Intl does not know it. */
export const canonicalZone = (timeZone: string): string => (isTimeZone(timeZone) ? formatIn(timeZone).resolvedOptions().timeZone : timeZone);

/** The wall-clock time at `at` in the zone, as if that wall time were UTC (whole seconds). */
export function wallTime(at: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatIn(timeZone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0);
}

/** The zone's calendar date of `at`, as its 00:00 wall time (see wallTime). */
const wallDate = (at: number, timeZone: string): number => {
  const wall = wallTime(at, timeZone);
  return wall - (((wall % DAY) + DAY) % DAY);
};

/**
 * The first instant of the zone's calendar day that `now` falls in. Usually the instant whose
 * wall time is 00:00 (the earlier one if midnight happens twice); where a transition skips
 * midnight, the transition itself, the first instant the wall clock shows that date.
 */
export function startOfZonedDay(now: number, timeZone: string): number {
  const date = wallDate(now, timeZone);
  // Offsets a day either side: a day holds at most one transition, so midnight is at one of these.
  const candidates = [wallTime(date - DAY, timeZone) - (date - DAY), wallTime(date + DAY, timeZone) - (date + DAY)].map((offset) => date - offset);
  const midnights = candidates.filter((c) => wallTime(c, timeZone) === date);
  if (midnights.length > 0) return Math.min(...midnights);
  // Midnight skipped: the day starts between the candidate still on the day before and the one on this day.
  let before = Math.min(...candidates);
  let on = Math.max(...candidates);
  if (wallDate(before, timeZone) >= date || wallDate(on, timeZone) !== date) return on;
  while (on - before > 1_000) {
    const mid = before + Math.floor((on - before) / 2_000) * 1_000;
    if (wallDate(mid, timeZone) === date) on = mid;
    else before = mid;
  }
  return on;
}

