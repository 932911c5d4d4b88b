import { describe, expect, it } from 'vitest';
import type { AlarmEvent, AlarmState, Profile } from '../../src/index.js';
import { evaluateAlarms, initialAlarmState } from '../../src/index.js';
import type { Input } from './fixture.js';
import { bad, profileWith, readingsAt } from './fixture.js';

type Rule = Parameters<typeof profileWith>[0];
type Step = [at: number, readings: Record<string, Input>];

/** Feeds the steps in order and returns every event and the final state. */
function run(profile: Profile, steps: readonly Step[], start: AlarmState = initialAlarmState()): { events: AlarmEvent[]; state: AlarmState } {
  let state = start;
  const events: AlarmEvent[] = [];
  for (const [at, inputs] of steps) {
    const result = evaluateAlarms(profile, state, readingsAt(at, inputs), at);
    state = result.state;
    events.push(...result.events);
  }
  return { events, state };
}

const kinds = (events: readonly AlarmEvent[]): string[] => events.map((e) => `${e.kind}@${e.at}`);
const speeds = (...pairs: [number, Input][]): Step[] => pairs.map(([at, speed]) => [at, { speed }]);
const FAST: Rule = { when: { point: 'speed', gt: 2 } };
const CF = bad('comm-fail', 0);

describe('evaluateAlarms: `for` debounce (when speed > 2, for 10s)', () => {
  const rule: Rule = { ...FAST, for: '10s' };
  it.each<[string, Step[], string[]]>([
    ['true for less than `for`, then false', speeds([0, 3], [9_999, 3], [10_000, 1]), []],
    ['true one millisecond short of `for`', speeds([0, 3], [9_999, 3]), []],
    ['true for exactly `for` raises', speeds([0, 3], [10_000, 3]), ['raise@10000']],
    ['raised exactly once while it stays true', speeds([0, 3], [5_000, 3], [10_000, 3], [15_000, 3], [60_000, 3]), ['raise@10000']],
    ['a false evaluation restarts the run', speeds([0, 3], [5_000, 1], [6_000, 3], [15_999, 3], [16_000, 3]), ['raise@16000']],
    ['comm-fail restarts the run', speeds([0, 3], [5_000, CF], [6_000, 3], [15_999, 3], [16_000, 3]), ['raise@16000']],
    ['stale data does not count, good data then does', speeds([0, bad('stale', 3)], [1_000, 3], [10_999, 3], [11_000, 3]), ['raise@11000']],
    ['no new reading: the last good value stands while time passes', [[0, { speed: 3 }], [10_000, {}]], ['raise@10000']],
    ['readings of other points only do not break the run', [[0, { speed: 3 }], [5_000, { door: 0 }], [10_000, { door: 1 }]], ['raise@10000']],
    ['a point never read never raises', [[0, {}], [60_000, { door: 0 }]], []],
  ])('%s', (_name, steps, expected) => {
    expect(kinds(run(profileWith(rule), steps).events)).toEqual(expected);
  });

  it.each<[string, Step[], string[]]>([
    ['for 0s raises on the first true evaluation', speeds([0, 1], [500, 3]), ['raise@500']],
    ['for 0s raises again after a clear', speeds([0, 3], [1, 1], [2, 3]), ['raise@0', 'clear@1', 'raise@2']],
  ])('%s', (_name, steps, expected) => {
    expect(kinds(run(profileWith({ ...FAST, for: '0s' }), steps).events)).toEqual(expected);
  });

  it('keeps pendingSince at the start of the run and drops it on a gap', () => {
    const profile = profileWith(rule);
    const pending = run(profile, speeds([1_000, 3], [4_000, 3])).state;
    expect(pending.rules['rule-0']).toEqual({ active: false, pendingSince: 1_000 });
    const gap = run(profile, speeds([5_000, CF]), pending).state;
    expect(gap.rules['rule-0']).toEqual({ active: false });
  });
});

describe('evaluateAlarms: clearing (speed > 2, for 0s, clearFor 5s)', () => {
  const rule: Rule = { ...FAST, clearFor: '5s' };
  it.each<[string, Step[], string[]]>([
    ['clears once the clear condition has held for clearFor', speeds([0, 3], [1_000, 1], [5_999, 1], [6_000, 1]), ['raise@0', 'clear@6000']],
    ['true in between restarts clearFor', speeds([0, 3], [1_000, 1], [3_000, 3], [4_000, 1], [8_999, 1], [9_000, 1]), ['raise@0', 'clear@9000']],
    ['comm-fail in between restarts clearFor', speeds([0, 3], [1_000, 1], [3_000, CF], [4_000, 1], [8_999, 1], [9_000, 1]), ['raise@0', 'clear@9000']],
    ['comm-fail for an hour never clears', speeds([0, 3], [1_000, CF], [1_800_000, CF], [3_600_000, CF]), ['raise@0']],
    ['stale data never clears', speeds([0, 3], [1_000, bad('stale', 0)], [3_600_000, bad('stale', 0)]), ['raise@0']],
    ['after comm-fail, good low data clears after clearFor', speeds([0, 3], [1_000, CF], [2_000, 1], [7_000, 1]), ['raise@0', 'clear@7000']],
  ])('%s', (_name, steps, expected) => {
    expect(kinds(run(profileWith(rule), steps).events)).toEqual(expected);
  });

  it('clearFor 0s clears on the first false evaluation', () => {
    expect(kinds(run(profileWith(FAST), speeds([0, 3], [1, 1])).events)).toEqual(['raise@0', 'clear@1']);
  });
});

describe('evaluateAlarms: explicit clear condition', () => {
  const rule: Rule = { ...FAST, clear: { point: 'speed', lt: 0.5 }, hysteresis: 5 };
  it.each<[string, Rule, Step[], string[]]>([
    ['`when` turning false does not clear; `clear` does', rule, speeds([0, 3], [1_000, 1], [2_000, 0.4]), ['raise@0', 'clear@2000']],
    ['hysteresis is not applied when `clear` is given', rule, speeds([0, 3], [1_000, 0.49]), ['raise@0', 'clear@1000']],
    ['clear at exactly its threshold does not hold (lt)', rule, speeds([0, 3], [1_000, 0.5]), ['raise@0']],
    ['clearFor applies to `clear`', { ...rule, clearFor: '2s' }, speeds([0, 3], [1_000, 0.4], [2_999, 0.4], [3_000, 0.4]), ['raise@0', 'clear@3000']],
    [
      'an unknown clear condition holds the alarm',
      { ...FAST, clear: { point: 'temp', lt: 10 } },
      [[0, { speed: 3 }], [1_000, { speed: 0, temp: CF }], [2_000, { temp: 5 }]],
      ['raise@0', 'clear@2000'],
    ],
    [
      'raise and clear never happen in one evaluation',
      { ...FAST, clear: { point: 'temp', lt: 10 } },
      [[0, { speed: 3, temp: 5 }], [1, {}], [2, {}]],
      ['raise@0', 'clear@1', 'raise@2'],
    ],
  ])('%s', (_name, r, steps, expected) => {
    expect(kinds(run(profileWith(r), steps).events)).toEqual(expected);
  });
});

describe('evaluateAlarms: hysteresis against flapping input', () => {
  // Binary-exact numbers so the widened threshold 2 - 0.25 = 1.75 is exact.
  const series = (values: number[]): Step[] => values.map((speed, i) => [i * 1_000, { speed }]);
  const hovering = [2.1, 1.9, 2.05, 1.8, 2.2, 1.76, 2.3];
  it.each<[string, Rule, Step[], string[]]>([
    ['hovering around the threshold then dropping: one raise, one clear', { ...FAST, hysteresis: 0.25 }, series([...hovering, 1.5]), ['raise@0', 'clear@7000']],
    ['at exactly threshold - hysteresis it clears (gt is strict)', { ...FAST, hysteresis: 0.25 }, series([...hovering, 1.75]), ['raise@0', 'clear@7000']],
    [
      'after clearing, the written threshold applies again',
      { ...FAST, hysteresis: 0.25 },
      series([2.1, 1.5, 1.9, 2, 2.01]),
      ['raise@0', 'clear@1000', 'raise@4000'],
    ],
    [
      'the same input without hysteresis flaps',
      FAST,
      series([...hovering, 1.5]),
      ['raise@0', 'clear@1000', 'raise@2000', 'clear@3000', 'raise@4000', 'clear@5000', 'raise@6000', 'clear@7000'],
    ],
    [
      'lt: the alarm clears only above threshold + hysteresis',
      { when: { point: 'temp', lt: 3.25 }, hysteresis: 0.125 },
      [3.2, 3.3, 3.374, 3.25, 3.375].map((temp, i): Step => [i * 1_000, { temp }]),
      ['raise@0', 'clear@4000'],
    ],
    [
      'hysteresis with clearFor: the band still holds the alarm',
      { ...FAST, hysteresis: 0.25, clearFor: '2s' },
      series([2.5, 1.9, 1.9, 1.9, 1.7, 1.7, 1.7]),
      ['raise@0', 'clear@6000'],
    ],
  ])('%s', (_name, rule, steps, expected) => {
    expect(kinds(run(profileWith(rule), steps).events)).toEqual(expected);
  });
});

describe('evaluateAlarms: partial readings and changed', () => {
  it('keeps other points\' last values when only some points are read', () => {
    const profile = profileWith({ when: { all: [{ point: 'moving', eq: true }, { point: 'door', eq: 'open' }] } });
    const { events, state } = run(profile, [[0, { moving: true, door: 0 }], [1_000, { door: 2 }]]);
    expect(kinds(events)).toEqual(['raise@1000']);
    expect(state.values.moving).toEqual({ value: true, quality: 'good', ts: 0 });
  });

  const changed: Rule = { when: { point: 'code', changed: true } };
  it.each<[string, Step[], string[]]>([
    ['first reading is no change; a new value raises; no re-read clears', [[0, { code: 0 }], [1_000, { code: 5 }], [2_000, {}], [3_000, { code: 5 }], [4_000, { code: 7 }]], ['raise@1000', 'clear@2000', 'raise@4000']],
    ['a comm-fail value is not remembered as previous', [[0, { code: 0 }], [1_000, { code: bad('comm-fail', 9) }], [2_000, { code: 0 }]], []],
    ['a change across a comm-fail gap counts', [[0, { code: 0 }], [1_000, { code: bad('comm-fail', 9) }], [2_000, { code: 3 }]], ['raise@2000']],
  ])('%s', (_name, steps, expected) => {
    expect(kinds(run(profileWith(changed), steps).events)).toEqual(expected);
  });

  it.each<[string, number, string[]]>([
    ['a late reading (older than the stored one) is ignored', 1_000, ['raise@2000']],
    ['a reading as new as the stored one is taken', 2_000, ['raise@2000', 'clear@3000']],
  ])('%s', (_name, ts, expected) => {
    const steps: Step[] = [[2_000, { speed: 3 }], [3_000, { speed: { value: 0, quality: 'good', ts } }]];
    expect(kinds(run(profileWith(FAST), steps).events)).toEqual(expected);
  });

  it('drops readings of points the profile does not define', () => {
    const { state } = run(profileWith(FAST), [[0, { speed: 1, nosuch: 5 }]]);
    expect(Object.keys(state.values)).toEqual(['speed']);
  });
});
