import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium (`.ci/run` installs it); playwright-core ships no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why the browser suites cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM_PATH) ? undefined : `${CHROMIUM_PATH} not found (apt-get install chromium chromium-driver, as .ci/run does)`;
}

/**
 * No sandbox: CI runs as root in a container, where chromium's sandbox cannot start. The rest keeps
 * a headless run quiet and deterministic: no GPU, no QUIC, and none of the background traffic
 * (component updates, sync, safe-browsing lists) a fresh profile would start.
 */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Chromium {
  context: BrowserContext;
  /** Closes the browser and removes its user-data dir. */
  close(): Promise<void>;
}

/** Headless chromium with a fresh user-data dir, so no cookie, storage or cache survives a run. */
export async function launchChromium(viewport = { width: 1440, height: 900 }): Promise<Chromium> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, headless: true, args: ARGS, viewport });
    return {
      context,
      close: async () => {
        await context.close().catch(() => undefined);
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
}
