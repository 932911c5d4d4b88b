import type { RetentionConfig } from './retention-config.js';

/**
 * Pure arithmetic of the retention runs: which hours to roll up, and the prune cutoffs. Hours are
 * whole UTC hours in epoch ms, as ApiStore.rollupHours wants them.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Rollups are computed a day at a time, so a long catch-up is many short transactions. */
export const MAX_HOURS_PER_CALL = 24;

export interface HourRange {
  readonly fromHour: number;
  readonly toHour: number;
}

export const floorHour = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;

/**
 * The oldest hour whose raw telemetry is still whole. Pruning deletes ts < floorHour(pruneTime -
 * rawDays), which is never later than this, so every hour from here on can be recomputed.
 */
export function oldestWholeHour(now: number, config: Pick<RetentionConfig, 'rawDays'>): number {
  return floorHour(now - config.rawDays * DAY_MS);
}

/**
 * The hourly run: every completed hour from the mark (the first hour not yet rolled up), and
 * again the last `rollupLateHours` (late telemetry). Without a mark (first start) it rolls up all
 * the raw telemetry kept. Never reaches back past the raw retention window.
 */
export function planHourlyRollup(now: number, mark: number | undefined, config: Pick<RetentionConfig, 'rawDays' | 'rollupLateHours'>): HourRange {
  const toHour = floorHour(now);
  const floor = oldestWholeHour(now, config);
  const wanted = Math.min(mark ?? floor, toHour - config.rollupLateHours * HOUR_MS);
  return { fromHour: Math.min(Math.max(wanted, floor), toHour), toHour };
}

/** The daily run recomputes the last `rollupRecheckDays` (and anything the mark says is missing). */
export function planRecheck(now: number, mark: number | undefined, config: Pick<RetentionConfig, 'rawDays' | 'rollupRecheckDays'>): HourRange {
  const toHour = floorHour(now);
  const floor = oldestWholeHour(now, config);
  const wanted = Math.min(mark ?? floor, toHour - config.rollupRecheckDays * DAY_MS);
  return { fromHour: Math.min(Math.max(wanted, floor), toHour), toHour };
}

/** [from, to) split into calls of at most MAX_HOURS_PER_CALL hours, oldest first. */
export function chunkHours(range: HourRange, maxHours = MAX_HOURS_PER_CALL): HourRange[] {
  const chunks: HourRange[] = [];
  for (let from = range.fromHour; from < range.toHour; from += maxHours * HOUR_MS) {
    chunks.push({ fromHour: from, toHour: Math.min(from + maxHours * HOUR_MS, range.toHour) });
  }
  return chunks;
}

export interface RetentionCutoffs {
  readonly telemetryBefore: number;
  readonly seqsBefore: number;
  readonly eventsBefore: number;
}

/**
 * Raw telemetry goes on an hour boundary (an hour is pruned whole, never half, so its rollup
 * stays right) and only once rolled up: never past the mark. No mark: no telemetry is pruned.
 */
export function pruneCutoffs(now: number, mark: number | undefined, config: Pick<RetentionConfig, 'rawDays' | 'dedupDays' | 'eventDays'>): RetentionCutoffs {
  const raw = oldestWholeHour(now, config);
  return {
    telemetryBefore: Math.max(0, Math.min(raw, mark ?? 0)),
    seqsBefore: Math.max(0, now - config.dedupDays * DAY_MS),
    eventsBefore: Math.max(0, now - config.eventDays * DAY_MS),
  };
}
