import { readFile } from 'node:fs/promises';
import path from 'node:path';
import cron from 'node-cron';
import { afterEach, describe, expect, it } from 'vitest';
import { ROLLUP_MARK_FILE } from '../../src/retention/index.js';
import { startTestServer } from '../server/server-helpers.js';
import type { TestServer } from '../server/server-helpers.js';

const retentionTasks = (): string[] =>
  [...cron.getTasks().values()].map((t) => t.name ?? '').filter((n) => n.startsWith('edgefleet-retention'));

describe('retention in the running server', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.cleanup();
    server = undefined;
  });

  it('is scheduled at start, runs on demand against the server store, and is removed by stop()', async () => {
    // Jan 1, 00:00 UTC: scheduled like the defaults, but no tick can land inside the test and
    // make runNow() below answer 'skipped: busy'.
    server = await startTestServer({ retention: { rollupCron: '0 0 1 1 *', pruneCron: '0 0 1 1 *' } });
    expect(retentionTasks().sort()).toEqual(['edgefleet-retention-prune', 'edgefleet-retention-rollup']);
    const hour = (): number => Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const before = hour();
    const run = await server.retention.runNow('prune');
    const after = hour();
    expect(run).toMatchObject({ status: 'done', prune: { telemetryDeleted: 0, receivedSeqsDeleted: 0, eventsDeleted: 0 } });
    const mark = JSON.parse(await readFile(path.join(server.dir, ROLLUP_MARK_FILE), 'utf8')) as { rolledUpTo: number };
    // The completed hours up to the current one (read on both sides of the run: it may cross an hour).
    expect([before, after]).toContain(mark.rolledUpTo);
    await server.cleanup();
    server = undefined;
    expect(retentionTasks()).toEqual([]);
  });
});
