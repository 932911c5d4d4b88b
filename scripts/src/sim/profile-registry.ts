import { ProfileRegistry, loadBuiltinProfiles, loadProfilesFrom } from '@edgefleet/device-profiles';

/** The built-in profiles plus any from extra directories (ids must stay unique). */
export function loadProfileRegistry(extraDirs: readonly string[]): ProfileRegistry {
  return new ProfileRegistry([...loadBuiltinProfiles(), ...extraDirs.flatMap((dir) => loadProfilesFrom(dir))]);
}
