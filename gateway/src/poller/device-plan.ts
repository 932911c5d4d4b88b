import { isBitTable, planReads, pointSpan, protocolAddress } from '@edgefleet/device-profiles';
import type { Point, PollClass, Profile, ReadRequest } from '@edgefleet/device-profiles';
import type { LearnedLimits } from '@edgefleet/protocol';
import type { NewEvent } from '../outbox/outbox-types.js';
import { applyLearning, toPlanOverrides } from './learned-limits.js';
import type { Learning } from './learned-limits.js';

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

  /** Limits loaded from the store at start. */
  restore(learned: LearnedLimits | undefined): void {
    this.#learned = learned;
    this.#replan();
  }

  /** Folds in a cycle's learning; returns the new limits, or undefined when nothing changed. */
  learn(learning: Learning, now: number): LearnedLimits | undefined {
    const next = applyLearning(this.#learned, learning, this.#profile.transport.base, now);
    if (next === undefined) return undefined;
    this.#learned = next;
    this.#replan();
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
