import type { Hole, PlanLimits, Table } from '@edgefleet/device-profiles';
import type { LearnedLimits } from '@edgefleet/protocol';

/**
 * What one poll cycle found out; holes in 0-based protocol addresses. maxRegisters/maxBits: the
 * largest read that worked where a larger one was refused; refused*: the refused size.
 */
export interface Learning {
  maxRegisters?: number;
  maxBits?: number;
  refusedRegisters?: number;
  refusedBits?: number;
  holes: { table: Table; from: number; to: number }[];
}

export function emptyLearning(): Learning {
  return { holes: [] };
}

export function isEmptyLearning(l: Learning): boolean {
  return l.maxRegisters === undefined && l.maxBits === undefined && l.holes.length === 0;
}

export function mergeLearning(into: Learning, more: Learning): void {
  into.maxRegisters = pick(Math.max, into.maxRegisters, more.maxRegisters);
  into.maxBits = pick(Math.max, into.maxBits, more.maxBits);
  into.refusedRegisters = pick(Math.min, into.refusedRegisters, more.refusedRegisters);
  into.refusedBits = pick(Math.min, into.refusedBits, more.refusedBits);
  into.holes.push(...more.holes);
}

function pick(f: (a: number, b: number) => number, a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return f(a, b);
}

/**
 * The new learned limits: the caps as given (ReadCap decides them), holes added to the known
 * ones in the profile's numbering (like transport.holes, so planReads takes them as they are),
 * merged where they touch. Returns undefined when nothing changed.
 */
export function applyLearning(
  prev: LearnedLimits | undefined,
  update: { maxRegisters?: number; maxBits?: number; holes: Learning['holes'] },
  base: number,
  now: number,
): LearnedLimits | undefined {
  const maxRegisters = update.maxRegisters ?? prev?.maxRegisters;
  const maxBits = update.maxBits ?? prev?.maxBits;
  const learning = update;
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
