import { randomBytes } from 'node:crypto';
import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export interface FileToWrite {
  path: string;
  text: string;
  mode: number;
}

export class TargetExistsError extends Error {
  constructor(readonly file: string) {
    super(`${file} already exists`);
    this.name = 'TargetExistsError';
  }
}

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);

/** Throws TargetExistsError for the first file that exists (when not overwriting). */
export async function refuseExisting(files: readonly string[]): Promise<void> {
  for (const file of files) if (await exists(file)) throw new TargetExistsError(file);
}

/**
 * Writes several files as one step, as far as a file system allows: every file goes to a temp
 * file in its own directory (created with its final mode, so a secret is never readable by
 * others, not even briefly), is synced, and only when all are written are they renamed into
 * place, in order. Any failure before the renames removes the temp files and leaves the targets
 * untouched; a failure during the renames removes the targets this call created. Put the file
 * that refers to the others last (gateway.yaml after its credentials file).
 */
export async function writeFilesAtomically(files: readonly FileToWrite[], options: { overwrite: boolean; dirMode?: number }): Promise<void> {
  if (!options.overwrite) await refuseExisting(files.map((f) => f.path));
  const temps: string[] = [];
  try {
    for (const file of files) {
      await mkdir(path.dirname(file.path), { recursive: true, ...(options.dirMode === undefined ? {} : { mode: options.dirMode }) });
      const temp = `${file.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      const handle = await open(temp, 'wx', file.mode);
      temps.push(temp);
      try {
        await handle.writeFile(file.text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  } catch (err) {
    await Promise.all(temps.map((t) => rm(t, { force: true })));
    throw err;
  }
  const created: string[] = [];
  try {
    for (const [i, file] of files.entries()) {
      const existed = await exists(file.path);
      await rename(temps[i] as string, file.path);
      if (!existed) created.push(file.path);
    }
  } catch (err) {
    await Promise.all([...temps, ...created].map((t) => rm(t, { force: true })));
    throw err;
  }
}
