import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** fleet-server/web: the dashboard's Vite project (docs/dashboard.md). */
export const WEB_ROOT = fileURLToPath(new URL('../../../fleet-server/web/', import.meta.url));

export interface BuiltDashboard {
  /** The directory to give the server as `http.dashboard.dir`. */
  dir: string;
  remove(): Promise<void>;
}

/**
 * Builds the dashboard from its sources into a fresh temp directory with Vite's own config
 * (only outDir overridden), so a browser test or bench never runs a stale fleet-server/web/dist.
 */
export async function buildDashboard(): Promise<BuiltDashboard> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-dashboard-'));
  try {
    // Imported here: vite is a dev dependency of the workspace root and only needed to build.
    const { build } = await import('vite');
    await build({
      root: WEB_ROOT,
      configFile: path.join(WEB_ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir: dir, emptyOutDir: true },
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
