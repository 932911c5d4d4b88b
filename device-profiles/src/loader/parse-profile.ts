import { checkProfile } from '../checks/index.js';
import { Profile } from '../schema/index.js';
import { ProfileError } from './profile-error.js';
import type { Locate } from './yaml-locator.js';
import { deepFreeze, locateProblems, readYamlSource } from './yaml-source.js';
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
  const source = readYamlSource(text, file);
  if (!source.ok) throw new ProfileError('PROFILE_YAML', source.issues, `${file}: not valid YAML`);
  const { data, locate } = source;

  const result = Profile.safeParse(data);
  if (!result.success) {
    const issues = locateProblems(flattenZodIssues(result.error.issues), locate, file);
    throw new ProfileError('PROFILE_INVALID', issues, `${file}: invalid profile`);
  }
  // Semantic problems carry zod-style paths, so they are located the same way.
  const problems = checkProfile(result.data).map((issue) => ({ ...issue, atKey: false, missing: false }));
  if (problems.length > 0) {
    throw new ProfileError('PROFILE_INVALID', locateProblems(problems, locate, file), `${file}: invalid profile`);
  }
  return { profile: deepFreeze(result.data), locate };
}
