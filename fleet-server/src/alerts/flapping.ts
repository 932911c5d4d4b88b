/**
 * Flapping: a rule that changed state (raise or clear) more than `maxChanges` times within
 * `windowMs` is held "flapping" until it has been stable (no change) for a whole `windowMs`.
 * While flapping, no new notification round is planned; the alert itself is still recorded.
 */
export interface FlappingPolicy {
  readonly maxChanges: number;
  readonly windowMs: number;
}

export const DEFAULT_FLAPPING_POLICY: FlappingPolicy = { maxChanges: 4, windowMs: 10 * 60_000 };

/** `changes`: times of raise/clear events for one (gateway, device, rule), any order. */
export function isFlapping(changes: readonly number[], now: number, policy: FlappingPolicy): boolean {
  // Only the current unbroken run counts: a stable gap of windowMs ends flapping.
  const sorted = pruneChanges(changes.filter((t) => t <= now), now, policy);
  for (let i = 0; i < sorted.length; i += 1) {
    const from = sorted[i] ?? 0;
    let count = 0;
    for (let j = i; j < sorted.length && (sorted[j] ?? 0) - from < policy.windowMs; j += 1) count += 1;
    if (count > policy.maxChanges) return true;
  }
  return false;
}

/** Keeps only the changes that can still matter: a run of them, each closer than windowMs to the next. */
export function pruneChanges(changes: readonly number[], now: number, policy: FlappingPolicy): number[] {
  const sorted = [...changes].sort((a, b) => a - b);
  let keepFrom = sorted.length;
  let next = now;
  for (let i = sorted.length - 1; i >= 0; i -= 1) {
    const t = sorted[i] ?? 0;
    if (next - t >= policy.windowMs) break;
    keepFrom = i;
    next = t;
  }
  return sorted.slice(keepFrom);
}
