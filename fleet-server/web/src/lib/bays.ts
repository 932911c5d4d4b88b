// Car-park bays from parksense-pgc-128's bitfield points (device-profiles/profiles/
// parksense-pgc-128.yaml): `bay-occupied` and `bay-sensor-fault`, bay n = bit n-1.
import type { WireValue } from '../api/types.js';

export interface Bay {
  number: number;
  occupied: boolean | null;
  fault: boolean;
}

const bitsOf = (v: WireValue | undefined): readonly boolean[] | null => (Array.isArray(v) ? v : null);

/**
 * One entry per bay in service: `bays-configured` of them when known (the controller has 128
 * bits but may serve fewer bays), else as many as the bitfield has. Without an occupancy
 * reading `occupied` is null (unknown), not free.
 */
export function decodeBays(occupied: WireValue | undefined, fault: WireValue | undefined, configured?: WireValue): Bay[] {
  const occ = bitsOf(occupied);
  const flt = bitsOf(fault);
  const size = typeof configured === 'number' && configured >= 0 ? Math.floor(configured) : (occ?.length ?? flt?.length ?? 0);
  const bays: Bay[] = [];
  for (let i = 0; i < size; i++) {
    bays.push({ number: i + 1, occupied: occ === null ? null : occ[i] === true, fault: flt?.[i] === true });
  }
  return bays;
}

/** Free bays among those with a working sensor and a known state. */
export function freeBays(bays: readonly Bay[]): number {
  return bays.filter((b) => b.occupied === false && !b.fault).length;
}
