import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import type { ApiStore } from '../store/store-api.js';
import { newApiToken } from './api-auth.js';
import { issueToken } from './issue-token.js';

export const ADMIN_TOKEN_FILE = 'admin-token';

export interface BootstrapAdminDeps {
  store: Pick<ApiStore, 'listUsers' | 'createUser' | 'createToken'>;
  dataDir: string;
  logger: Logger;
  now: () => number;
}

/**
 * First start only: with no users in the store there is no way to call the API, so create user
 * "admin" and one token, and leave the token in <dataDir>/admin-token (mode 0600) for the
 * operator. The token text is never logged; the log names the file. Returns the file path, or
 * undefined when users already existed.
 */
export async function bootstrapAdmin(deps: BootstrapAdminDeps): Promise<string | undefined> {
  if ((await deps.store.listUsers()).length > 0) return undefined;
  const at = deps.now();
  const token = newApiToken();
  const file = path.join(deps.dataDir, ADMIN_TOKEN_FILE);
  // The file first: if it cannot be written no user is created, so the next start tries again
  // instead of leaving an admin nobody has a token for.
  await mkdir(deps.dataDir, { recursive: true });
  await writeSecretFile(file, `${token}\n`);
  await deps.store.createUser({ id: 'admin', name: 'Administrator', role: 'admin', sites: [], createdAt: at });
  await issueToken(deps.store, { userId: 'admin', label: 'bootstrap', at, expiresAt: null, text: token });
  deps.logger.warn({ file }, 'created user admin; its API token is in this file (mode 0600): read it, then delete the file');
  return file;
}

/**
 * Atomic and private from the first byte: the temp file is created 0600 (never world-readable,
 * not even briefly), synced, then renamed over the target, so a crash leaves the old file or the
 * whole new one.
 */
async function writeSecretFile(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  await rename(temp, file);
}
