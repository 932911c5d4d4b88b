import { LearnedLimits } from '@edgefleet/protocol';
import { KeyedJsonFile } from '../persist/keyed-json-file.js';

/**
 * Where learned device limits survive restarts (a JSON file in dataDir; memory in tests). The
 * poller's key is "<device id>:<profile id>@<profile version>", so learning restarts when a
 * device gets another profile or its profile is revised. To make a device re-learn (new
 * firmware), delete its entry.
 */
export interface LimitsStore {
  load(deviceId: string): Promise<LearnedLimits | undefined>;
  save(deviceId: string, learned: LearnedLimits): Promise<void>;
}

/**
 * The poller's store key: learned limits belong to a device AND the profile revision they were
 * learned against, so a device given another profile, or a revised profile, learns afresh.
 */
export function limitsKey(deviceId: string, profile: { id: string; version: number }): string {
  return `${deviceId}:${profile.id}@${profile.version}`;
}

export class MemoryLimitsStore implements LimitsStore {
  readonly saved = new Map<string, LearnedLimits>();

  async load(deviceId: string): Promise<LearnedLimits | undefined> {
    return this.saved.get(deviceId);
  }

  async save(deviceId: string, learned: LearnedLimits): Promise<void> {
    this.saved.set(deviceId, learned);
  }
}

export const LIMITS_FILE = 'learned-limits.json';

/** `learned-limits.json` in dataDir: device key → LearnedLimits (an invalid entry is re-learned). */
export class JsonFileLimitsStore implements LimitsStore {
  readonly #file: KeyedJsonFile<LearnedLimits>;

  constructor(dataDir: string) {
    this.#file = new KeyedJsonFile(dataDir, LIMITS_FILE, (v) => {
      const ok = LearnedLimits.safeParse(v);
      return ok.success ? ok.data : undefined;
    });
  }

  get file(): string {
    return this.#file.file;
  }

  load(deviceId: string): Promise<LearnedLimits | undefined> {
    return this.#file.get(deviceId);
  }

  save(deviceId: string, learned: LearnedLimits): Promise<void> {
    return this.#file.set(deviceId, learned);
  }
}
