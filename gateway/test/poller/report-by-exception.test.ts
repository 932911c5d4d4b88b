import { describe, expect, it } from 'vitest';
import type { WireValue } from '@edgefleet/protocol';
import { isSnapshotDue, isStale, shouldReport } from '../../src/poller/report-by-exception.js';
import type { Reported } from '../../src/poller/report-by-exception.js';

const good = (value: WireValue): Reported => ({ value, quality: 'good' });

describe('shouldReport', () => {
  it.each<{ name: string; last: Reported | undefined; next: Reported; deadband?: number; report: boolean }>([
    { name: 'the first reading', last: undefined, next: good(1), report: true },
    { name: 'a number inside the deadband', last: good(10), next: good(10.4), deadband: 0.5, report: false },
    { name: 'a number exactly at the deadband', last: good(10), next: good(10.5), deadband: 0.5, report: true },
    { name: 'a number below by the deadband', last: good(10), next: good(9.5), deadband: 0.5, report: true },
    { name: 'a number without deadband, changed', last: good(3), next: good(4), report: true },
    { name: 'a number without deadband, unchanged', last: good(3), next: good(3), report: false },
    { name: 'deadband 0 means any change', last: good(3), next: good(3.0001), deadband: 0, report: true },
    { name: 'a boolean flips', last: good(false), next: good(true), deadband: 5, report: true },
    { name: 'a string unchanged', last: good('auto'), next: good('auto'), report: false },
    { name: 'a bits array unchanged', last: good([true, false]), next: good([true, false]), report: false },
    { name: 'a bits array with one bit changed', last: good([true, false]), next: good([true, true]), report: true },
    { name: 'good to comm-fail', last: good(3), next: { value: null, quality: 'comm-fail' }, report: true },
    { name: 'comm-fail again', last: { value: null, quality: 'comm-fail' }, next: { value: null, quality: 'comm-fail' }, report: false },
    { name: 'comm-fail to good with the old value', last: { value: null, quality: 'comm-fail' }, next: good(3), report: true },
    { name: 'stale to good, same value', last: { value: 3, quality: 'stale' }, next: good(3), deadband: 1, report: true },
  ])('$name → $report', ({ last, next, deadband, report }) => {
    expect(shouldReport(last, next, deadband)).toBe(report);
  });

  it('compares with the last value sent, so slow drift is reported once it adds up', () => {
    let last: Reported = good(20);
    const sent: number[] = [];
    for (const v of [20.2, 20.4, 20.6, 20.8, 21.0]) {
      if (shouldReport(last, good(v), 0.5)) {
        last = good(v);
        sent.push(v);
      }
    }
    expect(sent).toEqual([20.6]);
  });
});

describe('isStale and isSnapshotDue', () => {
  it.each([
    { lastGoodAt: undefined, now: 10_000, interval: 1_000, stale: false },
    { lastGoodAt: 7_000, now: 10_000, interval: 1_000, stale: false },
    { lastGoodAt: 6_999, now: 10_000, interval: 1_000, stale: true },
  ])('last good at $lastGoodAt, now $now, interval $interval → stale $stale', ({ lastGoodAt, now, interval, stale }) => {
    expect(isStale(lastGoodAt, now, interval)).toBe(stale);
  });

  it.each([
    { last: undefined, now: 5, due: true },
    { last: 0, now: 59_999, due: false },
    { last: 0, now: 60_000, due: true },
  ])('snapshot last at $last, now $now → due $due', ({ last, now, due }) => {
    expect(isSnapshotDue(last, now, 60_000)).toBe(due);
  });
});
