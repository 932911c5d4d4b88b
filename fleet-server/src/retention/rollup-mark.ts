import { open, readFile, rename } from 'node:fs/promises';
import * as z from 'zod';
import { HOUR_MS } from './retention-plan.js';

/**
 * "Rolled up to": every hour before it has been rolled up at least once after it ended. Kept in a
 * small JSON file in dataDir rather than in the store, which has no key-value table: losing it
 * costs one recomputation of the raw window (rollups are idempotent), never wrong data.
 * With N instances on one PostgreSQL each keeps its own mark and repeats the (idempotent) work.
 */
export interface RollupMark {
  read(): Promise<number | undefined>;
  write(hour: number): Promise<void>;
}

/** `iso` is for people reading the file; only rolledUpTo counts. */
const markSchema = z.strictObject({ rolledUpTo: z.int().nonnegative().multipleOf(HOUR_MS), iso: z.string().optional() });

export class RollupMarkError extends Error {
  readonly code = 'RETENTION_MARK_INVALID';
}

/** A mark file; written whole to a temporary file, synced, then renamed over the old one. */
export function fileRollupMark(file: string): RollupMark {
  return {
    async read() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
      let parsed: z.ZodSafeParseResult<z.output<typeof markSchema>>;
      try {
        parsed = markSchema.safeParse(JSON.parse(text));
      } catch {
        throw new RollupMarkError(`${file}: not JSON; delete it to recompute the rollups of the raw window`);
      }
      if (!parsed.success) throw new RollupMarkError(`${file}: ${z.prettifyError(parsed.error)}; delete it to recompute the rollups of the raw window`);
      return parsed.data.rolledUpTo;
    },
    async write(hour) {
      const tmp = `${file}.tmp`;
      const handle = await open(tmp, 'w');
      try {
        await handle.writeFile(`${JSON.stringify({ rolledUpTo: hour, iso: new Date(hour).toISOString() })}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, file);
    },
  };
}

/** For tests and for instances without a data directory. */
export function memoryRollupMark(initial?: number): RollupMark {
  let mark = initial;
  return {
    read: () => Promise.resolve(mark),
    write: (hour) => {
      mark = hour;
      return Promise.resolve();
    },
  };
}
