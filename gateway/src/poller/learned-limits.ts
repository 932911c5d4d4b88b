import type { Hole, PlanLimits, Table } from '@edgefleet/device-profiles';
import type { LearnedLimits } from '@edgefleet/protocol';

/** What one poll cycle found out; holes in 0-based protocol addresses. */
export interface Learning {
  maxRegisters?: number;
  maxBits?: number;
  holes: { table: Table; from: number; to: number }[];
}

export function emptyLearning(): Learning {
  return { holes: [] };
}

export function isEmptyLearning(l: Learning): boolean {
  return l.maxRegisters === undefined && l.maxBits === undefined && l.holes.length === 0;
}

export function mergeLearning(into: Learning, more: Learning): void {
  into.maxRegisters = minDefined(into.maxRegisters, more.maxRegisters);
  into.maxBits = minDefined(into.maxBits, more.maxBits);
  into.holes.push(...more.holes);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/**
 * Folds a cycle's learning into what the device is known to do. Limits only ever tighten; holes
 * are stored in the profile's numbering (like transport.holes, so planReads takes them as they
 * are), merged where they touch. Returns undefined when nothing new was learned.
 */
export function applyLearning(prev: LearnedLimits | undefined, learning: Learning, base: number, now: number): LearnedLimits | undefined {
  const maxRegisters = minDefined(prev?.maxRegisters, learning.maxRegisters);
  const maxBits = minDefined(prev?.maxBits, learning.maxBits);
  const holes = mergeHoles([...(prev?.holes ?? []), ...learning.holes.map((h) => ({ table: h.table, from: h.from + base, to: h.to + base }))]);
  const changed = maxRegisters !== prev?.maxRegisters || maxBits !== prev?.maxBits || JSON.stringify(holes) !== JSON.stringify(mergeHoles(prev?.holes ?? []));
  if (!changed) return undefined;
  const next: LearnedLimits = { holes, learnedAt: now };
  if (maxRegisters !== undefined) next.maxRegisters = maxRegisters;
  if (maxBits !== undefined) next.maxBits = maxBits;
  return next;
}

/** Sorted per table, overlapping or adjacent ranges joined. */
export function mergeHoles(holes: readonly Hole[]): Hole[] {
  const sorted = [...holes].sort((a, b) => a.table.localeCompare(b.table) || a.from - b.from);
  const out: Hole[] = [];
  for (const h of sorted) {
    const last = out.at(-1);
    if (last !== undefined && last.table === h.table && h.from <= last.to + 1) last.to = Math.max(last.to, h.to);
    else out.push({ ...h });
  }
  return out;
}

/** Learned limits as planReads overrides (they only ever tighten the profile's). */
export function toPlanOverrides(learned: LearnedLimits | undefined): Partial<PlanLimits> {
  if (learned === undefined) return {};
  const out: Partial<PlanLimits> = { holes: learned.holes };
  if (learned.maxRegisters !== undefined) out.maxRegisters = learned.maxRegisters;
  if (learned.maxBits !== undefined) out.maxBits = learned.maxBits;
  return out;
}
