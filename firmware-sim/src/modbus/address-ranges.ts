import type { Hole, Table } from '@edgefleet/device-profiles';

/** An inclusive range of 0-based protocol addresses. */
export interface AddressRange {
  from: number;
  to: number;
}

export type HoleMap = Record<Table, AddressRange[]>;

/**
 * Converts a profile's holes (written in the profile's numbering, `transport.base` 0 or 1) into
 * protocol addresses per table.
 */
export function mapHoles(holes: readonly Hole[], base: 0 | 1): HoleMap {
  const map: HoleMap = { holding: [], input: [], coil: [], discrete: [] };
  for (const hole of holes) {
    const from = Math.max(0, Math.min(hole.from, hole.to) - base);
    const to = Math.max(hole.from, hole.to) - base;
    if (to >= 0) map[hole.table].push({ from, to });
  }
  return map;
}

/** Whether `[address, address + count)` touches any of `ranges`. */
export function touchesRange(ranges: readonly AddressRange[], address: number, count: number): boolean {
  const last = address + count - 1;
  for (const r of ranges) if (address <= r.to && last >= r.from) return true;
  return false;
}
