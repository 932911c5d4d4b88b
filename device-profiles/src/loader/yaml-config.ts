import type * as z from 'zod';
import { formatIssue } from './profile-error.js';
import type { ProfileIssue } from './profile-error.js';
import { deepFreeze, locateProblems, readYamlSource } from './yaml-source.js';
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
  const source = readYamlSource(text, file);
  if (!source.ok) throw new ConfigFileError('CONFIG_YAML', source.issues, `${file}: not valid YAML`);
  const result = schema.safeParse(source.data);
  if (!result.success) {
    const issues = locateProblems(flattenZodIssues(result.error.issues), source.locate, file);
    throw new ConfigFileError('CONFIG_INVALID', issues, `${file}: invalid configuration`);
  }
  return deepFreeze(result.data) as z.output<S>;
}
