import { describe, expect, it } from 'vitest';
import { OverviewTally, durationStats } from '../../src/api/overview-figures.js';

describe('durationStats', () => {
  it.each([
    { durations: [], expected: { count: 0, medianMs: null, worstMs: null } },
    { durations: [7], expected: { count: 1, medianMs: 7, worstMs: 7 } },
    { durations: [300, 10, 20], expected: { count: 3, medianMs: 20, worstMs: 300 } },
    { durations: [40, 10, 1_000, 20], expected: { count: 4, medianMs: 30, worstMs: 1_000 } },
    // Even count: the mean of the middle two, rounded to the ms.
    { durations: [1, 2], expected: { count: 2, medianMs: 2, worstMs: 2 } },
    { durations: [5, 5, 5, 5], expected: { count: 4, medianMs: 5, worstMs: 5 } },
  ])('$durations → $expected', ({ durations, expected }) => {
    expect(durationStats(durations)).toEqual(expected);
  });

  it('does not reorder the caller\'s array', () => {
    const durations = [3, 1, 2];
    durationStats(durations);
    expect(durations).toEqual([3, 1, 2]);
  });
});

describe('OverviewTally', () => {
  it('counts an acknowledgement and a resolution only when each falls in [from, to)', () => {
    const tally = new OverviewTally();
    tally.addResponse({ id: 1, site: 's', raisedAt: 0, acknowledgedAt: 100, resolvedAt: 200 }, 100, 200);
    tally.addResponse({ id: 2, site: 's', raisedAt: 50, acknowledgedAt: null, resolvedAt: 199 }, 100, 200);
    expect(tally.figures().timeToAck).toEqual({ count: 1, medianMs: 100, worstMs: 100 });
    expect(tally.figures().timeToResolve).toEqual({ count: 1, medianMs: 149, worstMs: 149 });
  });

  it('counts a never-connected (unknown) gateway apart from online and offline, and raised and notified alerts as unacknowledged', () => {
    const tally = new OverviewTally();
    for (const status of ['online', 'offline', 'unknown'] as const) tally.addGateway(status);
    tally.addOpen({ site: 's', severity: 'major', state: 'raised', count: 2 });
    tally.addOpen({ site: 's', severity: 'major', state: 'notified', count: 1 });
    tally.addOpen({ site: 's', severity: 'info', state: 'acknowledged', count: 4 });
    const figures = tally.figures();
    expect(figures.gateways).toEqual({ total: 3, online: 1, offline: 1, unknown: 1 });
    expect(figures.alerts).toEqual({ open: { critical: 0, major: 3, minor: 0, info: 4, total: 7 }, unacknowledged: 3 });
  });
});
