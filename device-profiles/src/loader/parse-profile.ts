import { LineCounter, parseDocument } from 'yaml';
import { checkProfile } from '../checks/index.js';
import { Profile } from '../schema/index.js';
import { ProfileError, formatPath } from './profile-error.js';
import type { ProfileIssue } from './profile-error.js';
import { createLocator } from './yaml-locator.js';
import type { Locate } from './yaml-locator.js';
import { flattenZodIssues } from './zod-issues.js';

/** A parsed profile together with the means to point back into its source text. */
export interface ParsedProfile {
  profile: Profile;
  locate: Locate;
}

/**
 * Parses one profile file: YAML (with positions) → zod schema → semantic checks.
 * Throws ProfileError listing every issue found at the failing stage, each with file, line,
 * column and field path. The returned profile is deeply frozen: it is shared configuration.
 */
export function parseProfile(text: string, file: string): Profile {
  return parseProfileSource(text, file).profile;
}

export function parseProfileSource(text: string, file: string): ParsedProfile {
  const lineCounter = new LineCounter();
  // uniqueKeys (the default) turns a repeated key into an error instead of a silent overwrite.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((err): ProfileIssue => {
      const { line, col } = lineCounter.linePos(err.pos[0]);
      return { file, line, column: col, path: '', message: `${err.code}: ${firstLine(err.message)}` };
    });
    throw new ProfileError('PROFILE_YAML', issues, `${file}: not valid YAML`);
  }

  const locate = createLocator(doc, lineCounter);
  const locateIssue = (path: readonly PropertyKey[], message: string, at: 'key' | 'value' = 'value'): ProfileIssue => {
    const { line, column } = locate(path, at);
    return { file, line, column, path: formatPath(path), message };
  };

  const result = Profile.safeParse(doc.toJS());
  if (!result.success) {
    const issues = flattenZodIssues(result.error.issues).map((problem) =>
      locateIssue(problem.path, problem.message, problem.atKey ? 'key' : 'value'),
    );
    throw new ProfileError('PROFILE_INVALID', sortIssues(issues), `${file}: invalid profile`);
  }

  const problems = checkProfile(result.data);
  if (problems.length > 0) {
    const issues = problems.map((problem) => locateIssue(problem.path, problem.message));
    throw new ProfileError('PROFILE_INVALID', sortIssues(issues), `${file}: invalid profile`);
  }
  return { profile: deepFreeze(result.data), locate };
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}

function sortIssues(issues: ProfileIssue[]): ProfileIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
