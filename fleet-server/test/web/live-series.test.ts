import { describe, expect, it } from 'vitest';
import type { PointReading } from '../../web/src/api/types.js';
import { appendReadings, readingY, slideTo, type LiveSeries } from '../../web/src/lib/live-series.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 29, 12);
const good = (point: string, ts: number, value: PointReading['value']): PointReading => ({ point, ts, value, quality: 'good' });
const hourTo = (to: number, xs: number[], ys: (number | null)[]): LiveSeries => ({ window: { from: to - HOUR, to }, series: { xs, ys } });

describe('live raw series', () => {
  it("appends the chosen point's newer readings in ts order, ignoring other points", () => {
    const live = hourTo(T0, [T0 - 20_000, T0 - 10_000], [1, 2]);
    const next = appendReadings(live, [good('temp', T0 + 5_000, 4), good('rh', T0 + 1_000, 60), good('temp', T0 + 2_000, 3)], 'temp', T0 + 6_000);
    expect(next.series).toEqual({ xs: [T0 - 20_000, T0 - 10_000, T0 + 2_000, T0 + 5_000], ys: [1, 2, 3, 4] });
    expect(next.window).toEqual({ from: T0 + 6_000 - HOUR, to: T0 + 6_000 });
    // The input is not mutated (it is Preact state).
    expect(live.series.xs).toHaveLength(2);
  });

  it('ignores readings older than or at the newest drawn ts (a replayed or repeated event is a no-op)', () => {
    const live = hourTo(T0, [T0 - 20_000, T0 - 10_000], [1, 2]);
    const once = appendReadings(live, [good('temp', T0 - 10_000, 99), good('temp', T0 - 15_000, 98), good('temp', T0 + 1_000, 5)], 'temp', T0);
    expect(once.series).toEqual({ xs: [T0 - 20_000, T0 - 10_000, T0 + 1_000], ys: [1, 2, 5] });
    const twice = appendReadings(once, [good('temp', T0 + 1_000, 7)], 'temp', T0);
    expect(twice).toBe(once);
    // Two readings with one ts in the same event: the first wins.
    const dup = appendReadings(hourTo(T0, [], []), [good('temp', T0, 1), good('temp', T0, 2)], 'temp', T0);
    expect(dup.series).toEqual({ xs: [T0], ys: [1] });
  });

  it('slides the window with the clock and drops the readings that fall out of it', () => {
    const live = hourTo(T0, [T0 - HOUR, T0 - HOUR + 30_000, T0 - 60_000], [1, 2, 3]);
    const slid = appendReadings(live, [good('temp', T0 + 45_000, 4)], 'temp', T0 + 45_000);
    expect(slid.window).toEqual({ from: T0 + 45_000 - HOUR, to: T0 + 45_000 });
    expect(slid.series).toEqual({ xs: [T0 - 60_000, T0 + 45_000], ys: [3, 4] });
    // With no reading at all the clock alone moves it; everything can leave.
    expect(slideTo(slid, T0 + 2 * HOUR).series).toEqual({ xs: [], ys: [] });
    // A clock not past the window's end changes nothing.
    expect(slideTo(slid, T0)).toBe(slid);
  });

  it('draws comm-fail, stale and non-numeric readings as gaps', () => {
    const live = hourTo(T0, [T0 - 1_000], [1]);
    const next = appendReadings(
      live,
      [
        { point: 'temp', ts: T0 + 1_000, value: null, quality: 'comm-fail' },
        { point: 'temp', ts: T0 + 2_000, value: 7, quality: 'stale' },
        good('temp', T0 + 3_000, null),
        good('temp', T0 + 4_000, Number.NaN),
        good('temp', T0 + 5_000, true),
      ],
      'temp',
      T0 + 5_000,
    );
    expect(next.series.ys).toEqual([1, null, null, null, null, 1]);
    expect(readingY({ value: 21.5, quality: 'good' })).toBe(21.5);
  });
});
