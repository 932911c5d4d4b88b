import type { Condition, Leaf } from '../schema/index.js';

/** The point ids a condition names, each once, in order of first appearance. */
export function conditionPoints(cond: Condition): string[] {
  const ids = new Set<string>();
  collectPoints(cond, ids);
  return [...ids];
}

function collectPoints(cond: Condition, ids: Set<string>): void {
  if ('all' in cond) for (const c of cond.all) collectPoints(c, ids);
  else if ('any' in cond) for (const c of cond.any) collectPoints(c, ids);
  else if ('not' in cond) collectPoints(cond.not, ids);
  else ids.add((cond satisfies Leaf).point);
}
