import { describe, expect, it } from 'vitest';
import { evaluateAlarms, initialAlarmState } from '@edgefleet/device-profiles';
import type { AlarmState, Reading } from '@edgefleet/device-profiles';
import type { FaultParams } from '../../src/models/device-model.js';
import type { SimDevice } from '../../src/device/sim-device.js';
import { CABINET, ELEVATOR, HOUR, MIDNIGHT, PARKING, WATER, builtinProfile, simDevice } from './sim-fixture.js';

const MINUTE = 60_000;

/**
 * Steps a device and evaluates its profile's alarm rules on the ground truth at every tick, as
 * a gateway polling it would. Returns the ids of the rules raised.
 */
function raisedAlarms(
  device: SimDevice,
  profileId: string,
  from: number,
  durationMs: number,
  tickMs: number,
  beforeTick?: (tick: number) => void,
): Set<string> {
  const profile = builtinProfile(profileId);
  let state: AlarmState = initialAlarmState();
  const raised = new Set<string>();
  for (let now = from + tickMs, tick = 0; now <= from + durationMs; now += tickMs, tick++) {
    beforeTick?.(tick);
    device.step(now);
    const readings: Record<string, Reading> = {};
    for (const [id, value] of Object.entries(device.truth().values)) readings[id] = { value, quality: 'good', ts: now };
    const result = evaluateAlarms(profile, state, readings, now);
    state = result.state;
    for (const e of result.events) if (e.kind === 'raise') raised.add(e.rule);
  }
  return raised;
}

describe("the profiles' alarm rules on the simulated devices", () => {
  it.each([
    [ELEVATOR, 3 * HOUR, 500, []],
    [PARKING, 24 * HOUR, MINUTE, ['car-park-full']],
    [WATER, 48 * HOUR, MINUTE, []],
    [CABINET, 6 * HOUR, 1000, []],
  ])('%s stays quiet without faults', (profileId, duration, tick, allowed) => {
    const { device, now } = simDevice(profileId, 50, MIDNIGHT);
    const raised = raisedAlarms(device, profileId, now, duration, tick);
    expect([...raised].filter((rule) => !allowed.includes(rule))).toEqual([]);
    // Hours of simulated time, all CPU: the lift took 1.2 s in a full run, 9.4 s in one with 2 busy loops.
  }, 60_000);

  const cases: [string, string, FaultParams, number, number, string[]][] = [
    [ELEVATOR, 'entrapment', {}, MINUTE, 500, ['entrapment-alarm', 'entrapment', 'stopped-not-level']],
    [ELEVATOR, 'power-failure', {}, MINUTE, 500, ['power-failure']],
    [ELEVATOR, 'door-open-while-moving', {}, 3 * MINUTE, 100, ['door-open-while-moving']],
    [ELEVATOR, 'overspeed', {}, 3 * MINUTE, 100, ['overspeed']],
    [ELEVATOR, 'overtravel', { side: 'top' }, MINUTE, 500, ['overtravel-top', 'safety-circuit-open']],
    [ELEVATOR, 'overtravel', { side: 'bottom' }, MINUTE, 500, ['overtravel-bottom']],
    [ELEVATOR, 'safety-circuit-open', {}, MINUTE, 500, ['safety-circuit-open']],
    [ELEVATOR, 'door-lock-open', {}, 2 * MINUTE, 500, ['door-lock-open']],
    [ELEVATOR, 'stopped-not-level', {}, 10 * MINUTE, 500, ['stopped-not-level']],
    [ELEVATOR, 'fault-code', { code: 62 }, MINUTE, 500, ['controller-fault']],
    [PARKING, 'sensor-faults', { count: 12 }, 10 * MINUTE, 10_000, ['sensor-faults']],
    [PARKING, 'full', {}, 10 * MINUTE, 10_000, ['car-park-full']],
    [PARKING, 'low-supply', { volts: 20 }, 2 * MINUTE, 1000, ['low-supply', 'on-battery']],
    [WATER, 'leak', { rate: 0.1 }, 4 * HOUR, MINUTE, ['leak']],
    [WATER, 'reverse-flow', {}, 5 * MINUTE, 10_000, ['reverse-flow']],
    [WATER, 'freeze', {}, 30 * MINUTE, 10_000, ['freeze-risk']],
    [WATER, 'empty-pipe', {}, 10 * MINUTE, 10_000, ['empty-pipe', 'sensor-error']],
    [WATER, 'tamper', {}, MINUTE, 10_000, ['tamper']],
    [WATER, 'low-battery', {}, 2 * HOUR, MINUTE, ['low-battery']],
    [WATER, 'meter-replaced', {}, MINUTE, 10_000, ['meter-replaced']],
    [CABINET, 'conflict-fault', {}, MINUTE, 1000, ['conflict-fault']],
    [CABINET, 'mains-failure', { drain: 1 }, 10 * MINUTE, 1000, ['mains-failure', 'ups-battery-low', 'signals-dark']],
    [CABINET, 'door-open', {}, MINUTE, 1000, ['door-open']],
    [CABINET, 'red-lamp-failure', { group: 2 }, MINUTE, 1000, ['red-lamp-failure']],
    [CABINET, 'lamp-failure', {}, MINUTE, 1000, ['lamp-failure']],
    [CABINET, 'detector-fault', {}, 10 * MINUTE, 1000, ['detector-fault']],
  ];

  it.each(cases)('%s: %s %j raises its rules', (profileId, fault, params, duration, tick, expected) => {
    // Start at 01:00 so a leak runs through the night, when nothing else flows.
    const { device, now } = simDevice(profileId, 60, MIDNIGHT + HOUR);
    // meter-replaced is one-shot: inject it once the rules have seen the old serial number.
    const oneShot = fault === 'meter-replaced';
    if (!oneShot) device.injectFault(fault, params);
    const raised = raisedAlarms(device, profileId, now, duration, tick, (i) => {
      if (oneShot && i === 2) device.injectFault(fault, params);
    });
    expect([...raised].sort()).toEqual(expect.arrayContaining(expected));
  });
});
