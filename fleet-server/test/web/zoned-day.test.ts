// The site view's labels in a site's zone: "today (zone)" when it is not the viewer's, and the
// site's wall clock. The day itself (shared/zoned-day.ts) is tested in test/time/zoned-day.test.ts
// and through todayWindow in chart-window.test.ts. Fixed instants with UTC expectations, so they
// hold whatever TZ the suite runs in (run it under TZ=UTC and another).
import { describe, expect, it } from 'vitest';
import { browserTimeZone, todayIn, zonedClock, zonedDate } from '../../web/src/lib/zoned-day.js';

const at = Date.parse;

describe("labels in the site's zone", () => {
  it('"today" alone in the viewer\'s zone, with the zone otherwise', () => {
    expect(todayIn('Europe/Madrid', 'Europe/Madrid')).toBe('today');
    expect(todayIn('UTC', 'Etc/UTC')).toBe('today');
    expect(todayIn('Europe/Madrid', 'America/New_York')).toBe('today (Europe/Madrid)');
    expect(todayIn(browserTimeZone())).toBe('today');
  });

  it("the site's wall clock and date", () => {
    const t = at('2026-11-28T10:30:09Z');
    expect(zonedClock(t, 'Pacific/Auckland')).toBe('23:30');
    expect(zonedClock(t, 'America/Los_Angeles', true)).toBe('02:30:09');
    expect(zonedClock(t, 'Asia/Kolkata')).toBe('16:00');
    expect(zonedDate(at('2026-11-28T11:00:00Z'), 'Pacific/Auckland')).toBe('29 Nov');
  });
});
