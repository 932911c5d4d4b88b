// The alert history's days in the history's zone (web/src/lib/history-filters.ts rangeBounds on
// web/src/lib/zoned-day.ts), the zone it picks (history-zone.ts), and its times in that zone.
// Fixed instants with UTC expectations, so they hold whatever TZ the suite runs in (run it under
// TZ=UTC and another).
import { describe, expect, it } from 'vitest';
import type { Gateway, Site } from '../../web/src/api/types.js';
import { DEFAULT_FILTERS, rangeBounds, type HistoryFilters } from '../../web/src/lib/history-filters.js';
import { historyZone } from '../../web/src/lib/history-zone.js';
import { formatDate, parseDate, startOfZonedDate, zonedDateOf, zonedIso, zonedTime } from '../../web/src/lib/zoned-day.js';

const at = Date.parse;
const H = 3_600_000;
const filters = (over: Partial<HistoryFilters>): HistoryFilters => ({ ...DEFAULT_FILTERS, ...over });
const custom = (from: string, to: string) => filters({ range: 'custom', from, to });
/** The bounds as ISO strings, for readable failures. */
const bounds = (f: HistoryFilters, now: string, zone: string) => {
  const b = rangeBounds(f, at(now), zone);
  if ('error' in b) throw new Error(b.error);
  return { from: new Date(b.from).toISOString(), to: b.to === null ? null : new Date(b.to).toISOString() };
};
const length = (f: HistoryFilters, zone: string): number => {
  const b = rangeBounds(f, 0, zone);
  if ('error' in b || b.to === null) throw new Error('not a closed range');
  return (b.to - b.from) / H;
};

describe('history ranges in a zone', () => {
  it.each([
    // [now, zone, range, from (the zone's midnight)]
    ['2026-11-29T10:30:00Z', 'Europe/Madrid', 'today', '2026-11-28T23:00:00.000Z'], // 11:30 CET
    ['2026-11-29T10:30:00Z', 'America/New_York', 'today', '2026-11-29T05:00:00.000Z'], // 05:30 EST
    ['2026-11-29T04:30:00Z', 'America/New_York', 'today', '2026-11-28T05:00:00.000Z'], // 23:30 EST the day before
    ['2026-03-10T06:00:00Z', 'Pacific/Kiritimati', 'today', '2026-03-09T10:00:00.000Z'], // 20:00 at UTC+14
    ['2026-03-10T10:00:00Z', 'Pacific/Kiritimati', 'today', '2026-03-10T10:00:00.000Z'], // midnight itself
    ['2026-11-29T10:30:00Z', 'Europe/Madrid', '7d', '2026-11-22T23:00:00.000Z'],
    ['2026-11-29T10:30:00Z', 'Pacific/Kiritimati', '7d', '2026-11-23T10:00:00.000Z'], // already the 30th there
    // Across the spring change: 29 Mar 2026 had 23 h in Madrid; the day 30 back still starts at 00:00 CET.
    ['2026-04-10T12:00:00Z', 'Europe/Madrid', '30d', '2026-03-11T23:00:00.000Z'],
    // Across the autumn change (1 Nov 2026, 25 h in New York): 00:00 EDT 7 days back.
    ['2026-11-05T15:00:00Z', 'America/New_York', '7d', '2026-10-30T04:00:00.000Z'],
  ] as const)('%s in %s, %s: from %s up to now', (now, zone, range, from) => {
    expect(bounds(filters({ range }), now, zone)).toEqual({ from, to: null });
  });

  it('custom days run from the first midnight to the one after the last day, in the zone', () => {
    const now = '2026-11-29T10:30:00Z';
    expect(bounds(custom('2026-03-10', '2026-03-10'), now, 'Pacific/Kiritimati')).toEqual({ from: '2026-03-09T10:00:00.000Z', to: '2026-03-10T10:00:00.000Z' });
    expect(bounds(custom('2026-11-01', '2026-11-07'), now, 'Europe/Madrid')).toEqual({ from: '2026-10-31T23:00:00.000Z', to: '2026-11-07T23:00:00.000Z' });
    expect(bounds(custom('2026-11-01', '2026-11-07'), now, 'America/New_York')).toEqual({ from: '2026-11-01T04:00:00.000Z', to: '2026-11-08T05:00:00.000Z' });
    expect(rangeBounds(custom('2026-11-08', '2026-11-07'), at(now), 'Pacific/Kiritimati')).toEqual({ error: 'The last day must not be before the first.' });
  });

  it('DST days are 23 and 25 hours long', () => {
    // Madrid: 02:00 CET → 03:00 CEST on 29 Mar 2026; 03:00 CEST → 02:00 CET on 25 Oct 2026.
    expect(bounds(custom('2026-03-29', '2026-03-29'), '2026-11-29T00:00:00Z', 'Europe/Madrid')).toEqual({ from: '2026-03-28T23:00:00.000Z', to: '2026-03-29T22:00:00.000Z' });
    expect(length(custom('2026-03-29', '2026-03-29'), 'Europe/Madrid')).toBe(23);
    expect(length(custom('2026-10-25', '2026-10-25'), 'Europe/Madrid')).toBe(25);
    // New York: 8 Mar and 1 Nov 2026.
    expect(length(custom('2026-03-08', '2026-03-08'), 'America/New_York')).toBe(23);
    expect(length(custom('2026-11-01', '2026-11-01'), 'America/New_York')).toBe(25);
    expect(length(custom('2026-11-01', '2026-11-07'), 'America/New_York')).toBe(7 * 24 + 1);
    expect(length(custom('2026-03-10', '2026-03-10'), 'Pacific/Kiritimati')).toBe(24);
    // "Today" on the short day, late in it: still from its one midnight.
    expect(bounds(filters({ range: 'today' }), '2026-03-29T21:59:59Z', 'Europe/Madrid')).toEqual({ from: '2026-03-28T23:00:00.000Z', to: null });
  });

  it('a day whose midnight the zone skips starts at the change; a day the zone skipped is empty', () => {
    // Santiago springs forward at 24:00: 6 Sep 2026 begins at 01:00 -03, i.e. 04:00 UTC.
    expect(new Date(startOfZonedDate(parseDate('2026-09-06') ?? NaN, 'America/Santiago')).toISOString()).toBe('2026-09-06T04:00:00.000Z');
    // Kiritimati went from UTC−10 to UTC+14 after 30 Dec 1994: there was no 31 Dec there.
    const dec31 = startOfZonedDate(parseDate('1994-12-31') ?? NaN, 'Pacific/Kiritimati');
    expect(new Date(dec31).toISOString()).toBe('1994-12-31T10:00:00.000Z');
    expect(dec31).toBe(startOfZonedDate(parseDate('1995-01-01') ?? NaN, 'Pacific/Kiritimati'));
    expect(length(custom('1994-12-30', '1994-12-30'), 'Pacific/Kiritimati')).toBe(24);
    expect(length(custom('1994-12-30', '1994-12-31'), 'Pacific/Kiritimati')).toBe(24);
  });

  it('calendar dates: parsed, printed, and a zone\'s date of an instant', () => {
    expect(formatDate(parseDate('2028-02-29') ?? NaN)).toBe('2028-02-29');
    expect(parseDate('2026-02-29')).toBeNull();
    expect(zonedDateOf(at('2026-03-09T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2026-03-10');
    expect(zonedDateOf(at('2026-03-09T09:59:59Z'), 'Pacific/Kiritimati')).toBe('2026-03-09');
    expect(zonedDateOf(at('2026-03-09T03:00:00Z'), 'America/New_York')).toBe('2026-03-08');
  });
});

describe('history times in a zone', () => {
  it('ISO 8601 with the offset then (CSV), the same instant', () => {
    const cases: [string, string, string][] = [
      ['2026-03-09T10:00:30.000Z', 'Pacific/Kiritimati', '2026-03-10T00:00:30.000+14:00'],
      ['2026-03-08T06:59:59.500Z', 'America/New_York', '2026-03-08T01:59:59.500-05:00'],
      ['2026-03-08T07:00:00.000Z', 'America/New_York', '2026-03-08T03:00:00.000-04:00'],
      ['2026-10-25T00:30:00.000Z', 'Europe/Madrid', '2026-10-25T02:30:00.000+02:00'], // the first 02:30
      ['2026-10-25T01:30:00.000Z', 'Europe/Madrid', '2026-10-25T02:30:00.000+01:00'], // the second
      ['2026-11-28T10:30:09.007Z', 'Asia/Kathmandu', '2026-11-28T16:15:09.007+05:45'],
      ['2026-11-28T10:30:09.007Z', 'UTC', '2026-11-28T10:30:09.007Z'],
    ];
    for (const [instant, zone, text] of cases) {
      expect(zonedIso(at(instant), zone)).toBe(text);
      expect(at(text)).toBe(at(instant));
    }
  });

  it('the table\'s time: the clock on the zone\'s same day, else the date and minutes', () => {
    const now = at('2026-03-10T06:00:00Z'); // 20:00 on 10 Mar at UTC+14, 02:00 on 10 Mar in New York
    expect(zonedTime(at('2026-03-09T10:00:30Z'), 'Pacific/Kiritimati', now)).toBe('00:00:30');
    expect(zonedTime(at('2026-03-09T10:00:30Z'), 'America/New_York', now)).toBe('9 Mar 06:00');
    expect(zonedTime(at('2026-03-09T09:59:30Z'), 'Pacific/Kiritimati', now)).toBe('9 Mar 23:59');
  });
});

describe('the zone the history is shown in', () => {
  const site = (id: string, timezone: string): Site => ({ id, name: id, timezone });
  const gw = (id: string, s: string): Gateway => ({ id, site: s, name: id, status: 'online' }) as Gateway;
  const sites = [site('madrid', 'Europe/Madrid'), site('atoll', 'Pacific/Kiritimati'), site('depot', 'Europe/Madrid')];
  const gateways = [gw('gw-m', 'madrid'), gw('gw-a', 'atoll')];
  const viewer = 'America/New_York';

  it("is the chosen site's, or the site of the chosen gateway", () => {
    expect(historyZone({ site: 'atoll', gateway: null }, sites, gateways, viewer)).toBe('Pacific/Kiritimati');
    expect(historyZone({ site: null, gateway: 'gw-m' }, sites, gateways, viewer)).toBe('Europe/Madrid');
  });

  it("is the one zone all the user's sites share, else the viewer's", () => {
    expect(historyZone({ site: null, gateway: null }, sites, gateways, viewer)).toBe(viewer);
    expect(historyZone({ site: null, gateway: null }, [sites[0] as Site, sites[2] as Site], gateways, viewer)).toBe('Europe/Madrid');
    expect(historyZone({ site: null, gateway: null }, [], [], viewer)).toBe(viewer);
  });

  it("is the viewer's for a site the user cannot see; a stored zone Intl does not know counts as UTC", () => {
    expect(historyZone({ site: 'elsewhere', gateway: null }, sites, gateways, viewer)).toBe(viewer);
    expect(historyZone({ site: 'old', gateway: null }, [site('old', 'Mars/Olympus')], [], viewer)).toBe('UTC');
  });
});
