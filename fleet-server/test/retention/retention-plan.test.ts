import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, chunkHours, oldestWholeHour, planHourlyRollup, planRecheck, pruneCutoffs } from '../../src/retention/index.js';
import { DAY, H, T0 } from './retention-fixtures.js';

const NOW = T0 + 5 * 60_000; // 12:05
const CONFIG = { ...DEFAULT_RETENTION, rawDays: 30, rollupLateHours: 3, rollupRecheckDays: 7 };

describe('planHourlyRollup', () => {
  it.each([
    ['no mark: the whole raw window', undefined, { fromHour: T0 - 30 * DAY, toHour: T0 }],
    ['mark an hour back: the late hours again', T0 - H, { fromHour: T0 - 3 * H, toHour: T0 }],
    ['mark 6 h back (down since): from the mark', T0 - 6 * H, { fromHour: T0 - 6 * H, toHour: T0 }],
    ['mark older than the raw window: from its floor', T0 - 40 * DAY, { fromHour: T0 - 30 * DAY, toHour: T0 }],
    ['mark ahead of the clock (clock set back): the late hours', T0 + 5 * H, { fromHour: T0 - 3 * H, toHour: T0 }],
  ])('%s', (_name, mark, expected) => {
    expect(planHourlyRollup(NOW, mark, CONFIG)).toEqual(expected);
  });

  it('rollupLateHours 0 with an up-to-date mark rolls nothing', () => {
    expect(planHourlyRollup(NOW, T0, { ...CONFIG, rollupLateHours: 0 })).toEqual({ fromHour: T0, toHour: T0 });
  });
});

describe('planRecheck', () => {
  it.each([
    ['up-to-date mark: the recheck days', T0, { fromHour: T0 - 7 * DAY, toHour: T0 }],
    ['mark 10 days back: from the mark', T0 - 10 * DAY, { fromHour: T0 - 10 * DAY, toHour: T0 }],
    ['no mark: the raw window', undefined, { fromHour: T0 - 30 * DAY, toHour: T0 }],
  ])('%s', (_name, mark, expected) => {
    expect(planRecheck(NOW, mark, CONFIG)).toEqual(expected);
  });
});

describe('chunkHours', () => {
  it('splits into days, oldest first, the last one short', () => {
    expect(chunkHours({ fromHour: T0 - 50 * H, toHour: T0 })).toEqual([
      { fromHour: T0 - 50 * H, toHour: T0 - 26 * H }, { fromHour: T0 - 26 * H, toHour: T0 - 2 * H }, { fromHour: T0 - 2 * H, toHour: T0 },
    ]);
    expect(chunkHours({ fromHour: T0, toHour: T0 })).toEqual([]);
  });
});

describe('pruneCutoffs', () => {
  it('cuts telemetry on the hour boundary of the raw window, the ledger and events by their days', () => {
    expect(pruneCutoffs(NOW, T0, CONFIG)).toEqual({
      telemetryBefore: oldestWholeHour(NOW, CONFIG), seqsBefore: NOW - 30 * DAY, eventsBefore: NOW - 365 * DAY,
    });
    expect(oldestWholeHour(NOW, CONFIG)).toBe(T0 - 30 * DAY);
  });

  it('never deletes raw telemetry that is not rolled up: stops at the mark, and without one deletes none', () => {
    expect(pruneCutoffs(NOW, T0 - 40 * DAY, CONFIG).telemetryBefore).toBe(T0 - 40 * DAY);
    expect(pruneCutoffs(NOW, undefined, CONFIG).telemetryBefore).toBe(0);
  });

  it('never goes below 0 near the epoch', () => {
    expect(pruneCutoffs(DAY, DAY, CONFIG)).toEqual({ telemetryBefore: 0, seqsBefore: 0, eventsBefore: 0 });
  });
});
