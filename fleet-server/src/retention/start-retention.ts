import path from 'node:path';
import type { Logger } from 'pino';
import type { ApiStore } from '../store/store-api.js';
import type { RetentionConfig } from './retention-config.js';
import { fileRollupMark } from './rollup-mark.js';
import { RetentionScheduler } from './retention-scheduler.js';

/** The mark file's name inside dataDir. */
export const ROLLUP_MARK_FILE = 'retention-state.json';

export interface StartRetentionOptions {
  readonly config: RetentionConfig;
  readonly dataDir: string;
  readonly store: Pick<ApiStore, 'rollupHours' | 'prune'>;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** The server's retention: scheduled at once, its rollup mark in `<dataDir>/retention-state.json`. */
export function startRetention(options: StartRetentionOptions): RetentionScheduler {
  const scheduler = new RetentionScheduler({
    store: options.store, config: options.config, logger: options.logger,
    mark: fileRollupMark(path.join(options.dataDir, ROLLUP_MARK_FILE)),
    ...(options.now ? { now: options.now } : {}),
  });
  scheduler.start();
  return scheduler;
}
