import * as z from 'zod';
import { KeyedJsonFile } from '../persist/keyed-json-file.js';

/** The rules of one device that are raised, with when they were raised. */
export type ActiveAlarms = Record<string, { raisedAt: number }>;

const ActiveAlarmsSchema = z.record(z.string(), z.strictObject({ raisedAt: z.number().int().nonnegative() }));

/**
 * Where a device's raised alarms survive a restart, so a gateway that restarts during an
 * entrapment does not raise it again (a second SMS for the same fault) and still sends the clear
 * when the fault ends. Keyed like learned limits ("<device>:<profile>@<version>"): a revised
 * profile starts with no raised alarms, and re-raises what still holds.
 */
export interface ActiveAlarmsStore {
  load(key: string): Promise<ActiveAlarms | undefined>;
  save(key: string, active: ActiveAlarms): Promise<void>;
}

export class MemoryActiveAlarmsStore implements ActiveAlarmsStore {
  readonly saved = new Map<string, ActiveAlarms>();

  async load(key: string): Promise<ActiveAlarms | undefined> {
    return this.saved.get(key);
  }

  async save(key: string, active: ActiveAlarms): Promise<void> {
    if (Object.keys(active).length === 0) this.saved.delete(key);
    else this.saved.set(key, active);
  }
}

export const ACTIVE_ALARMS_FILE = 'active-alarms.json';

/** `active-alarms.json` in dataDir; devices with nothing raised have no entry. */
export class JsonFileActiveAlarmsStore implements ActiveAlarmsStore {
  readonly #file: KeyedJsonFile<ActiveAlarms>;

  constructor(dataDir: string) {
    this.#file = new KeyedJsonFile(dataDir, ACTIVE_ALARMS_FILE, (v) => {
      const ok = ActiveAlarmsSchema.safeParse(v);
      return ok.success ? ok.data : undefined;
    });
  }

  load(key: string): Promise<ActiveAlarms | undefined> {
    return this.#file.get(key);
  }

  save(key: string, active: ActiveAlarms): Promise<void> {
    return this.#file.set(key, Object.keys(active).length === 0 ? undefined : active);
  }
}
