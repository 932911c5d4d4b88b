import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LearnedLimits } from '@edgefleet/protocol';

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

/**
 * One JSON file, `learned-limits.json` in dataDir: device id → LearnedLimits. Written to a temp
 * file and renamed, so a power cut leaves the old file or the new one, never half of one. An
 * unreadable or invalid file is treated as empty (the gateway re-learns; nothing else depends on it).
 */
export class JsonFileLimitsStore implements LimitsStore {
  readonly file: string;
  #cache: Record<string, LearnedLimits> | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, LIMITS_FILE);
  }

  async load(deviceId: string): Promise<LearnedLimits | undefined> {
    const all = await this.#readAll();
    return Object.hasOwn(all, deviceId) ? all[deviceId] : undefined;
  }

  save(deviceId: string, learned: LearnedLimits): Promise<void> {
    // Serialised: two devices learning at once must not lose one another's entry.
    this.#writing = this.#writing.then(async () => {
      const all = { ...(await this.#readAll()), [deviceId]: learned };
      this.#cache = all;
      await mkdir(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(all, null, 2)}\n`);
      await rename(tmp, this.file);
    });
    return this.#writing;
  }

  async #readAll(): Promise<Record<string, LearnedLimits>> {
    if (this.#cache !== undefined) return this.#cache;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      parsed = {};
    }
    const all: Record<string, LearnedLimits> = {};
    if (typeof parsed === 'object' && parsed !== null) {
      for (const [id, value] of Object.entries(parsed)) {
        const ok = LearnedLimits.safeParse(value);
        if (ok.success) all[id] = ok.data;
      }
    }
    this.#cache = all;
    return all;
  }
}
