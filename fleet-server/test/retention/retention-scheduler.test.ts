import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import cron from 'node-cron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_RETENTION, RetentionScheduler, RollupMarkError, ROLLUP_MARK_FILE, fileRollupMark, memoryRollupMark, startRetention,
} from '../../src/retention/index.js';
import type { RetentionConfig, RetentionRun, RollupMark } from '../../src/retention/index.js';
import type { GatewayEvent } from '@edgefleet/protocol';
import type { ApiStore } from '../../src/store/index.js';
import { DAY, H, T0, capturingLogger, floorReading, gate, openTempStore } from './retention-fixtures.js';
import type { LogLine, TempStore } from './retention-fixtures.js';

const floorRollups = (temp: TempStore, from: number, to: number) =>
  temp.store.rollups({ gateway: 'gw-1', device: 'car-1', point: 'floor', from, to });

describe('RetentionScheduler on a real SqliteStore', () => {
  let temp: TempStore;
  let lines: LogLine[];
  let clock: number;
  let schedulers: RetentionScheduler[];

  function scheduler(over: { config?: Partial<RetentionConfig>; mark?: RollupMark; store?: Pick<ApiStore, 'rollupHours' | 'prune'> } = {}): RetentionScheduler {
    const captured = capturingLogger();
    lines = captured.lines;
    const s = new RetentionScheduler({
      store: over.store ?? temp.store, config: { ...DEFAULT_RETENTION, ...over.config },
      mark: over.mark ?? fileRollupMark(join(temp.dir, ROLLUP_MARK_FILE)), logger: captured.logger, now: () => clock,
    });
    schedulers.push(s);
    return s;
  }

  const done = (run: RetentionRun): Extract<RetentionRun, { status: 'done' }> => {
    if (run.status !== 'done') throw new Error(`expected a finished run, got ${JSON.stringify(run)}`);
    return run;
  };

  beforeEach(async () => {
    temp = await openTempStore();
    clock = T0 + 5 * 60_000;
    schedulers = [];
  });
  afterEach(async () => {
    for (const s of schedulers) await s.stop();
    await temp.cleanup();
  });

  it('first run: rolls up every completed hour of the raw window, saves the mark, logs counts and duration', async () => {
    await temp.store.ingestTelemetry('gw-1', [
      floorReading(T0 - 3 * H + 60_000, 10), floorReading(T0 - 3 * H + 1_800_000, 20),
      floorReading(T0 - H + 600_000, 30),
      floorReading(T0 + 60_000, 40), // the current hour is not complete: not rolled up yet
    ]);
    const run = done(await scheduler().runNow('rollup'));
    expect(run.rollup).toEqual({ fromHour: T0 - 30 * DAY, toHour: T0, rowsWritten: 2, rolledUpTo: T0 });
    expect(await floorRollups(temp, 0, T0 + 2 * H)).toMatchObject([
      { hour: T0 - 3 * H, count: 2, min: 10, max: 20, avg: 15, last: 20 },
      { hour: T0 - H, count: 1, last: 30 },
    ]);
    expect(JSON.parse(await readFile(join(temp.dir, ROLLUP_MARK_FILE), 'utf8'))).toEqual({ rolledUpTo: T0, iso: '2026-11-28T12:00:00.000Z' });
    const log = lines.find((l) => l.msg === 'retention rollup run done');
    expect(log).toMatchObject({ job: 'rollup', rollup: { rowsWritten: 2, hours: 30 * 24, to: '2026-11-28T12:00:00.000Z' } });
    expect(log?.durationMs).toEqual(expect.any(Number));
  });

  it('catches up the hours missed while the server was down, from the saved mark, and re-rolls late hours', async () => {
    await fileRollupMark(join(temp.dir, ROLLUP_MARK_FILE)).write(T0);
    await temp.store.ingestTelemetry('gw-1', [1, 2, 3, 4, 5].map((h) => floorReading(T0 + h * H + 1_000, h)));
    clock = T0 + 6 * H + 5 * 60_000; // down from 12:05 to 18:05
    const run = done(await scheduler().runNow('rollup'));
    expect(run.rollup).toMatchObject({ fromHour: T0, toHour: T0 + 6 * H, rowsWritten: 5, rolledUpTo: T0 + 6 * H });
    expect((await floorRollups(temp, 0, T0 + 10 * H)).map((r) => [r.hour, r.count])).toEqual([1, 2, 3, 4, 5].map((h) => [T0 + h * H, 1]));

    // A gateway's outbox delivers a reading of 16:xx at 19:05: inside rollupLateHours (3), so recomputed.
    await temp.store.ingestTelemetry('gw-1', [floorReading(T0 + 4 * H + 2_000, 99)]);
    clock = T0 + 7 * H + 5 * 60_000;
    const next = done(await scheduler().runNow('rollup'));
    expect(next.rollup).toMatchObject({ fromHour: T0 + 4 * H, toHour: T0 + 7 * H, rolledUpTo: T0 + 7 * H });
    expect((await floorRollups(temp, T0 + 4 * H, T0 + 5 * H))[0]).toMatchObject({ count: 2, max: 99, last: 99 });
  });

  it('daily run: rechecks, then prunes telemetry, dedup ledger and events past their windows, with counts', async () => {
    const config = { rawDays: 2, dedupDays: 8, eventDays: 10, rollupRecheckDays: 1 };
    const now = clock;
    await temp.store.ingestTelemetry('gw-1', [floorReading(now - 9 * DAY, 1)], now - 9 * DAY);
    await temp.store.ingestTelemetry('gw-1', [floorReading(now - 3 * DAY, 2)], now - 3 * DAY);
    await temp.store.ingestTelemetry('gw-1', [floorReading(now - 2 * H, 3)], now - 2 * H);
    const event = (n: number, ts: number): GatewayEvent => ({ seq: 1_000 + n, ts, type: 'notice', level: 'info', code: 'boot', message: `boot ${n}` });
    await temp.store.ingestEvents('gw-1', [event(1, now - 11 * DAY)], now - 11 * DAY);
    await temp.store.ingestEvents('gw-1', [event(2, now - DAY)], now - DAY);

    const run = done(await scheduler({ config, mark: memoryRollupMark() }).runNow('prune'));
    expect(run.rollup).toMatchObject({ fromHour: T0 - 2 * DAY, toHour: T0, rolledUpTo: T0 });
    // Ledger: received 11 d and 9 d ago (> 8 d); telemetry: read 9 d and 3 d ago (> 2 d); events: 11 d ago (> 10 d).
    expect(run.prune).toEqual({
      telemetryDeleted: 2, receivedSeqsDeleted: 2, eventsDeleted: 1,
      cutoffs: { telemetryBefore: T0 - 2 * DAY, seqsBefore: now - 8 * DAY, eventsBefore: now - 10 * DAY },
    });
    expect((await temp.store.telemetry({ gateway: 'gw-1', device: 'car-1', point: 'floor', from: 0, to: now })).map((r) => r.value)).toEqual([3]);
    expect((await temp.store.events({ gateway: 'gw-1' })).map((e) => e.seq)).toEqual([1_002]);
    expect((await floorRollups(temp, 0, now)).map((r) => r.hour)).toEqual([T0 - 2 * H]);
    expect(lines.find((l) => l.msg === 'retention prune run done')).toMatchObject({
      job: 'prune', prune: { telemetryDeleted: 2, receivedSeqsDeleted: 2, eventsDeleted: 1 },
    });
  });

  it('a run while another is going is skipped and logged, never run twice at once', async () => {
    const held = gate();
    let calls = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const slowStore: Pick<ApiStore, 'rollupHours' | 'prune'> = {
      rollupHours: async (from, to) => {
        calls += 1;
        concurrent += 1;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await held.promise;
        concurrent -= 1;
        return temp.store.rollupHours(from, to);
      },
      prune: (cutoffs) => temp.store.prune(cutoffs),
    };
    const s = scheduler({ store: slowStore, mark: memoryRollupMark(T0 - 2 * H), config: { rollupLateHours: 0 } });
    const first = s.runNow('rollup');
    expect(await s.runNow('rollup')).toEqual({ job: 'rollup', status: 'skipped', reason: 'busy' });
    expect(await s.runNow('prune')).toEqual({ job: 'prune', status: 'skipped', reason: 'busy' });
    expect(lines.filter((l) => l.msg.includes('skipped: the previous run is still going')).map((l) => l.job)).toEqual(['rollup', 'prune']);
    held.open();
    expect(await first).toMatchObject({ status: 'done', rollup: { fromHour: T0 - 2 * H, toHour: T0 } });
    expect([calls, maxConcurrent]).toEqual([1, 1]);
    // Once finished, the next run goes ahead.
    expect((await s.runNow('rollup')).status).toBe('done');
  });

  it('stop() during a long catch-up waits for the day in flight, saves it, and the next start resumes there', async () => {
    const held = gate();
    const entered = gate();
    const calls: number[] = [];
    const store: Pick<ApiStore, 'rollupHours' | 'prune'> = {
      rollupHours: async (from, to) => {
        calls.push(from);
        entered.open();
        await held.promise;
        return temp.store.rollupHours(from, to);
      },
      prune: (cutoffs) => temp.store.prune(cutoffs),
    };
    const s = scheduler({ store });
    const run = s.runNow('rollup');
    await entered.promise; // the first day is being rolled up
    const stopped = s.stop();
    held.open();
    await stopped;
    expect(await run).toMatchObject({ status: 'done', rollup: { fromHour: T0 - 30 * DAY, toHour: T0 - 29 * DAY, rolledUpTo: T0 - 29 * DAY } });
    expect(calls).toEqual([T0 - 30 * DAY]);
    expect(await s.runNow('rollup')).toEqual({ job: 'rollup', status: 'skipped', reason: 'stopped' });
    const resumed = done(await scheduler().runNow('rollup'));
    expect(resumed.rollup.fromHour).toBe(T0 - 29 * DAY);
  });

  it('a failed run is logged with its error and duration and rejects runNow; the next run works', async () => {
    const file = join(temp.dir, ROLLUP_MARK_FILE);
    await writeFile(file, '{"rolledUpTo": "yesterday"}');
    const s = scheduler();
    await expect(s.runNow('rollup')).rejects.toBeInstanceOf(RollupMarkError);
    expect(lines.find((l) => l.msg === 'retention rollup run failed')).toMatchObject({
      job: 'rollup', err: { message: expect.stringContaining('rolledUpTo') }, durationMs: expect.any(Number),
    });
    await writeFile(file, JSON.stringify({ rolledUpTo: T0 - H }));
    expect(await s.runNow('rollup')).toMatchObject({ status: 'done', rollup: { rolledUpTo: T0 } });
  });

  it('start() schedules both crons in the configured zone; stop() removes them; disabled schedules nothing', async () => {
    const names = () => [...cron.getTasks().values()].map((t) => t.name).filter((n) => n?.startsWith('edgefleet-retention'));
    const s = startRetention({
      config: { ...DEFAULT_RETENTION, rollupCron: '7 * * * *', pruneCron: '30 2 * * *', timezone: 'Asia/Shanghai' },
      dataDir: temp.dir, store: temp.store, logger: capturingLogger().logger,
    });
    schedulers.push(s);
    expect(names().sort()).toEqual(['edgefleet-retention-prune', 'edgefleet-retention-rollup']);
    const next = s.nextRuns();
    expect(new Date(next.rollup ?? '').getUTCMinutes()).toBe(7);
    // 02:30 in Shanghai (UTC+8) is 18:30 UTC.
    expect([new Date(next.prune ?? '').getUTCHours(), new Date(next.prune ?? '').getUTCMinutes()]).toEqual([18, 30]);
    await s.stop();
    expect(names()).toEqual([]);
    expect(s.nextRuns()).toEqual({ rollup: null, prune: null });

    const off = scheduler({ config: { enabled: false } });
    off.start();
    expect(names()).toEqual([]);
    expect(lines.map((l) => l.msg)).toContain('retention disabled (retention.enabled: false)');
  });
});
