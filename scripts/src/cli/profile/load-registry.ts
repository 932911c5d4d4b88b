import { ProfileError, ProfileRegistry, loadBuiltinProfiles, loadProfilesFrom } from '@edgefleet/device-profiles';
import type { Profile } from '@edgefleet/device-profiles';
import { CliError, usageError } from '../cli-error.js';

/** The built-in profiles plus those in `dirs`; a broken directory is a one-message error, no stack. */
export function loadRegistry(dirs: readonly string[] = []): ProfileRegistry {
  try {
    return new ProfileRegistry([...loadBuiltinProfiles(), ...dirs.flatMap((dir) => loadProfilesFrom(dir))]);
  } catch (err) {
    // A broken profile directory is the user's to fix: show every located issue, no stack.
    if (err instanceof ProfileError) throw new CliError(err.message);
    throw err;
  }
}

/** The profile `id`, or a usage error listing the known ones. */
export function requireProfile(registry: ProfileRegistry, id: string | undefined): Profile {
  if (id === undefined) throw usageError('--profile is required', 'see `fleet profile list`, or find the model with `fleet scan`');
  if (!registry.has(id)) throw usageError(`unknown profile "${id}"; known profiles: ${registry.ids().join(', ')}`, 'add your own with --profiles DIR');
  return registry.get(id);
}
