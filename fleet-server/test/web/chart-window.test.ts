import { describe, expect, it } from 'vitest';
import { describeSeries, holdLast, MIN_TODAY_MS, recentWindow, tickLabel, todayWindow } from '../../web/src/lib/chart-window.js';
import { browserTimeZone } from '../../web/src/lib/zoned-day.js';

// Local times, so the expectations hold in any TZ the suite runs in.
const at = (h: number, m = 0, s = 0, day = 29): number => new Date(2026, 10, day, h, m, s).getTime();
/** The zone the suite runs in: a site there has the same "today" as the browser's. */
const LOCAL = browserTimeZone();
const MIN = 60_000;

describe('chart windows', () => {
  it("today is local midnight → now, now rounded up to the minute, however many readings there are", () => {
    expect(todayWindow(at(14, 30, 20), LOCAL)).toEqual({ from: at(0), to: at(14, 31), timeZone: LOCAL });
    expect(todayWindow(at(14, 31), LOCAL)).toEqual({ from: at(0), to: at(14, 31), timeZone: LOCAL });
    // Not years (uPlot's own range for one x value) nor a window ending at the newest reading.
    const w = todayWindow(at(9, 5), LOCAL);
    expect(w.to - w.from).toBe(9 * 3_600_000 + 5 * 60_000);
  });

  it('just after midnight, today is at least MIN_TODAY_MS wide', () => {
    expect(todayWindow(at(0, 0, 30), LOCAL)).toEqual({ from: at(0), to: at(0) + MIN_TODAY_MS, timeZone: LOCAL });
    expect(todayWindow(at(0, 0, 0), LOCAL)).toEqual({ from: at(0), to: at(0) + MIN_TODAY_MS, timeZone: LOCAL });
  });

  it("a site's today starts at the site's midnight, whatever the browser's zone", () => {
    // 2026-11-28 10:30:20 UTC: 23:30 in Auckland (its day began 11:00 UTC the day before), 02:30 in Los Angeles.
    const now = Date.parse('2026-11-28T10:30:20Z');
    expect(todayWindow(now, 'Pacific/Auckland')).toEqual({ from: Date.parse('2026-11-27T11:00:00Z'), to: Date.parse('2026-11-28T10:31:00Z'), timeZone: 'Pacific/Auckland' });
    expect(todayWindow(now, 'America/Los_Angeles')).toEqual({ from: Date.parse('2026-11-28T08:00:00Z'), to: Date.parse('2026-11-28T10:31:00Z'), timeZone: 'America/Los_Angeles' });
    // A 25-hour day (Los Angeles, 1 Nov 2026): at 23:30 PST the chart spans 24.5 h, from 00:00 PDT.
    const late = todayWindow(Date.parse('2026-11-02T07:30:00Z'), 'America/Los_Angeles');
    expect(late.from).toBe(Date.parse('2026-11-01T07:00:00Z'));
    expect(late.to - late.from).toBe(24 * 60 * MIN + 30 * MIN);
    // A 23-hour day (Auckland, 27 Sep 2026): at 23:30 NZDT it spans 22.5 h, from 00:00 NZST.
    const short = todayWindow(Date.parse('2026-09-27T10:30:00Z'), 'Pacific/Auckland');
    expect(short.from).toBe(Date.parse('2026-09-26T12:00:00Z'));
    expect(short.to - short.from).toBe(22 * 60 * MIN + 30 * MIN);
  });

  it('1 h, 24 h and 7 d end now and span exactly that', () => {
    const now = at(14, 30, 20);
    for (const span of [3_600_000, 86_400_000, 7 * 86_400_000]) {
      const w = recentWindow(span, now);
      expect(w.to).toBe(now);
      expect(w.to - w.from).toBe(span);
    }
  });
});

describe('tick labels', () => {
  it('are times of day within one day, midnight included', () => {
    const today = todayWindow(at(14, 30), LOCAL);
    expect(tickLabel(at(0), today)).toBe('00:00');
    expect(tickLabel(at(9, 5), today)).toBe('09:05');
    expect(tickLabel(at(13, 45), today)).toBe('13:45');
  });

  it('show the date at a midnight inside a window crossing days (24 h, 7 d)', () => {
    const day = recentWindow(86_400_000, at(14, 30));
    expect(tickLabel(at(0), day)).toBe('29 Nov');
    expect(tickLabel(at(18, 0, 0, 28), day)).toBe('18:00');
    const week = recentWindow(7 * 86_400_000, at(14, 30));
    expect(tickLabel(at(0, 0, 0, 24), week)).toBe('24 Nov');
    expect(tickLabel(at(12, 0, 0, 24), week)).toBe('12:00');
  });

  it("read in the site's zone on a site's today chart", () => {
    const madrid = todayWindow(Date.parse('2026-11-28T10:30:00Z'), 'Europe/Madrid');
    expect(tickLabel(Date.parse('2026-11-27T23:00:00Z'), madrid)).toBe('00:00');
    expect(tickLabel(Date.parse('2026-11-28T09:00:00Z'), madrid)).toBe('10:00');
    const kolkata = todayWindow(Date.parse('2026-11-28T10:30:00Z'), 'Asia/Kolkata');
    expect(tickLabel(Date.parse('2026-11-28T09:00:00Z'), kolkata)).toBe('14:30');
    // A recent window in a zone: the date at that zone's midnight.
    expect(tickLabel(Date.parse('2026-11-27T23:00:00Z'), { from: Date.parse('2026-11-27T10:00:00Z'), to: Date.parse('2026-11-28T10:00:00Z'), timeZone: 'Europe/Madrid' })).toBe('28 Nov');
  });
});

describe('holding a stepped value', () => {
  it('draws the last value on to the end', () => {
    expect(holdLast({ xs: [at(8), at(9)], ys: [40, 37] }, at(14))).toEqual({ xs: [at(8), at(9), at(14)], ys: [40, 37, 37] });
    // One reading alone becomes a line to now.
    expect(holdLast({ xs: [at(8)], ys: [50] }, at(14))).toEqual({ xs: [at(8), at(14)], ys: [50, 50] });
  });

  it('adds nothing without readings, after a gap, or when the end is not later', () => {
    const gap = { xs: [at(8), at(9)], ys: [40, null] };
    expect(holdLast({ xs: [], ys: [] }, at(14))).toEqual({ xs: [], ys: [] });
    expect(holdLast(gap, at(14))).toBe(gap);
    const s = { xs: [at(8)], ys: [1] };
    expect(holdLast(s, at(8))).toBe(s);
  });
});

describe("a chart's text alternative", () => {
  const hhmm = (ts: number): string => new Date(ts).toTimeString().slice(0, 5);

  it('counts readings (not gaps) and gives the latest, lowest and highest', () => {
    expect(describeSeries({ xs: [at(8), at(9), at(10), at(11)], ys: [40, null, 58, 12.345] }, 'bays', hhmm)).toBe('3 readings; latest 12.35 bays at 11:00, lowest 12.35 bays, highest 58 bays.');
    expect(describeSeries({ xs: [at(8)], ys: [5] }, null, hhmm)).toBe('1 reading; latest 5 at 08:00, lowest 5, highest 5.');
    expect(describeSeries({ xs: [at(8)], ys: [null] }, 'm³/h', hhmm)).toBe('No readings.');
  });
});
