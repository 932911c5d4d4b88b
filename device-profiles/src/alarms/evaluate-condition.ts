import type { Condition, Leaf, Literal, Point } from '../schema/index.js';
import { matchesLiteral, numericOperand, projectOperand, sameOperand } from './leaf-operand.js';
import type { PointValue } from '../codec/index.js';
import type { Reading } from './types.js';

/** What a condition is evaluated against. */
export interface ConditionContext {
  /** Point definitions by id: enum labels for label comparisons. */
  points: ReadonlyMap<string, Point>;
  /** Latest reading of each point; only quality 'good' counts as known. */
  values: Readonly<Record<string, Reading>>;
  /** Last good value of each point before this evaluation, for `changed`. */
  previous: Readonly<Record<string, PointValue>>;
  /** Points read in this evaluation: only they can be `changed`. */
  updated: ReadonlySet<string>;
  /**
   * Widen every gt/ge/lt/le threshold by this much so the condition holds a little longer
   * (an active alarm's hysteresis). 0 or absent: thresholds as written.
   */
  hysteresis?: number;
}

/**
 * Three-valued (Kleene) evaluation: undefined when a point it needs has no good value and the
 * known parts do not decide the result. `all` is false as soon as one part is false and `any`
 * true as soon as one part is true, however many other parts are unknown.
 */
export function evaluateCondition(cond: Condition, ctx: ConditionContext): boolean | undefined {
  return evaluateNode(cond, ctx, ctx.hysteresis ?? 0);
}

/**
 * `widen` is the signed threshold shift: +h lowers gt/ge and raises lt/le. Under a `not` it flips
 * sign, because `not: {lt: 5}` holds longer when 5 moves down, not up.
 */
function evaluateNode(cond: Condition, ctx: ConditionContext, widen: number): boolean | undefined {
  if ('all' in cond) return combine(cond.all, ctx, widen, false);
  if ('any' in cond) return combine(cond.any, ctx, widen, true);
  if ('not' in cond) return negate(evaluateNode(cond.not, ctx, -widen));
  return evaluateLeaf(cond, ctx, widen);
}

/** all (decisive = false) or any (decisive = true). */
function combine(parts: readonly Condition[], ctx: ConditionContext, widen: number, decisive: boolean): boolean | undefined {
  let unknown = false;
  for (const part of parts) {
    const result = evaluateNode(part, ctx, widen);
    if (result === decisive) return decisive;
    if (result === undefined) unknown = true;
  }
  return unknown ? undefined : !decisive;
}

export function negate(value: boolean | undefined): boolean | undefined {
  return value === undefined ? undefined : !value;
}

function evaluateLeaf(leaf: Leaf, ctx: ConditionContext, widen: number): boolean | undefined {
  const reading = goodValue(ctx.values, leaf.point);
  if (reading === undefined) return undefined;
  const operand = projectOperand(leaf, reading);
  if (operand === undefined) return undefined;
  if (leaf.changed !== undefined) return isChanged(leaf, operand, ctx);
  // Labels only mean something for the point's whole value, not for one bit or a count.
  const point = leaf.bit === undefined && leaf.agg === undefined ? ctx.points.get(leaf.point) : undefined;
  if (leaf.eq !== undefined) return matchesLiteral(operand, leaf.eq, point);
  if (leaf.ne !== undefined) return negate(matchesLiteral(operand, leaf.ne, point));
  if (leaf.in !== undefined) return matchesAny(operand, leaf.in, point);
  const num = numericOperand(operand, point);
  if (num === undefined) return undefined;
  if (leaf.gt !== undefined) return num > leaf.gt - widen;
  if (leaf.ge !== undefined) return num >= leaf.ge - widen;
  if (leaf.lt !== undefined) return num < leaf.lt + widen;
  if (leaf.le !== undefined) return num <= leaf.le + widen;
  return undefined; // unreachable for a schema-valid leaf: it has exactly one operator
}

function matchesAny(operand: PointValue, literals: readonly Literal[], point: Point | undefined): boolean | undefined {
  const results = literals.map((literal) => matchesLiteral(operand, literal, point));
  if (results.includes(true)) return true;
  return results.includes(undefined) ? undefined : false;
}

/** No previous good value means nothing to compare with: a first reading is not a change. */
function isChanged(leaf: Leaf, operand: PointValue, ctx: ConditionContext): boolean | undefined {
  const previous = Object.hasOwn(ctx.previous, leaf.point) ? ctx.previous[leaf.point] : undefined;
  if (!ctx.updated.has(leaf.point) || previous === undefined) return false;
  const before = projectOperand(leaf, previous);
  if (before === undefined) return undefined;
  return !sameOperand(before, operand);
}

/** Own properties only: a point may legitimately be called "constructor". */
function goodValue(values: Readonly<Record<string, Reading>>, id: string): PointValue | undefined {
  if (!Object.hasOwn(values, id)) return undefined;
  const reading = values[id];
  return reading?.quality === 'good' ? reading.value : undefined;
}
