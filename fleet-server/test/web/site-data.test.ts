import { describe, expect, it } from 'vitest';
import type { SiteDevice } from '../../web/src/api/types.js';
import { decodeBays, freeBays } from '../../web/src/lib/bays.js';
import { todaysConsumption } from '../../web/src/lib/consumption.js';
import { applyValues, valueOf } from '../../web/src/lib/device-values.js';

describe('car-park bays from the bitfields', () => {
  it('decodes bay n from bit n-1, with sensor faults, limited to the bays configured', () => {
    const occupied = [true, false, false, true, false, false];
    const fault = [false, false, true, false, false, false];
    const bays = decodeBays(occupied, fault, 4);
    expect(bays).toEqual([
      { number: 1, occupied: true, fault: false },
      { number: 2, occupied: false, fault: false },
      { number: 3, occupied: false, fault: true },
      { number: 4, occupied: true, fault: false },
    ]);
    expect(freeBays(bays)).toBe(1);
  });

  it('uses the bitfield size without a bays-configured value, and unknown occupancy without a reading', () => {
    expect(decodeBays(Array(128).fill(false), undefined)).toHaveLength(128);
    const unknown = decodeBays(null, undefined, 3);
    expect(unknown.map((b) => b.occupied)).toEqual([null, null, null]);
    expect(freeBays(unknown)).toBe(0);
  });
});

describe("today's water consumption", () => {
  it('is the latest total minus the first good total of the day', () => {
    const today = [
      { ts: 3000, value: 105.5, quality: 'good' },
      { ts: 1000, value: 100, quality: 'good' },
      { ts: 500, value: null, quality: 'comm-fail' },
    ];
    expect(todaysConsumption(today, { ts: 9000, value: 112.25, quality: 'good' })).toBeCloseTo(12.25);
    expect(todaysConsumption(today)).toBeCloseTo(5.5);
  });

  it('is unknown without readings today or after a meter replacement (total went down)', () => {
    expect(todaysConsumption([], { ts: 9000, value: 5, quality: 'good' })).toBeNull();
    expect(todaysConsumption([{ ts: 1000, value: 900, quality: 'good' }], { ts: 9000, value: 3, quality: 'good' })).toBeNull();
  });
});

describe('live values applied to a site', () => {
  const dev = (device: string): SiteDevice => ({
    gateway: 'gw-a', device, name: null, location: null, profile: 'liftronic-lmi-200', family: 'elevator',
    state: 'ok', gatewayStatus: 'online', lastGoodAt: 1000,
    values: [{ point: 'floor', value: 1, quality: 'good', ts: 1000, name: 'Current floor', unit: 'floor' }],
  });

  it('replaces newer readings, keeps names, adds new points, ignores older readings and other devices', () => {
    const before = [dev('lift-1'), dev('lift-2')];
    const after = applyValues(before, 'gw-a', 'lift-1', [
      { point: 'floor', value: 4, quality: 'good', ts: 2000 },
      { point: 'direction', value: 1, quality: 'good', ts: 2000 },
    ]);
    expect(valueOf(after[0]!, 'floor')).toMatchObject({ value: 4, name: 'Current floor', unit: 'floor' });
    expect(valueOf(after[0]!, 'direction')?.value).toBe(1);
    expect(after[0]!.lastGoodAt).toBe(2000);
    expect(after[1]).toBe(before[1]);
    const late = applyValues(after, 'gw-a', 'lift-1', [{ point: 'floor', value: 2, quality: 'good', ts: 1500 }]);
    expect(valueOf(late[0]!, 'floor')?.value).toBe(4);
  });
});
