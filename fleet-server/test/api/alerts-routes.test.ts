import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TimelineEntry } from '../../src/api/alert-timeline.js';
import type { ApiStore } from '../../src/store/store-api.js';
import type { Alert } from '../../src/store/store-types.js';
import type { Store } from '../../src/store/store.js';
import { metricValue } from '../server/server-helpers.js';
import { ActingGateway, API_TEST_STORES, startApiTestServer } from './downlink-fixtures.js';
import type { ApiTestServer } from './downlink-fixtures.js';

type AlertView = Alert & { timeline: TimelineEntry[] };

const alarm = (device: string, state: 'raise' | 'clear', severity: 'critical' | 'minor' = 'critical') => ({
  type: 'alarm' as const, device, rule: 'entrapment', state, severity, message: `Passenger trapped in ${device}`, ts: Date.now(), values: {},
});

describe.each(API_TEST_STORES)('/api/v1/alerts (%s store)', (storeKind) => {
  let t: ApiTestServer;
  let south: ActingGateway;
  let north: ActingGateway;
  let liftAlert: Alert;
  let northAlert: Alert;

  beforeAll(async () => {
    t = await startApiTestServer(storeKind);
    // The provider is busy once, then accepts: the first text is retried and then sent.
    let calls = 0;
    t.sms.respondWith(() => ((calls += 1) === 1 ? { status: 503, body: 'busy, try later' } : { status: 200, body: `{"id":"sms-${calls}"}` }));
    south = await ActingGateway.connect(t.server.brokerPort, 'gw-a');
    north = await ActingGateway.connect(t.server.brokerPort, 'gw-b');
    await south.events([alarm('lift-1', 'raise')]);
    await north.events([alarm('lift-9', 'raise', 'minor')]);
    const found = async (gateway: string): Promise<Alert> => {
      const res = await t.call<{ items: Alert[] }>('root', 'GET', `/alerts?gateway=${gateway}`);
      const alert = res.body.items[0];
      if (!alert) throw new Error(`no alert on ${gateway} yet`);
      return alert;
    };
    liftAlert = await vi.waitFor(() => found('gw-a'), { timeout: 15_000, interval: 50 });
    northAlert = await vi.waitFor(() => found('gw-b'), { timeout: 15_000, interval: 50 });
  }, 20_000);

  afterAll(async () => {
    await south?.close();
    await north?.close();
    await t?.cleanup();
  });

  it('lists alerts with filters; a manager sees only their sites', async () => {
    const all = await t.call<{ items: Alert[] }>('eng', 'GET', '/alerts?state=open');
    expect(all.body.items.map((a) => a.id).sort()).toEqual([liftAlert.id, northAlert.id].sort());
    const critical = await t.call<{ items: Alert[] }>('eng', 'GET', '/alerts?severity=critical,major');
    expect(critical.body.items.map((a) => a.id)).toEqual([liftAlert.id]);
    const bySite = await t.call<{ items: Alert[] }>('eng', 'GET', '/alerts?site=north');
    expect(bySite.body.items.map((a) => a.id)).toEqual([northAlert.id]);

    const mine = await t.call<{ items: Alert[] }>('mgr-south', 'GET', '/alerts');
    expect(mine.body.items.map((a) => a.id)).toEqual([liftAlert.id]);
    expect((await t.call('mgr-south', 'GET', '/alerts?site=north')).status).toBe(404);
    expect((await t.call<{ items: Alert[] }>('mgr-south', 'GET', '/alerts?device=lift-9')).body.items).toEqual([]);
  });

  it('pages older with before=<id>; the cursor must be an alert the caller may see', async () => {
    const first = await t.call<{ items: Alert[] }>('eng', 'GET', '/alerts?limit=1');
    expect(first.body.items).toHaveLength(1);
    const newest = first.body.items[0] as Alert;
    const older = await t.call<{ items: Alert[] }>('eng', 'GET', `/alerts?limit=1&before=${newest.id}`);
    const all = await t.call<{ items: Alert[] }>('eng', 'GET', '/alerts');
    expect(older.body.items.map((a) => a.id)).toEqual([all.body.items[1]?.id]);
    expect(older.body.items[0]?.id).not.toBe(newest.id);
    expect((await t.call<{ items: Alert[] }>('eng', 'GET', `/alerts?before=${liftAlert.id}&site=south`)).body.items.map((a) => a.id)).not.toContain(liftAlert.id);
    // A manager of south may not page from north's alert: 404, as for a missing one.
    const foreign = await t.call('mgr-south', 'GET', `/alerts?before=${northAlert.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
    expect((await t.call('eng', 'GET', '/alerts?before=999999')).status).toBe(404);
    const bad = await t.call('eng', 'GET', '/alerts?before=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^query\.before:/);
  });

  it('refuses bad filters naming the query field', async () => {
    const res = await t.call('eng', 'GET', '/alerts?state=open,snoozed');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
    expect(res.body.error.message).toMatch(/^query\.state: .*snoozed/);
    expect((await t.call('eng', 'GET', '/alerts?from=2026-11-28T10:00:00Z&to=2026-11-28T09:00:00Z')).body.error.message).toMatch(/^query\.to:/);
  });

  it("answers 404 for another site's alert, exactly as for a missing one", async () => {
    const other = await t.call('mgr-south', 'GET', `/alerts/${northAlert.id}`);
    const missing = await t.call('mgr-south', 'GET', '/alerts/999999');
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect((await t.call('mgr-south', 'POST', `/alerts/${northAlert.id}/ack`)).status).toBe(404);
  });

  it('shows the timeline: raised, the text queued for step 1, a failed attempt with the reply, then sent', async () => {
    const view = await vi.waitFor(async () => {
      const res = await t.call<AlertView>('mgr-south', 'GET', `/alerts/${liftAlert.id}`);
      if (!res.body.timeline.some((e) => e.kind === 'attempt' && e.outcome === 'sent')) throw new Error('not sent yet');
      return res.body;
    }, { timeout: 10_000, interval: 100 });
    const kinds = view.timeline.map((e) => e.kind);
    expect(kinds).toEqual(['raised', 'notification', 'attempt', 'attempt']);
    expect(view.timeline[1]).toMatchObject({ kind: 'notification', step: 1, round: 0, contact: 'c-south', recipient: '+4915100000001', status: 'sent' });
    expect(view.timeline[2]).toMatchObject({ kind: 'attempt', attempt: 1, outcome: 'retry', reply: expect.stringMatching(/503.*busy, try later/) });
    expect(view.timeline[3]).toMatchObject({ kind: 'attempt', attempt: 2, outcome: 'sent', reply: expect.stringMatching(/HTTP 200/) });
    expect(view.timeline[3]!.at).toBeGreaterThan(view.timeline[2]!.at);
  }, 15_000);

  it('exposes open alerts, SMS outcomes and the raised-to-SMS latency on /metrics', async () => {
    const scrape = async (): Promise<string> => (await fetch(`http://127.0.0.1:${t.server.httpPort}/metrics`)).text();
    // The histogram is observed just after the attempt is recorded: wait for it, not a fixed time.
    const text = await vi.waitFor(async () => {
      const body = await scrape();
      if (metricValue(body, 'edgefleet_fault_to_sms_seconds_count', {}) < 1) throw new Error('no fault-to-sms sample yet');
      return body;
    }, { timeout: 15_000, interval: 50 });
    expect(metricValue(text, 'edgefleet_notifications_total', { outcome: 'retried' })).toBe(1);
    expect(metricValue(text, 'edgefleet_notifications_total', { outcome: 'sent' })).toBeGreaterThanOrEqual(1);
    expect(metricValue(text, 'edgefleet_fault_to_sms_seconds_count', {})).toBe(1); // only the critical alert's step-1 text was sent
    const open = (severity: string): number => ['raised', 'notified', 'acknowledged'].reduce((n, state) => n + metricValue(text, 'edgefleet_alerts_open', { severity, state }), 0);
    expect(open('critical')).toBe(1);
    expect(open('minor')).toBe(1);
  });

  it('acknowledges once (409 the second time), audited with the user as actor; resolve likewise', async () => {
    const store = t.server.store as Store & ApiStore;
    const ack = await t.call<Alert>('mgr-south', 'POST', `/alerts/${liftAlert.id}/ack`, { note: 'on my way' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ id: liftAlert.id, state: 'acknowledged', acknowledgedBy: 'user:mgr-south' });

    const again = await t.call('eng', 'POST', `/alerts/${liftAlert.id}/ack`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');

    const resolved = await t.call<Alert>('eng', 'POST', `/alerts/${liftAlert.id}/resolve`);
    expect(resolved.status).toBe(200);
    expect(resolved.body.state).toBe('resolved');
    expect((await t.call('eng', 'POST', `/alerts/${liftAlert.id}/resolve`)).status).toBe(409);
    expect((await t.call('eng', 'POST', `/alerts/${liftAlert.id}/ack`)).status).toBe(409);

    const audit = await store.listAudit({ target: `alert:${liftAlert.id}` });
    expect(audit.map((e) => [e.action, e.actor])).toEqual([['alert.resolve', 'user:eng'], ['alert.acknowledge', 'user:mgr-south']]);
    expect(audit[1]!.details).toMatchObject({ via: 'api', note: 'on my way' });

    const view = await t.call<AlertView>('eng', 'GET', `/alerts/${liftAlert.id}`);
    expect(view.body.timeline.slice(-2)).toEqual([
      expect.objectContaining({ kind: 'acknowledged', by: 'user:mgr-south', via: 'api' }),
      expect.objectContaining({ kind: 'resolved', by: 'user:eng' }),
    ]);
    const open = await t.call<{ items: Alert[] }>('eng', 'GET', '/alerts?state=open');
    expect(open.body.items.map((a) => a.id)).toEqual([northAlert.id]);
    const done = await t.call<{ items: Alert[] }>('eng', 'GET', '/alerts?state=resolved');
    expect(done.body.items.map((a) => a.id)).toEqual([liftAlert.id]);
  });

  it('needs a bearer token', async () => {
    const res = await fetch(`http://127.0.0.1:${t.server.httpPort}/api/v1/alerts`);
    expect(res.status).toBe(401);
  });
});
