import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Reading } from '@edgefleet/protocol';
import { AlertEngine, ThresholdRules, thresholdRuleSchema } from '../../src/alerts/index.js';
import type { ThresholdSample } from '../../src/alerts/index.js';
import { parseServerConfig } from '../../src/config/index.js';
import { SqliteStore } from '../../src/store/index.js';

const SEC = 1_000;
const T0 = Date.UTC(2026, 10, 28, 2, 0, 0);
const LEAK = thresholdRuleSchema.parse({
  id: 'night-flow', point: 'flow-rate', profile: 'aquametrix-um50', gt: 0.1, forMs: 10 * SEC, severity: 'major',
  message: 'Possible leak: {value} m3/h flowing',
});

const sample = (value: ThresholdSample['value'], quality: ThresholdSample['quality'] = 'good', device = 'water-main'): ThresholdSample =>
  ({ gateway: 'gw-1', device, profile: 'aquametrix-um50', point: 'flow-rate', value, quality });

describe('ThresholdRules', () => {
  it('raises only after the value held for forMs, with the value in the message, and forgets a broken run', () => {
    const rules = new ThresholdRules([LEAK]);
    expect(rules.evaluate([sample(0.3)], T0).active).toEqual([]);
    expect(rules.evaluate([sample(0.3)], T0 + 9_999).active).toEqual([]);
    expect(rules.evaluate([sample(0.3)], T0 + 10 * SEC).active).toEqual([{
      key: { gateway: 'gw-1', device: 'water-main', rule: 'threshold:night-flow' }, severity: 'major', message: 'Possible leak: 0.3 m3/h flowing',
    }]);
    // The flow stops once: the next run starts from zero.
    expect(rules.evaluate([sample(0.05)], T0 + 11 * SEC).active).toEqual([]);
    expect(rules.evaluate([sample(0.3)], T0 + 12 * SEC).active).toEqual([]);
    expect(rules.evaluate([sample(0.3)], T0 + 22 * SEC).active).toHaveLength(1);
  });

  it('holds (neither raises nor clears) while the value is unknown, and matches profile and devices', () => {
    const rules = new ThresholdRules([{ ...LEAK, devices: ['water-main'] }]);
    expect(rules.evaluate([sample(0.3)], T0).active).toEqual([]);
    const unknown = rules.evaluate([sample(null, 'comm-fail')], T0 + 5 * SEC);
    expect(unknown).toEqual({ active: [], hold: [{ gateway: 'gw-1', device: 'water-main', rule: 'threshold:night-flow' }] });
    // The run survives the comm-fail gap.
    expect(rules.evaluate([sample(0.3)], T0 + 10 * SEC).active).toHaveLength(1);
    expect(rules.evaluate([sample(0.3, 'good', 'water-annex'), { ...sample(0.3), profile: 'other' }], T0 + 20 * SEC).active).toEqual([]);
  });

  it('refuses a rule without exactly one comparison, and a threshold id listed twice in server.yaml', () => {
    expect(thresholdRuleSchema.safeParse({ ...LEAK, lt: 1 }).success).toBe(false);
    const yaml = [
      'dataDir: data',
      'alerts:',
      '  thresholds:',
      '    - { id: full, point: free-count, lt: 1, severity: info, message: Car park full }',
      '    - { id: full, point: free-count, lt: 2, severity: info, message: Nearly full }',
    ].join('\n');
    expect(() => parseServerConfig(yaml, '/etc/edgefleet/server.yaml')).toThrow(/server\.yaml:5:\d+ +alerts\.thresholds\[1\]\.id: threshold "full" is listed twice/);
  });
});

describe('threshold alerts through the engine tick (SqliteStore)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'edgefleet-thresholds-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let store: SqliteStore;
  let clock: number;
  let engine: AlertEngine;
  let seq = 0;
  let n = 0;

  beforeEach(async () => {
    clock = T0;
    store = SqliteStore.open({ path: path.join(root, `case-${++n}`, 'fleet.sqlite'), now: () => clock });
    await store.upsertSite({ id: 's1', name: 'Riverside', timezone: 'UTC' });
    await store.upsertGateway({ id: 'gw-1', site: 's1', name: 'Gateway 1', secretHash: 'scrypt$x' });
    await store.upsertDevice({ gateway: 'gw-1', device: 'water-main', profile: 'aquametrix-um50', name: 'Water main', location: null });
    engine = new AlertEngine({
      store, now: () => clock, policyFor: () => ({ steps: [] }), contactsFor: () => [], siteOf: () => 's1',
      ackUrlFor: (id) => `https://ef.example/a/${id}`, thresholds: [LEAK],
      serverRules: { healthIntervalMs: 60 * SEC, silentAfterIntervals: 1_000 },
    });
  });
  afterEach(async () => store.close());

  const flow = async (value: number | null, quality: Reading['quality'] = 'good'): Promise<void> => {
    await store.ingestTelemetry('gw-1', [{ seq: ++seq, device: 'water-main', point: 'flow-rate', ts: clock, value, quality }]);
  };

  it('raises after forMs on the latest value, keeps it open through comm-fail, resolves when the flow stops', async () => {
    await flow(0.4);
    await engine.tick();
    clock += 10 * SEC;
    await engine.tick();
    const [open] = await store.listOpenAlerts();
    expect(open).toMatchObject({ device: 'water-main', rule: 'threshold:night-flow', severity: 'major', message: 'Possible leak: 0.4 m3/h flowing' });

    clock += 5 * SEC;
    await flow(null, 'comm-fail');
    await engine.tick();
    expect(await store.listOpenAlerts()).toHaveLength(1);

    clock += 5 * SEC;
    await flow(0);
    await engine.tick();
    expect(await store.listOpenAlerts()).toEqual([]);
    expect(await store.getAlert(open!.id)).toMatchObject({ state: 'resolved' });
  });
});
