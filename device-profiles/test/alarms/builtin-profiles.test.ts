import { describe, expect, it } from 'vitest';
import type { AlarmState, Profile, Reading } from '../../src/index.js';
import { durationMs, evaluateAlarms, initialAlarmState, loadBuiltinProfiles } from '../../src/index.js';

const profiles = loadBuiltinProfiles();
const HOUR = 3_600_000;

function commFailAll(profile: Profile, ts: number): Record<string, Reading> {
  return Object.fromEntries(profile.points.map((p) => [p.id, { value: 0, quality: 'comm-fail', ts }]));
}

describe.each(profiles.map((p) => [p.id, p] as const))('built-in profile %s under the evaluator', (_id, profile) => {
  it('raises nothing while no point has ever been read', () => {
    let state = initialAlarmState();
    for (const at of [0, 60_000, HOUR]) {
      const result = evaluateAlarms(profile, state, {}, at);
      expect(result.events).toEqual([]);
      state = result.state;
    }
  });

  it('never clears an active alarm while the device answers comm-fail for an hour', () => {
    const rules = Object.fromEntries(profile.alarms.map((r) => [r.id, { active: true, raisedAt: 0 }]));
    let state: AlarmState = { ...initialAlarmState(), rules };
    for (let at = 1_000; at <= HOUR; at += 600_000) {
      const result = evaluateAlarms(profile, state, commFailAll(profile, at), at);
      expect(result.events).toEqual([]);
      state = result.state;
    }
    expect(Object.values(state.rules).every((r) => r.active)).toBe(true);
  });
});

describe('elevator entrapment scenario (liftronic-lmi-200)', () => {
  const lift = profiles.find((p) => p.id === 'liftronic-lmi-200');
  const rule = lift?.alarms.find((r) => r.id === 'entrapment-alarm');

  it('raises once the car has been stuck with the alarm pressed for `for`, clears once levelled for `clearFor`', () => {
    if (lift === undefined || rule === undefined) throw new Error('the lift profile or its entrapment-alarm rule is missing');
    const forMs = durationMs(rule.for);
    const clearForMs = durationMs(rule.clearFor);
    const good = (ts: number, values: Record<string, Reading['value']>): Record<string, Reading> =>
      Object.fromEntries(Object.entries(values).map(([id, value]) => [id, { value, quality: 'good', ts }]));
    const stuck = { moving: false, levelled: false, 'door-state': 0, 'alarm-button': true, floor: 3, mode: 0 };

    const times = [0, forMs / 2, forMs - 1, forMs];
    let state = initialAlarmState();
    const raised = times.map((at) => {
      const result = evaluateAlarms(lift, state, good(at, stuck), at);
      state = result.state;
      return result.events.filter((e) => e.rule === rule.id);
    });
    expect(raised.map((events) => events.length)).toEqual([0, 0, 0, 1]);
    expect(raised[3]?.[0]).toMatchObject({ kind: 'raise', severity: 'critical', at: forMs, message: rule.message.replace('{floor}', '3') });

    const freed = [forMs + 1_000, forMs + 1_000 + clearForMs - 1, forMs + 1_000 + clearForMs].map((at) => {
      const result = evaluateAlarms(lift, state, good(at, { levelled: true, 'alarm-button': false }), at);
      state = result.state;
      return result.events.filter((e) => e.rule === rule.id).map((e) => e.kind);
    });
    expect(freed).toEqual([[], [], ['clear']]);
  });
});
