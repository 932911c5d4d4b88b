import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlarmEvent, Reading } from '@edgefleet/protocol';
import { AlertEngine, type EscalationPolicy } from '../../src/alerts/index.js';
import { SqliteStore } from '../../src/store/index.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const root = mkdtempSync(path.join(os.tmpdir(), 'edgefleet-alerts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const POLICY: EscalationPolicy = {
  steps: [{ contacts: ['c1'], afterMs: 0 }, { contacts: ['c2'], afterMs: 5 * MIN }],
  repeatMs: 10 * MIN,
};
const PHONE = { c1: '+4915100000001', c2: '+4915100000002' };

let store: SqliteStore;
let clock: number;
let engine: AlertEngine;
let counter = 0;

beforeEach(async () => {
  clock = T0;
  store = SqliteStore.open({ path: path.join(root, `case-${++counter}`, 'fleet.sqlite'), now: () => clock });
  await store.upsertSite({ id: 's1', name: 'Hauptstrasse 5', timezone: 'Europe/Berlin' });
  await store.upsertContact({ id: 'c1', site: 's1', name: 'Anna', phone: PHONE.c1, role: 'technician', escalationOrder: 1 });
  await store.upsertContact({ id: 'c2', site: 's1', name: 'Ben', phone: PHONE.c2, role: 'technician', escalationOrder: 2 });
  await store.upsertGateway({ id: 'gw-1', site: 's1', name: 'Gateway 1', secretHash: 'scrypt$x' });
  await store.upsertDevice({ gateway: 'gw-1', device: 'lift-1', profile: 'lift', name: 'Lift A', location: null });
  engine = new AlertEngine({
    store, now: () => clock,
    policyFor: () => POLICY,
    contactsFor: (site) => store.listContacts(site),
    siteOf: async (gw) => (await store.getGateway(gw))?.site,
    ackUrlFor: (id, key) => `https://ef.example/a/${id}?k=${encodeURIComponent(key)}`,
    serverRules: { healthIntervalMs: MIN, silentAfterIntervals: 3, staleDataMs: 30 * MIN },
  });
});
afterEach(async () => store.close());

let seq = 0;
const alarm = (state: 'raise' | 'clear', ts = clock): AlarmEvent =>
  ({ seq: ++seq, ts, type: 'alarm', device: 'lift-1', rule: 'entrapment', state, severity: 'critical', message: 'Entrapment', values: {} });

/** Every notification the engine queued, as recipient@notBefore, claimed at a far-future time. */
async function queued(): Promise<string[]> {
  const all = await store.claimDueNotifications(Number.MAX_SAFE_INTEGER / 2, 100);
  return all.map((n) => `${n.recipient}@${(n.notBefore - T0) / MIN}`);
}

describe('AlertEngine on SqliteStore', () => {
  it('entrapment: notifies contact 1, escalates to contact 2, stops on ack, resolves on clear', async () => {
    await engine.handleEvents('gw-1', [alarm('raise')]);
    const [open] = await store.listOpenAlerts();
    expect(open).toMatchObject({ device: 'lift-1', rule: 'entrapment', severity: 'critical', state: 'notified' });
    clock = T0 + 5 * MIN - 1;
    await engine.tick();
    clock = T0 + 5 * MIN;
    await engine.tick();
    await engine.tick();
    clock = T0 + 7 * MIN;
    await engine.acknowledge(open?.id ?? -1, 'contact:c2');
    clock = T0 + 60 * MIN;
    await engine.tick();
    expect(await queued()).toEqual([`${PHONE.c1}@0`, `${PHONE.c2}@5`]);
    const audit = await store.listAudit({ target: `alert:${open?.id}` });
    expect(audit.map((a) => `${a.actor} ${a.action}`)).toEqual(['contact:c2 alert.acknowledge']);

    await engine.handleEvents('gw-1', [alarm('clear')]);
    expect(await store.listOpenAlerts()).toEqual([]);
    expect(await store.getAlert(open?.id ?? -1)).toMatchObject({ state: 'resolved', resolvedAt: T0 + 60 * MIN, acknowledgedBy: 'contact:c2' });
  });

  it('the SMS names site, device and fault and carries the ack link for its key', async () => {
    await engine.handleEvents('gw-1', [alarm('raise')]);
    const [n] = await store.claimDueNotifications(clock, 10);
    expect(n?.key).toMatch(/^alert:\d+:step:1:round:0:contact:c1$/);
    expect(n?.body).toContain('Hauptstrasse 5 Lift A: Entrapment 28 Nov 13:00 ACK https://ef.example/a/');
    expect(n?.body).toContain(encodeURIComponent(n?.key ?? '?'));
  });

  it('repeats to contact 1 every repeatMs until acknowledged', async () => {
    await engine.handleEvents('gw-1', [alarm('raise')]);
    for (const m of [10, 20]) {
      clock = T0 + m * MIN;
      await engine.tick();
    }
    expect((await queued()).filter((q) => q.startsWith(PHONE.c1))).toEqual([`${PHONE.c1}@0`, `${PHONE.c1}@10`, `${PHONE.c1}@20`]);
  });

  it('a duplicate raise (gateway restart re-sends it) keeps one open alert and queues nothing new', async () => {
    await engine.handleEvents('gw-1', [alarm('raise')]);
    clock = T0 + MIN;
    await engine.handleEvents('gw-1', [alarm('raise', T0 + 30_000)]);
    await engine.tick();
    expect(await store.listOpenAlerts()).toHaveLength(1);
    expect(await queued()).toEqual([`${PHONE.c1}@0`]);
  });

  it('a restarted engine re-plans the same keys and the store queues them once', async () => {
    await engine.handleEvents('gw-1', [alarm('raise')]);
    const restarted = new AlertEngine({
      store, now: () => clock, policyFor: () => POLICY, contactsFor: (site) => store.listContacts(site),
      siteOf: () => 's1', ackUrlFor: (id) => `https://ef.example/a/${id}`,
    });
    await restarted.tick();
    await restarted.tick();
    expect(await queued()).toEqual([`${PHONE.c1}@0`]);
  });

  it('a site whose policy fails does not hold back other sites, and the tick reports it', async () => {
    await store.upsertSite({ id: 's2', name: 'Broken', timezone: 'UTC' });
    await store.upsertGateway({ id: 'gw-2', site: 's2', name: 'Gateway 2', secretHash: 'scrypt$x' });
    const mixed = new AlertEngine({
      store, now: () => clock, contactsFor: (site) => store.listContacts(site),
      policyFor: (site) => { if (site === 's2') throw new Error('no policy for s2'); return POLICY; },
      siteOf: async (gw) => (await store.getGateway(gw))?.site, ackUrlFor: (id) => `https://ef.example/a/${id}`,
    });
    await expect(mixed.handleEvents('gw-2', [{ ...alarm('raise'), device: 'pump-1' }])).rejects.toThrow(/no policy for s2/);
    await store.openAlert({ gateway: 'gw-1', device: 'lift-1', rule: 'entrapment' }, { severity: 'critical', message: 'Entrapment', at: clock });
    await expect(mixed.tick()).rejects.toThrow(/1 alert\(s\) could not be notified/);
    expect(await queued()).toEqual([`${PHONE.c1}@0`]);
  });

  it('a replayed raise older than the clear does not reopen the alert', async () => {
    const raise = alarm('raise');
    await engine.handleEvents('gw-1', [raise, alarm('clear', T0 + 1)]);
    await engine.handleEvents('gw-1', [raise]);
    expect(await store.listOpenAlerts()).toEqual([]);
  });

  it('a second ack, or an ack after the clear, changes nothing and is audited once', async () => {
    await engine.handleEvents('gw-1', [alarm('raise')]);
    const [open] = await store.listOpenAlerts();
    const id = open?.id ?? -1;
    await engine.acknowledge(id, 'contact:c1');
    clock += MIN;
    expect(await engine.acknowledge(id, 'contact:c2')).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'contact:c1', acknowledgedAt: T0 });
    await engine.handleEvents('gw-1', [alarm('clear')]);
    expect(await engine.acknowledge(id, 'contact:c2')).toMatchObject({ state: 'resolved' });
    expect((await store.listAudit({ target: `alert:${id}` })).map((a) => `${a.actor} ${a.action}`).reverse())
      .toEqual(['contact:c1 alert.acknowledge', 'system alert.resolve']);
    await expect(engine.resolve(9999, 'user:ops')).rejects.toThrow(/alert 9999/);
  });

  it('resolving by hand stops notifications and is audited', async () => {
    await engine.handleEvents('gw-1', [alarm('raise')]);
    const [open] = await store.listOpenAlerts();
    await engine.resolve(open?.id ?? -1, 'user:ops');
    clock = T0 + 30 * MIN;
    await engine.tick();
    expect(await queued()).toEqual([`${PHONE.c1}@0`]);
    expect((await store.listAudit({ actor: 'user:ops' })).map((a) => a.action)).toEqual(['alert.resolve']);
  });

  it('flapping: the raise that makes 5 changes in 10 min is recorded but not notified until stable', async () => {
    const events = [0, 1, 2, 3, 4].map((s) => alarm(s % 2 === 0 ? 'raise' : 'clear', T0 + s * 1000));
    await engine.handleEvents('gw-1', events);
    expect((await store.listOpenAlerts()).map((a) => a.state)).toEqual(['raised']);
    expect(await queued()).toEqual([`${PHONE.c1}@0`, `${PHONE.c1}@0`]);
    clock = T0 + 4000 + 10 * MIN - 1;
    await engine.tick();
    expect(await queued()).toEqual([]);
    clock = T0 + 4000 + 10 * MIN;
    await engine.tick();
    expect(await queued()).toEqual([`${PHONE.c1}@${(clock - T0) / MIN}`, `${PHONE.c2}@${(clock - T0) / MIN}`]);
  });

  it('stale data: raised after staleDataMs without telemetry, kept while the gateway is silent, cleared by new data', async () => {
    const reading = (n: number): Reading =>
      ({ seq: n, ts: clock, device: 'lift-1', point: 'floor', value: 3, quality: 'good' });
    await engine.handleStatus('gw-1', { v: 1, gateway: 'gw-1', state: 'online', ts: clock });
    await store.ingestTelemetry('gw-1', [reading(1)]);
    clock = T0 + 30 * MIN + 1;
    await engine.handleStatus('gw-1', { v: 1, gateway: 'gw-1', state: 'online', ts: clock });
    await engine.tick();
    expect((await store.listOpenAlerts()).map((a) => `${a.device}/${a.rule}/${a.severity}`)).toEqual(['lift-1/stale-data/minor']);
    await engine.handleStatus('gw-1', { v: 1, gateway: 'gw-1', state: 'offline', ts: clock });
    await engine.tick();
    expect((await store.listOpenAlerts()).map((a) => a.rule).sort()).toEqual(['gateway-silent', 'stale-data']);
    await engine.handleStatus('gw-1', { v: 1, gateway: 'gw-1', state: 'online', ts: clock });
    await store.ingestTelemetry('gw-1', [reading(2)]);
    await engine.tick();
    expect(await store.listOpenAlerts()).toEqual([]);
  });

  it('device offline opens device-offline, online resolves it', async () => {
    await engine.handleEvents('gw-1', [{ seq: ++seq, ts: clock, type: 'device', device: 'lift-1', state: 'offline', reason: 'timeout' }]);
    expect((await store.listOpenAlerts()).map((a) => `${a.rule}/${a.severity}/${a.message}`)).toEqual(['device-offline/major/Device offline: timeout']);
    clock += MIN;
    await engine.handleEvents('gw-1', [{ seq: ++seq, ts: clock, type: 'device', device: 'lift-1', state: 'online' }]);
    expect(await store.listOpenAlerts()).toEqual([]);
  });

  it('bus down/up opens and resolves bus-down', async () => {
    await engine.handleEvents('gw-1', [{ seq: ++seq, ts: clock, type: 'bus', bus: 'rs485-1', state: 'down' }]);
    expect((await store.listOpenAlerts()).map((a) => `${a.device}/${a.rule}`)).toEqual(['bus:rs485-1/bus-down']);
    await engine.handleEvents('gw-1', [{ seq: ++seq, ts: clock + 1, type: 'bus', bus: 'rs485-1', state: 'up' }]);
    expect(await store.listOpenAlerts()).toEqual([]);
  });

  it('gateway silent: last will offline raises it, online resolves it', async () => {
    await engine.handleStatus('gw-1', { v: 1, gateway: 'gw-1', state: 'offline', ts: clock, reason: 'will' });
    expect((await store.listOpenAlerts()).map((a) => a.rule)).toEqual(['gateway-silent']);
    await engine.tick();
    expect(await store.listOpenAlerts()).toHaveLength(1);
    clock += MIN;
    await engine.handleStatus('gw-1', { v: 1, gateway: 'gw-1', state: 'online', ts: clock });
    expect(await store.listOpenAlerts()).toEqual([]);
  });

  it('gateway silent: no sign of life for K health intervals raises it on tick; a new sign resolves it', async () => {
    await engine.handleStatus('gw-1', { v: 1, gateway: 'gw-1', state: 'online', ts: clock });
    clock = T0 + 3 * MIN;
    await engine.tick();
    expect(await store.listOpenAlerts()).toEqual([]);
    clock = T0 + 3 * MIN + 1;
    await engine.tick();
    expect((await store.listOpenAlerts()).map((a) => `${a.device}/${a.rule}`)).toEqual(['-/gateway-silent']);
    await engine.handleStatus('gw-1', { v: 1, gateway: 'gw-1', state: 'online', ts: clock });
    await engine.tick();
    expect(await store.listOpenAlerts()).toEqual([]);
  });
});
