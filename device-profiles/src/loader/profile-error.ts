/**
 * Errors of profile loading. Codes follow STYLE.md ("errors carry codes"): callers branch on
 * `code`, people read `message`, tools read `issues`.
 */
export type ProfileErrorCode =
  | 'PROFILE_YAML' // the text is not well-formed YAML (syntax, duplicate keys)
  | 'PROFILE_INVALID' // well-formed YAML that breaks the schema or a semantic check
  | 'PROFILE_DUPLICATE' // two files declare the same profile id
  | 'PROFILE_NOT_FOUND'; // a registry lookup for an id nobody declared

/** One problem, located in the YAML source. line and column are 1-based. */
export interface ProfileIssue {
  file: string;
  line: number;
  column: number;
  /** Field path in the profile, e.g. "points[3].type"; "" for the document itself. */
  path: string;
  message: string;
}

export class ProfileError extends Error {
  readonly code: ProfileErrorCode;
  readonly issues: readonly ProfileIssue[];

  constructor(code: ProfileErrorCode, issues: readonly ProfileIssue[], summary?: string) {
    const lines = issues.map(formatIssue);
    super([summary, ...lines].filter((line) => line !== undefined).join('\n'));
    this.name = 'ProfileError';
    this.code = code;
    this.issues = issues;
  }
}

export function isProfileError(err: unknown): err is ProfileError {
  return err instanceof ProfileError;
}

/** `file:line:column  path: message` — the form editors and terminals turn into links. */
export function formatIssue(issue: ProfileIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path === '' ? `${where}  ${issue.message}` : `${where}  ${issue.path}: ${issue.message}`;
}

/** ['points', 3, 'type'] → "points[3].type". */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}
