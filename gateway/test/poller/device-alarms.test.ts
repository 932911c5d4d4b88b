import { describe, expect, it } from 'vitest';
import { DeviceAlarms } from '../../src/alarms/device-alarms.js';
import type { NewReading } from '../../src/outbox/outbox-types.js';
import { builtin } from './poller-fixture.js';

const lift = builtin('liftronic-lmi-200');
const reading = (ts: number, value: boolean | null, quality: NewReading['quality'] = 'good'): NewReading => ({ device: 'lift-a', point: 'power-failure', ts, value, quality });

describe('DeviceAlarms', () => {
  it('raises after the rule holds for its "for", holds through comm-fail, clears on good data', () => {
    const alarms = new DeviceAlarms('lift-a', lift);
    expect(alarms.evaluate([reading(0, true)], 0)).toEqual([]);
    const raised = alarms.evaluate([reading(2_000, true)], 2_000);
    expect(raised).toEqual([
      expect.objectContaining({ type: 'alarm', ts: 2_000, device: 'lift-a', rule: 'power-failure', state: 'raise', severity: 'critical', values: { 'power-failure': true } }),
    ]);
    // The device stops answering: the alarm must not clear for lack of data.
    expect(alarms.evaluate([reading(3_000, null, 'comm-fail')], 3_000)).toEqual([]);
    expect(alarms.state.rules['power-failure']?.active).toBe(true);
    // Clears once power has been back for the rule's clearFor (30 s).
    expect(alarms.evaluate([reading(4_000, false)], 4_000)).toEqual([]);
    expect(alarms.evaluate([reading(34_000, false)], 34_000)).toMatchObject([{ rule: 'power-failure', state: 'clear' }]);
  });

  it('ignores readings of other devices and profiles without rules', () => {
    const alarms = new DeviceAlarms('lift-a', lift);
    expect(alarms.evaluate([{ ...reading(0, true), device: 'lift-b' }, { ...reading(5_000, true), device: 'lift-b' }], 5_000)).toEqual([]);
    expect(new DeviceAlarms('x', { points: lift.points, alarms: [] }).evaluate([reading(0, true)], 0)).toEqual([]);
  });
});
