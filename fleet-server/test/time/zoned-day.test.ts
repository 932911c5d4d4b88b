// A site's "today" (shared/zoned-day.ts, used by GET /overview and the dashboard): the start of
// its calendar day in its zone, DST days included.
// Fixed instants; the expectations are UTC instants, so they hold whatever TZ the suite runs in.
import { describe, expect, it } from 'vitest';
import { isTimeZone, knownZoneOr, startOfZonedDay } from '../../src/time/zoned-day.js';

const at = Date.parse;
const H = 3_600_000;

describe('startOfZonedDay', () => {
  it.each([
    // [now, zone, the day's first instant]
    ['2026-11-28T10:30:00Z', 'UTC', '2026-11-28T00:00:00Z'],
    ['2026-11-28T10:30:00Z', 'Pacific/Auckland', '2026-11-27T11:00:00Z'], // 23:30 NZDT
    ['2026-11-28T10:59:59Z', 'Pacific/Auckland', '2026-11-27T11:00:00Z'], // 23:59:59
    ['2026-11-28T11:00:00Z', 'Pacific/Auckland', '2026-11-28T11:00:00Z'], // midnight itself
    ['2026-11-28T10:30:00Z', 'America/Los_Angeles', '2026-11-28T08:00:00Z'], // 02:30 PST
    ['2026-11-28T07:59:59Z', 'America/Los_Angeles', '2026-11-27T08:00:00Z'],
    ['2026-11-28T10:30:00Z', 'Asia/Kolkata', '2026-11-27T18:30:00Z'], // a half-hour offset
    ['2026-11-28T10:30:00Z', 'Asia/Kathmandu', '2026-11-27T18:15:00Z'], // a quarter-hour offset
  ])('%s in %s: the day began at %s', (now, zone, start) => {
    expect(startOfZonedDay(at(now), zone)).toBe(at(start));
  });

  it('a 25-hour day: Los Angeles on 1 Nov 2026 began at 00:00 PDT (UTC−7) and the next at 00:00 PST (UTC−8)', () => {
    const late = at('2026-11-02T07:30:00Z'); // 23:30 PST
    expect(startOfZonedDay(late, 'America/Los_Angeles')).toBe(at('2026-11-01T07:00:00Z'));
    expect(startOfZonedDay(at('2026-11-01T09:30:00Z'), 'America/Los_Angeles')).toBe(at('2026-11-01T07:00:00Z')); // 01:30 PST, the second 01:30
    expect(startOfZonedDay(at('2026-11-02T08:00:00Z'), 'America/Los_Angeles') - startOfZonedDay(late, 'America/Los_Angeles')).toBe(25 * H);
  });

  it('a 23-hour day: Auckland on 27 Sep 2026 began at 00:00 NZST (UTC+12) and the next at 00:00 NZDT (UTC+13)', () => {
    const late = at('2026-09-27T10:30:00Z'); // 23:30 NZDT
    expect(startOfZonedDay(late, 'Pacific/Auckland')).toBe(at('2026-09-26T12:00:00Z'));
    expect(startOfZonedDay(at('2026-09-27T11:00:00Z'), 'Pacific/Auckland') - startOfZonedDay(late, 'Pacific/Auckland')).toBe(23 * H);
  });

  it('a skipped midnight: Santiago springs forward at 24:00, so 6 Sep 2026 began at 01:00 (UTC−3)', () => {
    expect(startOfZonedDay(at('2026-09-06T12:00:00Z'), 'America/Santiago')).toBe(at('2026-09-06T04:00:00Z'));
    // The day before still began at its own 00:00 (UTC−4).
    expect(startOfZonedDay(at('2026-09-05T12:00:00Z'), 'America/Santiago')).toBe(at('2026-09-05T04:00:00Z'));
  });

  it('a repeated midnight: Havana falls back at 01:00 to 00:00, and the day began at the first 00:00', () => {
    expect(startOfZonedDay(at('2026-11-01T12:00:00Z'), 'America/Havana')).toBe(at('2026-11-01T04:00:00Z'));
  });

  it('a skipped day: Samoa went from 29 to 31 Dec 2011, which began at the jump', () => {
    expect(startOfZonedDay(at('2011-12-30T12:00:00Z'), 'Pacific/Apia')).toBe(at('2011-12-30T10:00:00Z'));
  });
});

describe('isTimeZone', () => {
  it('knows IANA zones and UTC, not typos or made-up names', () => {
    expect(['UTC', 'Europe/Madrid', 'Pacific/Auckland', 'America/Los_Angeles'].every(isTimeZone)).toBe(true);
    expect(['Europe/Madird', 'Mars/Olympus', '', 'local'].some(isTimeZone)).toBe(false);
  });

  it('falls back to UTC for a zone Intl does not know (a site stored before zones were checked)', () => {
    expect(knownZoneOr('Pacific/Auckland')).toBe('Pacific/Auckland');
    expect(knownZoneOr('Europe/Madird')).toBe('UTC');
    expect(startOfZonedDay(Date.parse('2026-11-28T10:30:00Z'), knownZoneOr('Mars/Olympus'))).toBe(Date.parse('2026-11-28T00:00:00Z'));
  });
});
