/**
 * What is known about the largest read a device takes, of one kind (registers or bits):
 * `good`, the largest read that worked, and `refused`, the smallest refused on size grounds.
 * Halving a refused read finds a size that works, not the device's real limit (a device capped
 * at 16 that refuses 37 ends up at 9 after two halvings). So while good and refused are more
 * than one apart, the planner tries the size halfway between: a success raises good, a refusal
 * lowers refused. A binary search, one step per poll cycle, at most log2(125) ≈ 7 refusals.
 */
export interface ReadCap {
  good: number;
  refused?: number;
}

/** The size to plan reads with: a trial halfway to the refused size, or good once converged. */
export function planCap(cap: ReadCap): number {
  return cap.refused !== undefined && cap.refused - cap.good > 1 ? Math.floor((cap.good + cap.refused) / 2) : cap.good;
}

export function isConverged(cap: ReadCap): boolean {
  return cap.refused === undefined || cap.refused - cap.good <= 1;
}

/** Folds in a cycle's evidence: the largest size that worked and the smallest refused. */
export function learnCap(cap: ReadCap | undefined, seen: { ok?: number; refused?: number }): ReadCap | undefined {
  const good = Math.max(cap?.good ?? 0, seen.ok ?? 0);
  if (good === 0) return cap;
  let refused = cap?.refused === undefined ? seen.refused : seen.refused === undefined ? cap.refused : Math.min(cap.refused, seen.refused);
  // A read at or above the "refused" size worked: that refusal had another cause (a hole, noise).
  if (refused !== undefined && refused <= good) refused = undefined;
  return refused === undefined ? { good } : { good, refused };
}
