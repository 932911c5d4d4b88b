import { performance } from 'node:perf_hooks';
import cron from 'node-cron';
import type { Logger as CronLogger, ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { ApiStore } from '../store/store-api.js';
import type { RetentionResult } from '../store/store-api-types.js';
import type { RetentionConfig } from './retention-config.js';
import { chunkHours, planHourlyRollup, planRecheck, pruneCutoffs } from './retention-plan.js';
import type { HourRange, RetentionCutoffs } from './retention-plan.js';
import type { RollupMark } from './rollup-mark.js';

/** 'rollup': the hourly run. 'prune': the daily run (recheck rollups, then delete old rows). */
export type RetentionJob = 'rollup' | 'prune';

export interface RollupOutcome extends HourRange {
  /** Rows ApiStore.rollupHours reported written. */
  readonly rowsWritten: number;
  /** The mark after the run: every hour before it is rolled up. */
  readonly rolledUpTo: number | undefined;
}

export type RetentionRun =
  | {
    readonly job: RetentionJob;
    readonly status: 'done';
    /** Epoch ms by the injected clock; the cutoffs and hours derive from it. */
    readonly startedAt: number;
    readonly durationMs: number;
    readonly rollup: RollupOutcome;
    readonly prune?: RetentionResult & { readonly cutoffs: RetentionCutoffs };
  }
  | { readonly job: RetentionJob; readonly status: 'skipped'; readonly reason: 'busy' | 'stopped' };

export interface RetentionDeps {
  readonly store: Pick<ApiStore, 'rollupHours' | 'prune'>;
  readonly config: RetentionConfig;
  readonly mark: RollupMark;
  readonly logger: Logger;
  readonly now?: () => number;
}

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

/** node-cron logs to the console unless given a logger (LIBRARIES.md). */
function cronLogger(logger: Logger): CronLogger {
  return {
    info: (message) => logger.debug(message),
    warn: (message) => logger.warn(message),
    error: (message, err) => logger.error({ err: err ?? message }, typeof message === 'string' ? message : 'node-cron error'),
    debug: (message) => logger.debug({ message }, 'node-cron'),
  };
}

/**
 * Hourly rollups and daily pruning on node-cron schedules (docs/server-config.md `retention`).
 * One run at a time: a tick (or runNow) while a run is going is skipped and logged, never queued,
 * so a slow catch-up cannot pile up runs. Progress is saved after each day of rollups, so a
 * restart or stop() in the middle of a long catch-up resumes where it stopped.
 */
export class RetentionScheduler {
  private tasks: ScheduledTask[] = [];
  private running: Promise<RetentionRun> | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly deps: RetentionDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Schedules both runs (node-cron 4 starts a scheduled task at once); nothing when disabled. */
  start(): void {
    const { config, logger } = this.deps;
    if (!config.enabled || this.tasks.length > 0 || this.stopped) {
      if (!config.enabled) logger.info('retention disabled (retention.enabled: false)');
      return;
    }
    // unref: the schedule alone must not keep a process alive whose servers have closed.
    const options = { timezone: config.timezone, unref: true, logger: cronLogger(logger) };
    this.tasks = [
      cron.schedule(config.rollupCron, () => this.tick('rollup'), { ...options, name: 'edgefleet-retention-rollup' }),
      cron.schedule(config.pruneCron, () => this.tick('prune'), { ...options, name: 'edgefleet-retention-prune' }),
    ];
    logger.info({ rollupCron: config.rollupCron, pruneCron: config.pruneCron, timezone: config.timezone, next: this.nextRuns() }, 'retention scheduled');
  }

  /** When each scheduled run fires next (null when not scheduled). */
  nextRuns(): { rollup: string | null; prune: string | null } {
    const [rollup, prune] = this.tasks.map((t) => t.getNextRun()?.toISOString() ?? null);
    return { rollup: rollup ?? null, prune: prune ?? null };
  }

  /** Runs a job now (tests, admin API). Resolves 'skipped' when a run is going or after stop(); rejects when the run fails. */
  runNow(job: RetentionJob): Promise<RetentionRun> {
    if (this.stopped) return Promise.resolve({ job, status: 'skipped', reason: 'stopped' });
    if (this.running) {
      this.deps.logger.warn({ job }, `retention ${job} run skipped: the previous run is still going`);
      return Promise.resolve({ job, status: 'skipped', reason: 'busy' });
    }
    const run = this.run(job);
    this.running = run;
    const clear = (): void => {
      this.running = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  /** Removes the schedules and waits for a run in flight (which stops after its current day of rollups). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const task of this.tasks) await task.destroy();
    this.tasks = [];
    await this.running?.catch(() => undefined);
  }

  private async tick(job: RetentionJob): Promise<void> {
    // A failed run is logged by run(); the schedule carries on.
    await this.runNow(job).catch(() => undefined);
  }

  private async run(job: RetentionJob): Promise<RetentionRun> {
    const { config, logger, store } = this.deps;
    const startedAt = this.now();
    const t0 = performance.now();
    const elapsed = (): number => Math.round(performance.now() - t0);
    try {
      const mark = await this.deps.mark.read();
      const range = job === 'rollup' ? planHourlyRollup(startedAt, mark, config) : planRecheck(startedAt, mark, config);
      const rollup = await this.rollup(range, mark);
      let prune: (RetentionResult & { cutoffs: RetentionCutoffs }) | undefined;
      // A stop() during the rollups leaves pruning to the next run, whose mark is then current.
      if (job === 'prune' && !this.stopped) {
        const cutoffs = pruneCutoffs(startedAt, rollup.rolledUpTo, config);
        prune = { ...(await store.prune(cutoffs)), cutoffs };
      }
      const durationMs = elapsed();
      logger.info({
        job, durationMs,
        rollup: { from: iso(rollup.fromHour), to: iso(rollup.toHour), hours: (rollup.toHour - rollup.fromHour) / 3_600_000, rowsWritten: rollup.rowsWritten, rolledUpTo: iso(rollup.rolledUpTo) },
        ...(prune ? {
          prune: {
            telemetryDeleted: prune.telemetryDeleted, receivedSeqsDeleted: prune.receivedSeqsDeleted, eventsDeleted: prune.eventsDeleted,
            telemetryBefore: iso(prune.cutoffs.telemetryBefore), seqsBefore: iso(prune.cutoffs.seqsBefore), eventsBefore: iso(prune.cutoffs.eventsBefore),
          },
        } : {}),
      }, `retention ${job} run done`);
      return { job, status: 'done', startedAt, durationMs, rollup, ...(prune ? { prune } : {}) };
    } catch (err) {
      logger.error({ err, job, durationMs: elapsed() }, `retention ${job} run failed`);
      throw err;
    }
  }

  private async rollup(range: HourRange, mark: number | undefined): Promise<RollupOutcome> {
    let rolledUpTo = mark;
    let rowsWritten = 0;
    let toHour = range.fromHour;
    for (const chunk of chunkHours(range)) {
      if (this.stopped) break;
      rowsWritten += await this.deps.store.rollupHours(chunk.fromHour, chunk.toHour);
      toHour = chunk.toHour;
      if (rolledUpTo === undefined || chunk.toHour > rolledUpTo) {
        await this.deps.mark.write(chunk.toHour);
        rolledUpTo = chunk.toHour;
      }
    }
    return { fromHour: range.fromHour, toHour, rowsWritten, rolledUpTo };
  }
}
