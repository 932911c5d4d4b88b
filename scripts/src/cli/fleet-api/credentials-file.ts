import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { CliError, EXIT } from '../cli-error.js';
import { writeFilesAtomically } from './write-files-atomically.js';

/** What `fleet login` stores: one server and its bearer token. */
export const StoredLogin = z.strictObject({
  server: z.url(),
  token: z.string().min(1),
  user: z.string().optional(),
  savedAt: z.string().optional(),
});
export type StoredLogin = z.infer<typeof StoredLogin>;

/**
 * $XDG_CONFIG_HOME/edgefleet/credentials.json, else ~/.config/edgefleet/credentials.json (XDG
 * Base Directory spec). Tests point XDG_CONFIG_HOME at a temp dir so $HOME is never touched.
 */
export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME !== undefined && path.isAbsolute(env.XDG_CONFIG_HOME)
    ? env.XDG_CONFIG_HOME
    : path.join(env.HOME ?? os.homedir(), '.config');
  return path.join(base, 'edgefleet', 'credentials.json');
}

/** The stored login, or undefined when there is none; a damaged file is an error naming it. */
export async function readStoredLogin(file: string): Promise<StoredLogin | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.failure);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = StoredLogin.safeParse(json);
  if (!parsed.success) throw new CliError(`${file} is not a credentials file written by fleet login`, EXIT.failure, 'run fleet login --server URL again');
  return parsed.data;
}

/** Written 0600 from the first byte, atomically (a crash leaves the old file or the whole new one). */
export async function writeStoredLogin(file: string, login: StoredLogin): Promise<void> {
  await writeFilesAtomically([{ path: file, text: `${JSON.stringify(login, null, 2)}\n`, mode: 0o600 }], { overwrite: true, dirMode: 0o700 });
}
