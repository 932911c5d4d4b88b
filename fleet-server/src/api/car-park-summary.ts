import type { Point, Profile } from '@edgefleet/device-profiles';
import type { Quality } from '@edgefleet/protocol';
import type { Device, LatestValue } from '../store/store-types.js';

/**
 * Free spaces of one car-park zone controller, derived from its latest values and its profile.
 * Pure, so the rules below are table-tested without a server.
 */

/**
 * The parking family's point ids: the same contract the firmware simulator's parking model
 * requires of a profile. Which points exist, how many bays the bay bitfields hold and the
 * counters' limits come from the profile itself.
 */
export const PARKING_POINTS = {
  free: 'free-count',
  occupied: 'occupied-count',
  configured: 'bays-configured',
  faulty: 'faulty-sensors',
  bays: 'bay-occupied',
  bayFaults: 'bay-sensor-fault',
} as const;

export interface CarParkSummary {
  gateway: string;
  device: string;
  name: string;
  location: string | null;
  profile: string;
  /** Bays in service: the controller's configured count, else the profile's bay bitfield size. */
  capacity: number | null;
  free: number | null;
  occupied: number | null;
  /** Bay sensors reporting a fault. A faulty sensor reports its bay free, so `free` may be too high. */
  faultySensors: number | null;
  /** Which reading `free` comes from: the controller's own count, or the per-bay bits. */
  source: 'free-count' | 'bays' | null;
  /** Read time and quality of that reading: old or non-good data is visible, never hidden. */
  ts: number | null;
  quality: Quality | null;
  ageMs: number | null;
  /** No reading, quality not good, or older than the caller's maxAge. */
  stale: boolean;
}

export const isCarParkProfile = (profile: Profile): boolean => profile.family === 'parking';

type Valued<T> = Omit<LatestValue, 'value'> & { value: T };

const pointOf = (profile: Profile, id: string): Point | undefined => profile.points.find((p) => p.id === id);

function numberValue(values: ReadonlyMap<string, LatestValue>, profile: Profile, id: string): Valued<number> | undefined {
  const v = pointOf(profile, id) ? values.get(id) : undefined;
  return v && typeof v.value === 'number' ? { ...v, value: v.value } : undefined;
}

function bitsValue(values: ReadonlyMap<string, LatestValue>, profile: Profile, id: string): Valued<boolean[]> | undefined {
  const point = pointOf(profile, id);
  const v = point?.type === 'bits' ? values.get(id) : undefined;
  return v && Array.isArray(v.value) ? { ...v, value: v.value } : undefined;
}

export function summarizeCarPark(
  device: Device,
  profile: Profile,
  latest: readonly LatestValue[],
  now: number,
  maxAgeMs: number,
): CarParkSummary {
  const values = new Map(latest.filter((v) => v.device === device.device).map((v) => [v.point, v]));
  const configured = numberValue(values, profile, PARKING_POINTS.configured);
  const bayPoint = pointOf(profile, PARKING_POINTS.bays);
  const capacity = configured?.value ?? bayPoint?.count ?? pointOf(profile, PARKING_POINTS.free)?.max ?? null;

  // Readings of any quality: a comm-fail count (value null) must show as such, not vanish.
  const freeReading = pointOf(profile, PARKING_POINTS.free) ? values.get(PARKING_POINTS.free) : undefined;
  const bayReading = bayPoint?.type === 'bits' ? values.get(PARKING_POINTS.bays) : undefined;
  let free: number | null = null;
  let occupied: number | null = numberValue(values, profile, PARKING_POINTS.occupied)?.value ?? null;
  let basis: Omit<LatestValue, 'value'> | undefined;
  let source: CarParkSummary['source'] = null;
  // The controller's count wins unless the bay bits are newer: it is what its sign shows.
  if (freeReading && !(bayReading && bayReading.ts > freeReading.ts)) {
    free = typeof freeReading.value === 'number' ? freeReading.value : null;
    if (free === null) occupied = null;
    basis = freeReading;
    source = 'free-count';
  } else if (bayReading) {
    basis = bayReading;
    source = 'bays';
    occupied = null;
    if (Array.isArray(bayReading.value)) {
      // Only the bays in service count; bits past the configured number are unused inputs.
      const inService = bayReading.value.slice(0, capacity ?? bayReading.value.length);
      const taken = inService.filter(Boolean).length;
      occupied = taken;
      free = inService.length - taken;
    }
  }

  const faultyCount = numberValue(values, profile, PARKING_POINTS.faulty);
  const bayFaults = bitsValue(values, profile, PARKING_POINTS.bayFaults);
  const faultySensors = faultyCount?.value ?? (bayFaults ? bayFaults.value.slice(0, capacity ?? undefined).filter(Boolean).length : null);

  const ageMs = basis ? Math.max(0, now - basis.ts) : null;
  return {
    gateway: device.gateway,
    device: device.device,
    name: device.name,
    location: device.location,
    profile: profile.id,
    capacity,
    free,
    occupied,
    faultySensors,
    source,
    ts: basis?.ts ?? null,
    quality: basis?.quality ?? null,
    ageMs,
    stale: !basis || basis.quality !== 'good' || (ageMs ?? 0) > maxAgeMs,
  };
}
