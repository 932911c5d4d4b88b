import type { AlarmRule, Point, Profile } from '../schema/index.js';
import { durationMs } from '../schema/index.js';
import { conditionPoints } from './condition-points.js';
import type { ConditionContext } from './evaluate-condition.js';
import { evaluateCondition, negate } from './evaluate-condition.js';
import { messageNames, renderMessage } from './render-message.js';
import type { PointValue } from '../codec/index.js';
import type { AlarmEvent, AlarmState, Reading, RuleState } from './types.js';

type AlarmProfile = Pick<Profile, 'points' | 'alarms'>;

/**
 * Pure: previous state + new readings (may be a subset of points, e.g. only the fast class) +
 * time → new state and raise/clear events. Never mutates its inputs.
 *
 * Per rule, once per call, at most one transition:
 * - Inactive: raise when `when` has held in every evaluation from `pendingSince` until `now`
 *   and `now - pendingSince >= for` (so `for: 0s` raises on the first true evaluation).
 * - Active: clear when the clear condition — `clear` if given, else NOT `when` with thresholds
 *   widened by `hysteresis` — has held likewise for `clearFor`.
 * - Unknown (a needed point missing or not 'good'): the rule holds its state and both timers
 *   restart, so `for`/`clearFor` must be met again by good data. An alarm never clears because
 *   the device stopped answering.
 * Readings older than the stored reading of the same point are ignored, and readings of points
 * the profile does not define are dropped. Rule states of rules no longer in the profile go.
 */
export function evaluateAlarms(
  profile: AlarmProfile,
  state: AlarmState,
  readings: Readonly<Record<string, Reading>>,
  now: number,
): { state: AlarmState; events: AlarmEvent[] } {
  const points = indexPoints(profile.points);
  const { values, previous, updated } = mergeReadings(points, state, readings);
  const ctx: ConditionContext = { points, values, previous: state.previous, updated };
  const rules: Record<string, RuleState> = {};
  const events: AlarmEvent[] = [];
  for (const rule of profile.alarms) {
    const before = Object.hasOwn(state.rules, rule.id) ? state.rules[rule.id] : undefined;
    const { next, kind } = stepRule(rule, before ?? { active: false }, ctx, now);
    rules[rule.id] = next;
    if (kind !== undefined) events.push(describeEvent(rule, kind, profile.points, values, now));
  }
  return { state: { rules, values, previous }, events };
}

function mergeReadings(
  points: ReadonlyMap<string, Point>,
  state: AlarmState,
  readings: Readonly<Record<string, Reading>>,
): { values: Record<string, Reading>; previous: Record<string, PointValue>; updated: Set<string> } {
  const values = { ...state.values };
  const previous = { ...state.previous };
  const updated = new Set<string>();
  for (const [id, reading] of Object.entries(readings)) {
    const stored = Object.hasOwn(values, id) ? values[id] : undefined;
    // A reading that arrives late (a retried slow read) must not overwrite a newer one.
    if (!points.has(id) || (stored !== undefined && reading.ts < stored.ts)) continue;
    values[id] = reading;
    updated.add(id);
    if (reading.quality === 'good') previous[id] = reading.value;
  }
  return { values, previous, updated };
}

function stepRule(rule: AlarmRule, prev: RuleState, ctx: ConditionContext, now: number): { next: RuleState; kind?: 'raise' | 'clear' } {
  const facts = ruleFacts(rule);
  if (!prev.active) {
    if (evaluateCondition(rule.when, ctx) !== true) return { next: { active: false } };
    const since = startOfRun(prev.pendingSince, now);
    if (now - since >= facts.forMs) return { next: { active: true, raisedAt: now }, kind: 'raise' };
    return { next: { active: false, pendingSince: since } };
  }
  const stillActive: RuleState = prev.raisedAt === undefined ? { active: true } : { active: true, raisedAt: prev.raisedAt };
  if (holdsClear(rule, ctx) !== true) return { next: stillActive };
  const since = startOfRun(prev.clearPendingSince, now);
  if (now - since >= facts.clearForMs) return { next: { active: false }, kind: 'clear' };
  return { next: { ...stillActive, clearPendingSince: since } };
}

/** A run that "started" after now (the caller's clock went back) restarts now. */
function startOfRun(since: number | undefined, now: number): number {
  return since !== undefined && since <= now ? since : now;
}

function holdsClear(rule: AlarmRule, ctx: ConditionContext): boolean | undefined {
  if (rule.clear !== undefined) return evaluateCondition(rule.clear, ctx);
  return negate(evaluateCondition(rule.when, { ...ctx, hysteresis: rule.hysteresis ?? 0 }));
}

function describeEvent(
  rule: AlarmRule,
  kind: 'raise' | 'clear',
  points: readonly Point[],
  values: Readonly<Record<string, Reading>>,
  at: number,
): AlarmEvent {
  const named: Record<string, PointValue> = {};
  for (const id of ruleFacts(rule).named) {
    const reading = Object.hasOwn(values, id) ? values[id] : undefined;
    if (reading?.quality === 'good') named[id] = Array.isArray(reading.value) ? [...reading.value] : reading.value;
  }
  return { rule: rule.id, kind, severity: rule.severity, at, message: renderMessage(rule.message, points, named), values: named };
}

interface RuleFacts {
  forMs: number;
  clearForMs: number;
  /** Points the rule names in its conditions and message. */
  named: string[];
}

// Profiles are parsed once and then reused for every poll: derive per-rule data once.
const cache = new WeakMap<AlarmRule, RuleFacts>();
const indexes = new WeakMap<readonly Point[], ReadonlyMap<string, Point>>();

function ruleFacts(rule: AlarmRule): RuleFacts {
  let facts = cache.get(rule);
  if (facts === undefined) {
    const conditions = rule.clear === undefined ? conditionPoints(rule.when) : [...conditionPoints(rule.when), ...conditionPoints(rule.clear)];
    const named = [...new Set([...conditions, ...messageNames(rule.message)])];
    facts = { forMs: durationMs(rule.for), clearForMs: durationMs(rule.clearFor), named };
    cache.set(rule, facts);
  }
  return facts;
}

function indexPoints(points: readonly Point[]): ReadonlyMap<string, Point> {
  let index = indexes.get(points);
  if (index === undefined) {
    index = new Map(points.map((p) => [p.id, p]));
    indexes.set(points, index);
  }
  return index;
}
