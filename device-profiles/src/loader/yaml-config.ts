import { LineCounter, parseDocument } from 'yaml';
import type * as z from 'zod';
import { formatIssue, formatPath } from './profile-error.js';
import type { ProfileIssue } from './profile-error.js';
import { createLocator } from './yaml-locator.js';
import { flattenZodIssues } from './zod-issues.js';

export type ConfigErrorCode = 'CONFIG_YAML' | 'CONFIG_INVALID';

/** A config file (site.yaml, gateway.yaml, server.yaml) that cannot be used, with every located issue. */
export class ConfigFileError extends Error {
  constructor(
    readonly code: ConfigErrorCode,
    readonly issues: readonly ProfileIssue[],
    summary: string,
  ) {
    super([summary, ...issues.map(formatIssue)].join('\n'));
    this.name = 'ConfigFileError';
  }
}

/**
 * Parses a YAML config file against a zod schema, with the profile loader's positions: every
 * schema issue (including superRefine cross-checks) names file, line, column and field. The
 * result is deeply frozen (STYLE.md: validate once at the edge, freeze, pass down).
 */
export function parseYamlConfig<S extends z.ZodType>(text: string, file: string, schema: S): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((err): ProfileIssue => {
      const { line, col } = lineCounter.linePos(err.pos[0]);
      return { file, line, column: col, path: '', message: `${err.code}: ${err.message.split('\n', 1)[0] ?? ''}` };
    });
    throw new ConfigFileError('CONFIG_YAML', issues, `${file}: not valid YAML`);
  }
  const result = schema.safeParse(doc.toJS());
  if (!result.success) {
    const locate = createLocator(doc, lineCounter);
    const issues = flattenZodIssues(result.error.issues)
      .map((problem): ProfileIssue => {
        const { line, column } = locate(problem.path, problem.atKey ? 'key' : 'value');
        return { file, line, column, path: formatPath(problem.path), message: problem.message };
      })
      .sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigFileError('CONFIG_INVALID', issues, `${file}: invalid configuration`);
  }
  return freeze(result.data) as z.output<S>;
}

function freeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) freeze(child);
  }
  return value;
}
