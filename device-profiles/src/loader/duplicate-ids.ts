import { ProfileError } from './profile-error.js';
import type { ProfileIssue } from './profile-error.js';
import type { ParsedProfile } from './parse-profile.js';

export interface SourcedProfile extends ParsedProfile {
  file: string;
}

/** One issue per profile whose id an earlier file already declared, located at its `id:`. */
export function findDuplicateIds(profiles: readonly SourcedProfile[]): ProfileIssue[] {
  const firstById = new Map<string, SourcedProfile>();
  const issues: ProfileIssue[] = [];
  for (const entry of profiles) {
    const first = firstById.get(entry.profile.id);
    if (!first) {
      firstById.set(entry.profile.id, entry);
      continue;
    }
    const here = entry.locate(['id']);
    const there = first.locate(['id']);
    issues.push({
      file: entry.file,
      line: here.line,
      column: here.column,
      path: 'id',
      message: `duplicate profile id "${entry.profile.id}", already declared at ${first.file}:${there.line}:${there.column}`,
    });
  }
  return issues;
}

export function assertUniqueIds(profiles: readonly SourcedProfile[]): void {
  const issues = findDuplicateIds(profiles);
  if (issues.length > 0) throw new ProfileError('PROFILE_DUPLICATE', issues, 'duplicate profile ids');
}
