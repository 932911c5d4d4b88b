import { LineCounter, parseDocument } from 'yaml';
import { formatPath } from './profile-error.js';
import type { ProfileIssue } from './profile-error.js';
import { createLocator } from './yaml-locator.js';
import type { Locate } from './yaml-locator.js';
import type { FieldProblem } from './zod-issues.js';

/** A YAML file turned into plain data, keeping the means to point back into its text. */
export type YamlSource = { ok: true; data: unknown; locate: Locate } | { ok: false; issues: ProfileIssue[] };

/**
 * Parses YAML with positions. Syntax errors and duplicate keys (uniqueKeys, the default, makes
 * a repeated key an error instead of a silent overwrite) come back as located issues.
 */
export function readYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((err): ProfileIssue => {
      const { line, col } = lineCounter.linePos(err.pos[0]);
      return { file, line, column: col, path: '', message: `${err.code}: ${err.message.split('\n', 1)[0] ?? ''}` };
    });
    return { ok: false, issues };
  }
  return { ok: true, data: doc.toJS(), locate: createLocator(doc, lineCounter) };
}

/** Locates field problems in the source, sorted by position so they read top to bottom. */
export function locateProblems(problems: readonly FieldProblem[], locate: Locate, file: string): ProfileIssue[] {
  return problems
    .map((problem): ProfileIssue => {
      const { line, column } = locate(problem.path, problem.atKey ? 'key' : 'value');
      return { file, line, column, path: formatPath(problem.path), message: problem.message };
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}

/** Validated configuration is shared, never edited: freeze it all the way down. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
