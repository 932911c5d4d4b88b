import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A small key → value map kept as one JSON file in the gateway's data directory (learned limits,
 * active alarms). Written to a temp file and renamed, so a power cut leaves the old file or the
 * new one, never half of one. Writes are serialised so two keys saved at once both land. An
 * unreadable file, or an entry `parse` refuses, reads as absent: what these files hold can be
 * re-learned, so a bad file must never stop the gateway.
 */
export class KeyedJsonFile<T> {
  readonly file: string;
  #cache: Record<string, T> | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(
    dataDir: string,
    fileName: string,
    private readonly parse: (value: unknown) => T | undefined,
  ) {
    this.file = path.join(dataDir, fileName);
  }

  async get(key: string): Promise<T | undefined> {
    const all = await this.#readAll();
    return Object.hasOwn(all, key) ? all[key] : undefined;
  }

  /** `undefined` removes the key. */
  set(key: string, value: T | undefined): Promise<void> {
    this.#writing = this.#writing.then(async () => {
      const all = { ...(await this.#readAll()) };
      if (value === undefined) delete all[key];
      else all[key] = value;
      this.#cache = all;
      await mkdir(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(all, null, 2)}\n`);
      await rename(tmp, this.file);
    });
    return this.#writing;
  }

  async #readAll(): Promise<Record<string, T>> {
    if (this.#cache !== undefined) return this.#cache;
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      parsed = {};
    }
    const all: Record<string, T> = {};
    if (typeof parsed === 'object' && parsed !== null) {
      for (const [key, value] of Object.entries(parsed)) {
        const ok = this.parse(value);
        if (ok !== undefined) all[key] = ok;
      }
    }
    this.#cache = all;
    return all;
  }
}
