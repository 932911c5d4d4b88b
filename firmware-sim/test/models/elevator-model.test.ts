import { describe, expect, it } from 'vitest';
import type { Profile } from '@edgefleet/device-profiles';
import { ElevatorModel } from '../../src/models/elevator-model.js';
import { ModelProfileError } from '../../src/models/profile-points.js';
import { ELEVATOR, builtinProfile, label, masterWrite, rawOf, run, simDevice } from './sim-fixture.js';

const MINUTE = 60_000;

describe('elevator model', () => {
  it('travels between floors, levels at each stop and cycles its doors', () => {
    const { device, profile, now } = simDevice(ELEVATOR, 5);
    const floorsOpened = new Set<number>();
    const doorSequence: string[] = [];
    let movingWithDoorNotClosed = 0;
    let openButNotLevelled = 0;
    run(device, now, 20 * MINUTE, 250, (v) => {
      const door = label(profile, 'door-state', v['door-state']) ?? '?';
      if (doorSequence.at(-1) !== door) doorSequence.push(door);
      if (door === 'open') floorsOpened.add(v.floor as number);
      if (v.moving === true && door !== 'closed') movingWithDoorNotClosed++;
      if (door === 'open' && v.levelled !== true) openButNotLevelled++;
    });
    expect(floorsOpened.size).toBeGreaterThanOrEqual(4);
    expect(movingWithDoorNotClosed).toBe(0);
    expect(openButNotLevelled).toBe(0);
    // Doors always go closed → opening → open → closing → closed.
    const next: Record<string, string> = { closed: 'opening', opening: 'open', open: 'closing', closing: 'closed' };
    doorSequence.slice(0, -1).forEach((state, i) => expect(doorSequence[i + 1]).toBe(next[state]));
  });

  it('reports direction and speed consistent with the floor it moves to, within rated speed', () => {
    const { device, now } = simDevice(ELEVATOR, 9);
    let previous: number | undefined;
    let checked = 0;
    run(device, now, 10 * MINUTE, 100, (v) => {
      const floor = v.floor as number;
      expect(v.speed as number).toBeLessThanOrEqual(1.61);
      expect(floor).toBeGreaterThanOrEqual(-2);
      expect(floor).toBeLessThanOrEqual(20);
      if (previous !== undefined && floor !== previous) {
        expect(v.moving).toBe(true);
        expect(v.direction).toBe(floor > previous ? 1 : 2);
        checked++;
      }
      previous = floor;
    });
    expect(checked).toBeGreaterThan(5);
  });

  it('counts trips and door cycles without ever going backwards, and running hours grow', () => {
    const { device, now } = simDevice(ELEVATOR, 2);
    let trips = 0;
    let cycles = 0;
    run(device, now, 2 * 3_600_000, 1000, (v) => {
      expect(v.trips as number).toBeGreaterThanOrEqual(trips);
      expect(v['door-cycles'] as number).toBeGreaterThanOrEqual(cycles);
      trips = v.trips as number;
      cycles = v['door-cycles'] as number;
    });
    expect(trips).toBeGreaterThan(100);
    expect(cycles).toBeGreaterThan(100);
    expect(device.truth().values['running-hours'] as number).toBeGreaterThan(0.1);
  });

  it('replays exactly from the same seed and times', () => {
    const trace = (seed: number): string[] => {
      const { device, now } = simDevice(ELEVATOR, seed);
      const out: string[] = [];
      run(device, now, 5 * MINUTE, 700, (v) => out.push(`${String(v.floor)}/${String(v['door-state'])}/${String(v.speed)}`));
      return out;
    };
    expect(trace(42)).toEqual(trace(42));
    expect(trace(42)).not.toEqual(trace(43));
  });

  it('obeys a master writing out-of-service: no trips after the running one, doors closed', () => {
    const { device, unit, profile, now } = simDevice(ELEVATOR, 3);
    masterWrite(unit, 'mode', rawOf(profile, 'mode', 'out-of-service'));
    const settled = run(device, now, 2 * MINUTE, 500);
    const trips = device.truth().values.trips;
    run(device, settled, 10 * MINUTE, 500, (v) => {
      expect(v.trips).toBe(trips);
      expect(label(profile, 'door-state', v['door-state'])).toBe('closed');
      expect(label(profile, 'mode', v.mode)).toBe('out-of-service');
    });
  });

  it('entrapment: stopped between floors, doors closed, alarm pressed; clearing it relevels and opens the doors', () => {
    const { device, profile, now } = simDevice(ELEVATOR, 4);
    device.injectFault('entrapment');
    const t = run(device, now, 60_000, 500, (v) => {
      expect(v.moving).toBe(false);
      expect(v.levelled).toBe(false);
      expect(label(profile, 'door-state', v['door-state'])).toBe('closed');
      expect(v['alarm-button']).toBe(true);
    });
    device.clearFault('entrapment');
    let opened = false;
    run(device, t, 30_000, 250, (v) => {
      if (label(profile, 'door-state', v['door-state']) === 'open') opened = v.levelled === true;
    });
    expect(opened).toBe(true);
    expect(device.truth().values['alarm-button']).toBe(false);
  });

  it('power failure and an open safety circuit stop a moving car where it is', () => {
    for (const fault of ['power-failure', 'safety-circuit-open']) {
      const { device, now } = simDevice(ELEVATOR, 6);
      let t = now;
      while (device.truth().values.moving !== true) t = run(device, t, 200, 100);
      device.injectFault(fault);
      run(device, t, 30_000, 500, (v) => {
        expect(v.moving).toBe(false);
        expect(v.speed).toBe(0);
        expect(v[fault]).toBe(true);
      });
      expect(device.truth().values['fault-code']).toBe(fault === 'power-failure' ? 51 : 11);
    }
  });

  it('door open while moving, overspeed and door-lock faults show in the points the rules read', () => {
    const { device, profile, now } = simDevice(ELEVATOR, 7);
    device.injectFault('door-open-while-moving');
    let seen = false;
    let t = run(device, now, 2 * MINUTE, 100, (v) => {
      if (v.moving === true && label(profile, 'door-state', v['door-state']) === 'open') seen = true;
    });
    expect(seen).toBe(true);
    device.clearFault('door-open-while-moving');

    device.injectFault('overspeed');
    let top = 0;
    t = run(device, t, 3 * MINUTE, 100, (v) => {
      top = Math.max(top, v.speed as number);
      if (v.overspeed === true) expect(v.speed as number).toBeGreaterThan(1.84);
    });
    expect(top).toBeGreaterThan(2);
    device.clearFault('overspeed');

    device.injectFault('door-lock-open');
    t = run(device, t, 30_000, 500); // let a running trip finish
    const trips = device.truth().values.trips;
    run(device, t, 3 * MINUTE, 500, (v) => {
      expect(v['door-lock-open']).toBe(true);
      expect(v.trips).toBe(trips);
    });
  });

  it('overtravel, stopped-not-level and fault-code take their parameters', () => {
    const { device, now } = simDevice(ELEVATOR, 8);
    device.injectFault('overtravel', { side: 'bottom' });
    const t = run(device, now, 5000, 500);
    expect(device.truth().values).toMatchObject({ 'overtravel-bottom': true, 'overtravel-top': false, floor: -2, levelled: false, 'safety-circuit-open': true });
    device.clearFault('overtravel');
    expect(() => device.injectFault('overtravel', { side: 'sideways' })).toThrow(/side.*top, bottom/);
    expect(device.truth().faults).not.toContain('overtravel');

    device.injectFault('stopped-not-level');
    let unlevelledOpen = 0;
    run(device, t, 5 * MINUTE, 250, (v) => {
      if (v['door-state'] === 2 && v.levelled === false) unlevelledOpen++;
    });
    expect(unlevelledOpen).toBeGreaterThan(0);
    device.clearFault('stopped-not-level');

    device.injectFault('fault-code', { code: 71 });
    expect(device.truth().values['fault-code']).toBe(71);
    device.clearFault('fault-code');
    expect(device.truth().values['fault-code']).toBe(0);
  });

  it('reboot resets the counters but not the car position', () => {
    const { device, now } = simDevice(ELEVATOR, 10);
    const t = run(device, now, 30 * MINUTE, 1000);
    const before = device.truth().values;
    expect(before.trips as number).toBeGreaterThan(0);
    device.injectFault('reboot');
    const after = device.truth().values;
    expect(after).toMatchObject({ trips: 0, 'door-cycles': 0, 'running-hours': 0, floor: before.floor });
    expect(device.truth().faults).toEqual([]);
    run(device, t, 10 * MINUTE, 1000);
    expect(device.truth().values.trips as number).toBeGreaterThan(0);
  });

  it('fails at construction, naming the points, when the profile lacks what it needs', () => {
    const profile = builtinProfile(ELEVATOR);
    const thin: Profile = { ...profile, points: profile.points.filter((p) => p.id !== 'door-state' && p.id !== 'trips') };
    expect(() => new ElevatorModel(thin, 1)).toThrow(ModelProfileError);
    expect(() => new ElevatorModel(thin, 1)).toThrow(/lacks point\(s\) door-state, trips/);
  });
});
