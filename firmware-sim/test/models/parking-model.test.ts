import { describe, expect, it } from 'vitest';
import type { PointValue } from '@edgefleet/device-profiles';
import { HOUR, MIDNIGHT, PARKING, masterWrite, rawOf, run, simDevice } from './sim-fixture.js';

const count = (bits: PointValue | undefined): number => (bits as boolean[]).filter(Boolean).length;

describe('parking model', () => {
  it('keeps counts consistent with the bays, and counters with arrivals and departures, over a day', () => {
    const { device, now } = simDevice(PARKING, 11, MIDNIGHT);
    const start = device.truth().values;
    let last = start;
    let peak = 0;
    run(device, now, 24 * HOUR, 60_000, (v) => {
      const occupied = count(v['bay-occupied']);
      expect(v['occupied-count']).toBe(occupied);
      expect((v['free-count'] as number) + occupied).toBe(v['bays-configured']);
      expect(v['bays-configured']).toBe(128);
      expect(v['entry-count'] as number).toBeGreaterThanOrEqual(last['entry-count'] as number);
      expect(v['exit-count'] as number).toBeGreaterThanOrEqual(last['exit-count'] as number);
      // Every car that entered and has not left is in a bay.
      const entered = (v['entry-count'] as number) - (start['entry-count'] as number);
      const left = (v['exit-count'] as number) - (start['exit-count'] as number);
      expect(occupied - count(start['bay-occupied'])).toBe(entered - left);
      // The register holds tenths of a percent.
      expect(Math.abs((v.occupancy as number) - (occupied / 128) * 100)).toBeLessThanOrEqual(0.05 + 1e-9);
      peak = Math.max(peak, occupied);
      last = v;
    });
    expect(last['entry-count'] as number).toBeGreaterThan(300);
    expect(peak).toBeGreaterThan(100);
  });

  it('is busier by day than by night', () => {
    const { device, now } = simDevice(PARKING, 12, MIDNIGHT);
    const night = run(device, now, 5 * HOUR, 60_000);
    const atFive = device.truth().values['entry-count'] as number;
    run(device, night, 5 * HOUR, 60_000); // 05:00 → 10:00
    const morning = (device.truth().values['entry-count'] as number) - atFive;
    expect(morning).toBeGreaterThan(3 * atFive);
  });

  it('full: every bay occupied, free count 0; clearing lets cars leave again', () => {
    const { device, now } = simDevice(PARKING, 13);
    device.injectFault('full');
    const t = run(device, now, 5 * 60_000, 1000);
    expect(device.truth().values).toMatchObject({ 'free-count': 0, 'occupied-count': 128 });
    device.clearFault('full');
    run(device, t, HOUR, 60_000);
    expect(device.truth().values['free-count'] as number).toBeGreaterThan(0);
  });

  it('sensor faults: N bays flagged, reported free, counted', () => {
    const { device, now } = simDevice(PARKING, 14);
    device.injectFault('full');
    const t = run(device, now, 5 * 60_000, 1000);
    device.injectFault('sensor-faults', { count: 20 });
    run(device, t, 1000, 1000);
    const v = device.truth().values;
    const faulty = v['bay-sensor-fault'] as boolean[];
    const occupied = v['bay-occupied'] as boolean[];
    expect(count(faulty)).toBe(20);
    expect(v['faulty-sensors']).toBe(20);
    faulty.forEach((isFaulty, bay) => expect(occupied[bay]).toBe(!isFaulty));
    expect(v['free-count']).toBe(20);
    expect(() => device.injectFault('sensor-faults', { count: 500 })).toThrow(/count.*1\.\.128/);
    device.clearFault('sensor-faults');
    expect(count(device.truth().values['bay-sensor-fault'])).toBe(0);
  });

  it('low supply: the voltage sags to the parameter and the on-battery status bit is set', () => {
    const { device, now } = simDevice(PARKING, 15);
    expect(device.truth().values['supply-voltage'] as number).toBeGreaterThan(23.5);
    device.injectFault('low-supply', { volts: 19.8 });
    run(device, now, 30_000, 1000);
    const v = device.truth().values;
    expect(v['supply-voltage'] as number).toBeCloseTo(19.8, 1);
    expect((v.status as boolean[])[2]).toBe(true);
  });

  it('accepts sign settings a master writes with FC06, and reboot resets the counters', () => {
    const { device, unit, profile, now } = simDevice(PARKING, 16);
    masterWrite(unit, 'sign-mode', rawOf(profile, 'sign-mode', 'force-full'));
    masterWrite(unit, 'full-threshold', 5);
    masterWrite(unit, 'full-threshold', 999); // outside the device's range: ignored
    const t = run(device, now, HOUR, 60_000);
    expect(device.truth().values).toMatchObject({ 'sign-mode': rawOf(profile, 'sign-mode', 'force-full'), 'full-threshold': 5 });
    expect(device.truth().values['entry-count'] as number).toBeGreaterThan(0);
    const occupied = device.truth().values['occupied-count'];
    device.injectFault('reboot');
    expect(device.truth().values).toMatchObject({ 'entry-count': 0, 'exit-count': 0, uptime: 0, 'occupied-count': occupied, 'full-threshold': 5 });
    run(device, t, 10_000, 1000);
    expect(device.truth().values.uptime).toBe(10);
  });
});
