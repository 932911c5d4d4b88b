import { describe, expect, it } from 'vitest';
import { ProfileRegistry, loadBuiltinProfiles } from '@edgefleet/device-profiles';
import type { Quality, WireValue } from '@edgefleet/protocol';
import { isCarParkProfile, summarizeCarPark } from '../../src/api/car-park-summary.js';
import type { Device, LatestValue } from '../../src/store/store-types.js';

const profiles = new ProfileRegistry(loadBuiltinProfiles());
const parking = profiles.get('parksense-pgc-128');
const device: Device = { gateway: 'gw-a', device: 'level-1', profile: parking.id, name: 'Level 1', location: 'P1' };
const NOW = 1_800_000_000_000;
const MAX_AGE = 1_200_000;

const value = (point: string, v: WireValue, ts = NOW - 1_000, quality: Quality = 'good'): LatestValue =>
  ({ gateway: 'gw-a', device: 'level-1', point, ts, seq: 1, value: v, quality });
const bits = (n: number, occupied: number[]): boolean[] => Array.from({ length: n }, (_, i) => occupied.includes(i));

describe('summarizeCarPark', () => {
  it('knows car parks by the profile family', () => {
    expect(profiles.list().filter(isCarParkProfile).map((p) => p.id)).toEqual(['parksense-pgc-128']);
  });

  it.each([
    {
      name: 'uses the controller free count and its configured bays',
      latest: [value('free-count', 30), value('occupied-count', 70), value('bays-configured', 100), value('faulty-sensors', 0)],
      want: { free: 30, occupied: 70, capacity: 100, source: 'free-count', faultySensors: 0, stale: false },
    },
    {
      name: 'falls back to the per-bay bits, counting only configured bays',
      latest: [value('bays-configured', 4), value('bay-occupied', bits(128, [0, 2, 100]))],
      want: { free: 2, occupied: 2, capacity: 4, source: 'bays', stale: false },
    },
    {
      name: 'takes capacity from the profile bitfield size when the controller has not reported it',
      latest: [value('bay-occupied', bits(128, [1, 2, 3]))],
      want: { free: 125, occupied: 3, capacity: 128, source: 'bays' },
    },
    {
      name: 'prefers newer bay bits over an older free count',
      latest: [value('free-count', 50, NOW - 60_000), value('bay-occupied', bits(128, [0]), NOW - 1_000)],
      want: { free: 127, source: 'bays', ts: NOW - 1_000 },
    },
    {
      name: 'counts faulty sensors from the fault bits when no count arrived',
      latest: [value('free-count', 10), value('bay-sensor-fault', bits(128, [5, 6]))],
      want: { free: 10, faultySensors: 2 },
    },
    {
      name: 'flags an old count stale',
      latest: [value('free-count', 10, NOW - MAX_AGE - 1)],
      want: { free: 10, stale: true, ageMs: MAX_AGE + 1 },
    },
    {
      name: 'flags a comm-fail count stale and keeps its quality visible',
      latest: [value('free-count', null, NOW - 1_000, 'comm-fail'), value('bay-occupied', null, NOW - 2_000, 'comm-fail')],
      want: { free: null, occupied: null, source: 'free-count', quality: 'comm-fail', ts: NOW - 1_000, ageMs: 1_000, stale: true },
    },
    {
      name: 'says stale with no readings at all',
      latest: [],
      want: { free: null, occupied: null, capacity: 128, ts: null, quality: null, ageMs: null, stale: true },
    },
    {
      name: 'ignores other devices of the gateway',
      latest: [{ ...value('free-count', 99), device: 'level-2' }],
      want: { free: null, stale: true },
    },
  ])('$name', ({ latest, want }) => {
    expect(summarizeCarPark(device, parking, latest, NOW, MAX_AGE)).toMatchObject(want);
  });

  it('a comm-fail bitfield gives no count but keeps its read time and quality', () => {
    const s = summarizeCarPark(device, parking, [value('bay-occupied', null, NOW - 3_000, 'comm-fail')], NOW, MAX_AGE);
    expect(s).toMatchObject({ free: null, occupied: null, source: 'bays', quality: 'comm-fail', ts: NOW - 3_000, stale: true });
  });

  it('a stale-quality free count is reported with its quality and flagged stale', () => {
    const s = summarizeCarPark(device, parking, [value('free-count', 12, NOW - 5_000, 'stale')], NOW, MAX_AGE);
    expect(s).toMatchObject({ free: 12, quality: 'stale', stale: true, ts: NOW - 5_000, ageMs: 5_000 });
  });
});
