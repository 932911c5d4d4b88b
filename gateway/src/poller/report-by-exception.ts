import type { Quality, WireValue } from '@edgefleet/protocol';

/** What was last sent for a point. */
export interface Reported {
  value: WireValue;
  quality: Quality;
}

/**
 * Report-by-exception: send a reading when its quality changed, or a number moved by at least
 * the point's deadband from the last value SENT (not the last read, so slow drift still gets
 * reported), or any other value changed. Without a deadband any change counts.
 */
export function shouldReport(last: Reported | undefined, next: Reported, deadband: number | undefined): boolean {
  if (last === undefined || last.quality !== next.quality) return true;
  if (typeof next.value === 'number' && typeof last.value === 'number') {
    if (deadband === undefined || deadband === 0) return next.value !== last.value;
    return Math.abs(next.value - last.value) >= deadband;
  }
  return !sameValue(last.value, next.value);
}

export function sameValue(a: WireValue, b: WireValue): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((bit, i) => bit === b[i]);
  return a === b;
}

/** Stale after this many class intervals without a successful read (then reported once). */
export const STALE_AFTER_INTERVALS = 3;

/** A good value older than STALE_AFTER_INTERVALS × its class interval is stale. */
export function isStale(lastGoodAt: number | undefined, now: number, intervalMs: number): boolean {
  return lastGoodAt !== undefined && now - lastGoodAt > STALE_AFTER_INTERVALS * intervalMs;
}

/** A full snapshot is due on the first cycle and every snapshotMs after the last one. */
export function isSnapshotDue(lastSnapshotAt: number | undefined, now: number, snapshotMs: number): boolean {
  return lastSnapshotAt === undefined || now - lastSnapshotAt >= snapshotMs;
}
