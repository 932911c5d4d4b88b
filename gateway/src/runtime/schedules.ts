import cron, { type ScheduledTask } from 'node-cron';
import type { ManagedConfig } from '@edgefleet/protocol';
import type { Logger } from 'pino';

export interface ScheduleActions {
  /** A snapshot event of the chosen devices' points (e.g. the daily meter reading). */
  snapshot(scheduleId: string, devices?: readonly string[], points?: readonly string[]): void;
  /** Outbox upkeep: WAL checkpoint, optimize. */
  outboxMaintenance(): void;
}

/**
 * node-cron jobs from the config (LIBRARIES.md: createTask then start, pass a logger-free
 * callback that never throws; destroy on stop so the process can exit).
 */
export class Schedules {
  private tasks: ScheduledTask[] = [];

  constructor(
    private readonly actions: ScheduleActions,
    private readonly logger: Logger,
  ) {}

  apply(schedules: ManagedConfig['schedules']): void {
    this.stop();
    this.tasks = schedules.map((s) =>
      cron.createTask(s.cron, () => {
        try {
          if (s.action === 'snapshot') this.actions.snapshot(s.id, s.devices, s.points);
          else this.actions.outboxMaintenance();
        } catch (err) {
          this.logger.error({ err, schedule: s.id }, 'scheduled job failed');
        }
      }),
    );
    for (const task of this.tasks) void task.start();
  }

  stop(): void {
    for (const task of this.tasks) void task.destroy();
    this.tasks = [];
  }
}
