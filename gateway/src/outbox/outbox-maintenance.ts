import type { Database } from 'better-sqlite3';

export interface MaintenanceReport {
  /** PRAGMA wal_checkpoint's row: busy 0 means the WAL was copied back and truncated. */
  checkpoint: { busy: number; log: number; checkpointed: number };
  freePagesBefore: number;
  freePagesAfter: number;
}

/** Free pages handed back per run: bounded so one run stays in the milliseconds (4 KiB pages). */
const VACUUM_PAGES = 4096;

/**
 * The scheduled upkeep, on the outbox's own connection between writes (so never concurrent with
 * one): planner statistics, an incremental vacuum (auto_vacuum=INCREMENTAL is set at creation)
 * and a checkpoint that truncates the WAL. optimize and the vacuum write, so the checkpoint is last.
 */
export function runMaintenance(db: Database): MaintenanceReport {
  const freePages = (): number => db.pragma('freelist_count', { simple: true }) as number;
  const freePagesBefore = freePages();
  db.pragma('optimize');
  db.pragma(`incremental_vacuum(${VACUUM_PAGES})`);
  const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as Array<MaintenanceReport['checkpoint']>;
  return { checkpoint: checkpoint ?? { busy: 0, log: 0, checkpointed: 0 }, freePagesBefore, freePagesAfter: freePages() };
}
