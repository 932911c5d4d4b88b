import type { Profile } from '../schema/index.js';
import { ProfileError } from './profile-error.js';

/** Profiles by id. Built from already-validated profiles; ids must be unique. */
export class ProfileRegistry {
  readonly #byId = new Map<string, Profile>();

  constructor(profiles: Iterable<Profile>) {
    for (const profile of profiles) {
      if (this.#byId.has(profile.id)) {
        // No source position here: these profiles are already parsed. loadProfilesFrom and
        // findDuplicateIds report duplicates with file and line.
        throw new ProfileError('PROFILE_DUPLICATE', [], `duplicate profile id "${profile.id}"`);
      }
      this.#byId.set(profile.id, profile);
    }
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** The profile with this id; throws PROFILE_NOT_FOUND naming the ids that do exist. */
  get(id: string): Profile {
    const profile = this.#byId.get(id);
    if (profile) return profile;
    const known = this.ids().join(', ') || '(none)';
    throw new ProfileError('PROFILE_NOT_FOUND', [], `unknown profile "${id}"; known profiles: ${known}`);
  }

  ids(): string[] {
    return [...this.#byId.keys()].sort();
  }

  /** All profiles, sorted by id. */
  list(): Profile[] {
    return this.ids().map((id) => this.get(id));
  }
}
