import { isBitTable, planReads, pointSpan, protocolAddress } from '@edgefleet/device-profiles';
import type { Point, PollClass, Profile, ReadRequest } from '@edgefleet/device-profiles';
import type { LearnedLimits } from '@edgefleet/protocol';
import type { NewEvent } from '../outbox/outbox-types.js';
import { applyLearning, toPlanOverrides } from './learned-limits.js';
import type { Learning } from './learned-limits.js';
import { isConverged, learnCap, planCap } from './read-cap.js';
import type { ReadCap } from './read-cap.js';

type CapKind = 'registers' | 'bits';

/**
 * A device's read plan per poll class, and what the gateway learned about the device's limits.
 * Points inside a learned hole are left out of every plan for good: the device does not have
 * them. They got one comm-fail reading when the hole was found and are listed in the
 * LIMITS_LEARNED notice (skippedPoints) and in health (learned.holes).
 */
export class DevicePlan {
  readonly #profile: Profile;
  readonly #points: ReadonlyMap<PollClass, readonly Point[]>;
  readonly #plans = new Map<PollClass, ReadRequest[]>();
  readonly #excluded = new Set<string>();
  readonly #caps: Partial<Record<CapKind, ReadCap>> = {};
  #learned: LearnedLimits | undefined;

  constructor(profile: Profile, points: ReadonlyMap<PollClass, readonly Point[]>) {
    this.#profile = profile;
    this.#points = points;
    this.#replan();
  }

  get learned(): LearnedLimits | undefined {
    return this.#learned;
  }

  isExcluded(pointId: string): boolean {
    return this.#excluded.has(pointId);
  }

  plan(cls: PollClass): ReadRequest[] {
    return this.#plans.get(cls) ?? [];
  }

  /** Limits loaded from the store at start (their caps count as converged). */
  restore(learned: LearnedLimits | undefined): void {
    this.#learned = learned;
    if (learned?.maxRegisters !== undefined) this.#caps.registers = { good: learned.maxRegisters };
    if (learned?.maxBits !== undefined) this.#caps.bits = { good: learned.maxBits };
    this.#replan();
  }

  /**
   * Folds in a cycle's learning and its largest successful reads (which move a cap search along
   * once a refusal started one). Returns the new limits when they changed, and whether that is
   * worth a notice: a new hole, a first cap, or a cap search that has converged.
   */
  learn(learning: Learning, largest: Record<CapKind, number>, now: number): { learned: LearnedLimits; notice: boolean } | undefined {
    const before = { ...this.#caps };
    const caps = {
      registers: this.#stepCap('registers', learning.maxRegisters, learning.refusedRegisters, largest.registers),
      bits: this.#stepCap('bits', learning.maxBits, learning.refusedBits, largest.bits),
    };
    const update = { holes: learning.holes, maxRegisters: caps.registers?.good, maxBits: caps.bits?.good };
    const next = applyLearning(this.#learned, update, this.#profile.transport.base, now);
    const trialMoved = JSON.stringify(before) !== JSON.stringify(this.#caps);
    if (next === undefined && !trialMoved) return undefined;
    if (next !== undefined) this.#learned = next;
    this.#replan();
    const settled = (kind: CapKind): boolean => {
      const cap = this.#caps[kind];
      return cap !== undefined && JSON.stringify(cap) !== JSON.stringify(before[kind]) && (before[kind] === undefined || isConverged(cap));
    };
    const notice = (next !== undefined && learning.holes.length > 0) || settled('registers') || settled('bits');
    if (this.#learned === undefined || (next === undefined && !notice)) return undefined;
    return { learned: this.#learned, notice };
  }

  #stepCap(kind: CapKind, ok: number | undefined, refused: number | undefined, largest: number): ReadCap | undefined {
    const cap = this.#caps[kind];
    // Successful reads matter only once a refusal has started a search.
    const seenOk = Math.max(ok ?? 0, cap !== undefined ? largest : 0);
    const next = learnCap(cap, { ...(seenOk > 0 ? { ok: seenOk } : {}), ...(refused !== undefined ? { refused } : {}) });
    if (next !== undefined) this.#caps[kind] = next;
    return next;
  }

  /** One small read for a probe: the first point of the first planned read. */
  probeRequest(): ReadRequest | undefined {
    const first = [...this.#plans.values()].flat()[0];
    const point = first?.points[0];
    if (first === undefined || point === undefined) return undefined;
    return { table: first.table, address: first.address + point.offset, count: point.span, points: [{ ...point, offset: 0 }] };
  }

  notice(deviceId: string, learned: LearnedLimits, now: number): NewEvent {
    const skipped = [...this.#excluded];
    return {
      type: 'notice',
      ts: now,
      level: 'info',
      code: 'LIMITS_LEARNED',
      device: deviceId,
      message: `${deviceId}: the device refused a merged read but answered smaller ones; now reading with ${describeLimits(learned)}`,
      details: { ...learned, ...(skipped.length > 0 ? { skippedPoints: skipped } : {}) },
    };
  }

  #replan(): void {
    const { transport } = this.#profile;
    const overrides = toPlanOverrides(this.#learned);
    // While a cap search runs, plan with its trial size rather than the last size known to work.
    if (this.#caps.registers !== undefined) overrides.maxRegisters = planCap(this.#caps.registers);
    if (this.#caps.bits !== undefined) overrides.maxBits = planCap(this.#caps.bits);
    const holes = overrides.holes ?? [];
    // Never below the widest point: it has to come back in one read (it did, or it is in a hole).
    const widest = (bits: boolean): number =>
      Math.max(1, ...this.#profile.points.filter((p) => isBitTable(p.table) === bits).map((p) => pointSpan(p)));
    if (overrides.maxRegisters !== undefined) overrides.maxRegisters = Math.max(overrides.maxRegisters, widest(false));
    if (overrides.maxBits !== undefined) overrides.maxBits = Math.max(overrides.maxBits, widest(true));
    for (const [cls, points] of this.#points) {
      const keep = points.filter((p) => {
        // Learned holes are in the profile's numbering, like transport.holes.
        const from = protocolAddress(p, transport) + transport.base;
        const to = from + pointSpan(p) - 1;
        const inHole = holes.some((h) => h.table === p.table && h.from <= to && h.to >= from);
        if (inHole) this.#excluded.add(p.id);
        return !inHole;
      });
      this.#plans.set(cls, planReads(keep, transport, overrides));
    }
  }
}

export function describeLimits(l: LearnedLimits): string {
  const parts: string[] = [];
  if (l.maxRegisters !== undefined) parts.push(`at most ${l.maxRegisters} registers per read`);
  if (l.maxBits !== undefined) parts.push(`at most ${l.maxBits} bits per read`);
  if (l.holes.length > 0) parts.push(`holes ${l.holes.map((h) => `${h.table} ${h.from}..${h.to}`).join(', ')}`);
  return parts.join('; ');
}
