import { mkdirSync, readFileSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import path from 'node:path';
import { DesiredConfig } from '@edgefleet/protocol';

/**
 * The last desired config the gateway applied, kept in dataDir so it boots without the server.
 * Written atomically (temp file, fsync, rename): a power cut leaves the old file or the new one.
 */
export class AppliedConfigStore {
  private readonly file: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'applied-config.json');
  }

  /** The stored config, or undefined when there is none or it no longer parses (logged by the caller). */
  load(): { desired?: DesiredConfig; problem?: string } {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      return { problem: `${this.file}: ${(err as Error).message}` };
    }
    try {
      const parsed = DesiredConfig.safeParse(JSON.parse(text));
      return parsed.success ? { desired: parsed.data } : { problem: `${this.file}: ${parsed.error.message}` };
    } catch (err) {
      return { problem: `${this.file}: ${(err as Error).message}` };
    }
  }

  save(desired: DesiredConfig): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(desired, null, 2)}\n`);
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }
}
