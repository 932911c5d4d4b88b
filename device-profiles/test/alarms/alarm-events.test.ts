import { describe, expect, it } from 'vitest';
import type { AlarmState, Reading } from '../../src/index.js';
import { evaluateAlarms, initialAlarmState } from '../../src/index.js';
import { bad, profileWith, readingsAt } from './fixture.js';

const overspeed = profileWith({
  id: 'overspeed',
  severity: 'critical',
  when: { point: 'speed', gt: 2 },
  message: 'Overspeed {speed} at floor {floor}, door {door}',
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe('evaluateAlarms: events', () => {
  it('carries rule, severity, time, the rendered message and the named points\' values', () => {
    const readings = readingsAt(0, { speed: 2.537, floor: -1, door: 2, temp: 20 });
    const { events } = evaluateAlarms(overspeed, initialAlarmState(), readings, 0);
    expect(events).toEqual([
      {
        rule: 'overspeed', kind: 'raise', severity: 'critical', at: 0,
        message: 'Overspeed 2.54 m/s at floor -1, door open',
        values: { speed: 2.537, floor: -1, door: 2 },
      },
    ]);
  });

  it('renders the clear message from the values at clear time, leaving out values not good', () => {
    const raised = evaluateAlarms(overspeed, initialAlarmState(), readingsAt(0, { speed: 3, floor: 4, door: 0 }), 0);
    const cleared = evaluateAlarms(overspeed, raised.state, readingsAt(5_000, { speed: 0.5, door: bad('comm-fail') }), 5_000);
    expect(cleared.events).toEqual([
      { rule: 'overspeed', kind: 'clear', severity: 'critical', at: 5_000, message: 'Overspeed 0.5 m/s at floor 4, door ?', values: { speed: 0.5, floor: 4 } },
    ]);
  });

  it('includes the points of an explicit clear condition in the values', () => {
    const profile = profileWith({ when: { point: 'speed', gt: 2 }, clear: { point: 'moving', eq: false }, message: 'x' });
    const { events } = evaluateAlarms(profile, initialAlarmState(), readingsAt(0, { speed: 3, moving: true, temp: 1 }), 0);
    expect(events[0]?.values).toEqual({ speed: 3, moving: true });
  });

  it('records raisedAt while active and forgets it after clearing', () => {
    const raised = evaluateAlarms(overspeed, initialAlarmState(), readingsAt(7, { speed: 3 }), 7).state;
    expect(raised.rules.overspeed).toEqual({ active: true, raisedAt: 7 });
    const pending = evaluateAlarms(profileWith({ id: 'overspeed', when: { point: 'speed', gt: 2 }, clearFor: '1s' }), raised, readingsAt(9, { speed: 1 }), 9).state;
    expect(pending.rules.overspeed).toEqual({ active: true, raisedAt: 7, clearPendingSince: 9 });
    expect(evaluateAlarms(overspeed, raised, readingsAt(9, { speed: 1 }), 9).state.rules.overspeed).toEqual({ active: false });
  });

  it('drops the state of a rule no longer in the profile', () => {
    const raised = evaluateAlarms(overspeed, initialAlarmState(), readingsAt(0, { speed: 3 }), 0).state;
    const next = evaluateAlarms(profileWith({ id: 'other', when: { point: 'temp', lt: 0 } }), raised, {}, 1).state;
    expect(Object.keys(next.rules)).toEqual(['other']);
  });
});

describe('evaluateAlarms: purity', () => {
  it('never mutates the profile, the state or the readings', () => {
    const profile = deepFreeze(profileWith({ when: { point: 'lamps', agg: 'count', ge: 2 }, for: '1s', message: '{lamps}' }));
    let state: AlarmState = deepFreeze(initialAlarmState());
    const lamps = (set: number[]): boolean[] => Array.from({ length: 16 }, (_, i) => set.includes(i));
    for (const [at, set] of [[0, [1, 2]], [1_000, [1, 2, 3]], [2_000, []]] as const) {
      const readings = deepFreeze(readingsAt(at, { lamps: lamps([...set]) }));
      const before = structuredClone({ state, readings });
      const result = evaluateAlarms(profile, state, readings, at);
      expect({ state, readings }).toEqual(before);
      state = deepFreeze(result.state);
    }
    expect(state.rules['rule-0']).toEqual({ active: false });
  });

  it('gives the same events after the state went through JSON (it is persisted by gateways)', () => {
    const profile = profileWith({ when: { point: 'speed', gt: 2 }, for: '2s', clearFor: '2s', hysteresis: 0.5 });
    const steps: [number, Record<string, Reading>][] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => [
      i * 1_000,
      readingsAt(i * 1_000, { speed: [3, 3, 3, 1.8, 1.4, 1.4, 1.4, 1.4][i] ?? 0 }),
    ]);
    const replay = (persist: boolean): string[] => {
      let state = initialAlarmState();
      return steps.flatMap(([at, readings]) => {
        const result = evaluateAlarms(profile, state, readings, at);
        state = persist ? (JSON.parse(JSON.stringify(result.state)) as AlarmState) : result.state;
        return result.events.map((e) => `${e.kind}@${e.at}`);
      });
    };
    expect(replay(true)).toEqual(replay(false));
    expect(replay(false)).toEqual(['raise@2000', 'clear@6000']);
  });
});
