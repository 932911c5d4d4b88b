// The one file of device-profiles that touches the file system. ARCHITECTURE.md keeps this
// package free of I/O; the exception is reading the package's own bundled YAML assets
// (profiles/ and profile.schema.json), synchronously, which is no more I/O than an import.
import { readFileSync, readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profile } from '../schema/index.js';
import { assertUniqueIds } from './duplicate-ids.js';
import type { SourcedProfile } from './duplicate-ids.js';
import { parseProfileSource } from './parse-profile.js';
import { ProfileError } from './profile-error.js';
import type { ProfileErrorCode, ProfileIssue } from './profile-error.js';

const PROFILE_EXTENSIONS = new Set(['.yaml', '.yml']);

/** device-profiles/profiles/, where the built-in profiles live (one file per device model). */
export function builtinProfilesDir(): string {
  return fileURLToPath(new URL('../../profiles/', import.meta.url));
}

/** device-profiles/profile.schema.json, the committed JSON Schema for editors. */
export function profileJsonSchemaFile(): string {
  return fileURLToPath(new URL('../../profile.schema.json', import.meta.url));
}

export function loadBuiltinProfiles(): Profile[] {
  return loadProfilesFrom(builtinProfilesDir());
}

/**
 * Reads and validates every *.yaml / *.yml file of a directory, in name order. Reports the
 * issues of all files at once; a file must be named after its profile id, and ids are unique.
 */
export function loadProfilesFrom(dir: string): Profile[] {
  const files = readdirSync(dir)
    .filter((name) => PROFILE_EXTENSIONS.has(extname(name)))
    .sort()
    .map((name) => join(dir, name));
  const loaded: SourcedProfile[] = [];
  const failures: ProfileError[] = [];
  for (const file of files) {
    try {
      const parsed = parseProfileSource(readFileSync(file, 'utf8'), file);
      loaded.push({ file, ...parsed });
      const expected = `${parsed.profile.id}${extname(file)}`;
      if (basename(file) !== expected) {
        const { line, column } = parsed.locate(['id']);
        const message = `the file of profile "${parsed.profile.id}" must be named ${expected}`;
        failures.push(new ProfileError('PROFILE_INVALID', [{ file, line, column, path: 'id', message }]));
      }
    } catch (err) {
      if (!(err instanceof ProfileError)) throw err;
      failures.push(err);
    }
  }
  if (failures.length > 0) {
    const issues: ProfileIssue[] = failures.flatMap((failure) => failure.issues);
    const codes = new Set(failures.map((failure) => failure.code));
    const code: ProfileErrorCode = codes.size === 1 ? (failures[0]?.code ?? 'PROFILE_INVALID') : 'PROFILE_INVALID';
    throw new ProfileError(code, issues, `${failures.length} of ${files.length} profiles in ${dir} are invalid`);
  }
  assertUniqueIds(loaded);
  return loaded.map((entry) => entry.profile);
}
