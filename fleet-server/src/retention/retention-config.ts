import cron from 'node-cron';
import * as z from 'zod';
import { isTimeZone } from '../time/zoned-day.js';

/**
 * node-cron 4 throws on an invalid expression only when the task is scheduled, i.e. after the
 * server started listening; checking here turns it into a config error naming the field.
 */
const CronExpression = z.string().superRefine((expression, ctx) => {
  const { valid, errors } = cron.validateDetailed(expression);
  if (valid) return;
  const why = errors.map((e) => (e.field === 'expression' ? e.message : `${e.field}: ${e.message}`)).join('; ');
  ctx.addIssue({ code: 'custom', message: `not a cron expression ("${expression}"): ${why}; e.g. "5 * * * *" (minute 5 of every hour)` });
});

const TimeZone = z.string().refine(isTimeZone, 'expected an IANA time zone such as "UTC" or "Europe/Berlin"');

/**
 * The gateways' outbox keeps telemetry for outbox.maxAge (default 7d) and a resend may arrive
 * that late; the dedup ledger must still hold its seq then, or the resend is stored twice.
 */
const MIN_DEDUP_DAYS = 8;

/** server.yaml `retention` (docs/server-config.md). */
export const retentionConfigSchema = z
  .strictObject({
    /** False: no rollups and no pruning on this instance (e.g. all but one of N instances). */
    enabled: z.boolean().default(true),
    /** Raw telemetry is deleted this many days after its read time; rollups stay. */
    rawDays: z.int().min(1).max(36_500).default(30),
    /** Dedup-ledger rows (gateway, stream, epoch, seq) are deleted this many days after receipt. */
    dedupDays: z.int().min(MIN_DEDUP_DAYS, `must exceed the gateways' outbox.maxAge (default 7d), so at least ${MIN_DEDUP_DAYS}`).max(36_500).default(30),
    /** Events are deleted this many days after their timestamp. */
    eventDays: z.int().min(1).max(36_500).default(365),
    /** Rolls up the hours completed since the last run (a few minutes past the hour by default). */
    rollupCron: CronExpression.default('5 * * * *'),
    /** Re-rolls the recheck window, then prunes (once a day, at night by default). */
    pruneCron: CronExpression.default('17 3 * * *'),
    /** The zone the cron expressions are read in. */
    timezone: TimeZone.default('UTC'),
    /** Every rollup run recomputes this many completed hours again, for telemetry that arrived late. */
    rollupLateHours: z.int().min(0).max(168).default(3),
    /** The daily run recomputes this many days, for telemetry held in a gateway's outbox (maxAge 7d). */
    rollupRecheckDays: z.int().min(0).max(36_500).default(7),
  })
  .superRefine((c, ctx) => {
    // Re-rolling an hour whose raw rows are partly pruned would overwrite its rollup with a part.
    if (c.rollupRecheckDays >= c.rawDays) {
      ctx.addIssue({ code: 'custom', path: ['rollupRecheckDays'], message: `must be less than rawDays (${c.rawDays}): older hours have no raw telemetry left to recompute` });
    }
  });

export type RetentionConfig = z.output<typeof retentionConfigSchema>;

/** Every default; what a server.yaml without a `retention` section gets. */
export const DEFAULT_RETENTION: RetentionConfig = retentionConfigSchema.parse({});
