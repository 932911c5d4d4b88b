import type * as z from 'zod';

/** A schema problem reduced to a path and a sentence, before it is located in the YAML. */
export interface FieldProblem {
  path: PropertyKey[];
  message: string;
  /** The path ends at a key that should not be there: locate the key, not its value. */
  atKey: boolean;
  /** The value at the path was absent (zod saw undefined): a missing required field. */
  missing: boolean;
}

/**
 * Turns zod issues into one problem per mistake: an unrecognized_keys issue becomes one
 * problem per key, and a failed union is replaced by the issues of the alternative that came
 * closest (fewest issues), so "Invalid input" is only shown when nothing better is known.
 */
export function flattenZodIssues(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): FieldProblem[] {
  return issues.flatMap((issue) => flattenIssue(issue, prefix));
}

function flattenIssue(issue: z.core.$ZodIssue, prefix: PropertyKey[]): FieldProblem[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: [...path, key], message: `unknown field "${key}"`, atKey: true, missing: false }));
  }
  if (issue.code === 'invalid_union') return flattenUnion(issue.errors, path, issue.message);
  const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
  return [{ path, message: missing ? 'required field is missing' : issue.message, atKey: false, missing }];
}

function flattenUnion(branches: z.core.$ZodIssue[][], path: PropertyKey[], message: string): FieldProblem[] {
  const flat = branches.map((branch) => flattenZodIssues(branch, path));
  const fewest = Math.min(...flat.map((branch) => branch.length));
  const closest = flat.filter((branch) => branch.length === fewest);
  if (closest.length === 1 && closest[0]) return closest[0];
  // Several alternatives are equally close: keep what they agree on (e.g. an unknown key).
  const [first, ...rest] = closest;
  const agreed = (first ?? []).filter((problem) => rest.every((branch) => branch.some((other) => sameProblem(problem, other))));
  if (agreed.length > 0) return agreed;
  const missing = closest.every((branch) => branch.every((problem) => problem.missing && samePath(problem.path, path)));
  return [{ path, message: missing ? 'required field is missing' : `${message}: matches none of the allowed forms`, atKey: false, missing }];
}

function sameProblem(a: FieldProblem, b: FieldProblem): boolean {
  return a.message === b.message && a.atKey === b.atKey && samePath(a.path, b.path);
}

function samePath(a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean {
  return a.length === b.length && a.every((segment, i) => segment === b[i]);
}
