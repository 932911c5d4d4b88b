import { messageNames } from '../alarms/index.js';
import type { AlarmRule, Condition, Leaf, Point, Profile } from '../schema/index.js';
import type { CheckIssue } from './check-issue.js';
import { literalMismatch, valueKind } from './point-kind.js';

type Path = (string | number)[];

const ORDERING_OPERATORS = ['gt', 'ge', 'lt', 'le'] as const;

/** Alarm rules refer to existing points and compare them in ways their values allow. */
export function checkAlarmRules(profile: Profile): CheckIssue[] {
  const points = new Map(profile.points.map((point) => [point.id, point]));
  return profile.alarms.flatMap((rule, index) => checkRule(rule, ['alarms', index], points));
}

function checkRule(rule: AlarmRule, path: Path, points: ReadonlyMap<string, Point>): CheckIssue[] {
  const issues = [...checkCondition(rule.when, [...path, 'when'], points)];
  if (rule.clear) issues.push(...checkCondition(rule.clear, [...path, 'clear'], points));
  if (rule.hysteresis !== undefined && !hasOrdering(rule.when)) {
    issues.push({ path: [...path, 'hysteresis'], message: 'hysteresis needs a gt, ge, lt or le test in `when` to widen' });
  } else if (rule.hysteresis !== undefined && rule.clear) {
    // The evaluator widens thresholds only for the implicit clear (not `when`).
    issues.push({ path: [...path, 'hysteresis'], message: 'hysteresis has no effect when `clear` is given: put the margin in `clear`' });
  }
  // The same placeholder syntax the evaluator renders, so a name checked here is a name filled there.
  for (const name of messageNames(rule.message)) {
    if (!points.has(name)) issues.push({ path: [...path, 'message'], message: `the message names {${name}}, which is not a point` });
  }
  return issues;
}

function checkCondition(cond: Condition, path: Path, points: ReadonlyMap<string, Point>): CheckIssue[] {
  if ('all' in cond) return cond.all.flatMap((child, i) => checkCondition(child, [...path, 'all', i], points));
  if ('any' in cond) return cond.any.flatMap((child, i) => checkCondition(child, [...path, 'any', i], points));
  if ('not' in cond) return checkCondition(cond.not, [...path, 'not'], points);
  return checkLeaf(cond, path, points);
}

function checkLeaf(leaf: Leaf, path: Path, points: ReadonlyMap<string, Point>): CheckIssue[] {
  const point = points.get(leaf.point);
  if (!point) return [{ path: [...path, 'point'], message: `unknown point "${leaf.point}"` }];
  const issues: CheckIssue[] = [];
  if ((leaf.bit !== undefined || leaf.agg !== undefined) && point.type !== 'bits') {
    const field = leaf.bit !== undefined ? 'bit' : 'agg';
    return [{ path: [...path, field], message: `\`${field}\` applies to bits points; ${point.id} is ${point.type}` }];
  }
  if (leaf.bit !== undefined && point.count !== undefined && leaf.bit >= point.count) {
    issues.push({ path: [...path, 'bit'], message: `${point.id} has ${point.count} bits (0..${point.count - 1}); there is no bit ${leaf.bit}` });
  }
  if (leaf.changed) return issues;

  const kind = valueKind(point, leaf);
  for (const op of ORDERING_OPERATORS) {
    const bound = leaf[op];
    if (bound === undefined) continue;
    if (kind !== 'number' && kind !== 'enum') {
      issues.push({ path: [...path, op], message: `${op} needs a numeric value; ${point.id} is ${describeKind(kind)}` });
    } else if (leaf.agg === 'share' && (bound < 0 || bound > 1)) {
      issues.push({ path: [...path, op], message: `agg: share is a fraction 0..1; ${bound} can never be crossed` });
    }
  }
  const literals: [Path, Leaf['eq']][] = [
    [[...path, 'eq'], leaf.eq],
    [[...path, 'ne'], leaf.ne],
    ...(leaf.in ?? []).map((value, i): [Path, Leaf['eq']] => [[...path, 'in', i], value]),
  ];
  for (const [where, literal] of literals) {
    if (literal === undefined) continue;
    const mismatch = literalMismatch(point, kind, literal);
    if (mismatch) issues.push({ path: where, message: mismatch });
  }
  return issues;
}

function describeKind(kind: ReturnType<typeof valueKind>): string {
  return kind === 'bit-array' ? 'a bits point (use bit or agg)' : `a ${kind === 'bool' ? 'boolean' : kind}`;
}

function hasOrdering(cond: Condition): boolean {
  if ('all' in cond) return cond.all.some(hasOrdering);
  if ('any' in cond) return cond.any.some(hasOrdering);
  if ('not' in cond) return hasOrdering(cond.not);
  return ORDERING_OPERATORS.some((op) => cond[op] !== undefined);
}
