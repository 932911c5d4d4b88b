import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Severity } from '@edgefleet/protocol';
import type { AlertState } from '../../src/store/store-types.js';
import { startApiServer } from './api-helpers.js';
import type { ApiTestServer } from './api-helpers.js';
import { UNUSED_SECRET_HASH, healthReport } from './read-model-fixtures.js';

interface Stats { count: number; medianMs: number | null; worstMs: number | null }
interface Figures {
  gateways: { total: number; online: number; offline: number; unknown: number };
  devices: { total: number; down: number };
  alerts: { open: Record<Severity | 'total', number>; unacknowledged: number };
  timeToAck: Stats;
  timeToResolve: Stats;
}
interface Overview { from: number; to: number; sites: (Figures & { id: string; name: string; timezone: string; from: number })[]; totals: Figures }

const S = 1_000;
const MIN = 60 * S;
const H = 60 * MIN;
/** Midnight UTC of the test clock's day (START_TIME is 10:30 UTC): south's (UTC) today starts here. */
const DAY = Date.parse('2026-11-28T00:00:00Z');
/** north is in Europe/Berlin (UTC+1 in November): its today starts an hour earlier. */
const BERLIN_DAY = DAY - 60 * 60_000;

let api: ApiTestServer;
let admin: string;
let north: string;

/** Raises an alert at `raisedAt` and walks it through `steps` ([state, at]). */
async function alert(gateway: string, rule: string, severity: Severity, raisedAt: number, ...steps: [AlertState, number][]): Promise<void> {
  const { alert: raised } = await api.store.openAlert({ gateway, device: 'lift-1', rule }, { severity, message: rule, at: raisedAt });
  for (const [state, at] of steps) await api.store.transitionAlert(raised.id, state, at, 'user:test');
}

beforeAll(async () => {
  api = await startApiServer();
  admin = api.adminToken;
  north = await api.userToken({ id: 'mona', role: 'manager', sites: ['north'] });
  const now = api.clock.now;
  // north: gw-a online, gw-c offline; south: gw-b never reported a status (unknown).
  await api.store.upsertGateway({ id: 'gw-c', site: 'north', name: 'Deck C', secretHash: UNUSED_SECRET_HASH });
  await api.store.setGatewayStatus('gw-a', 'online', now);
  await api.store.setGatewayStatus('gw-c', 'online', now - MIN);
  await api.store.setGatewayStatus('gw-c', 'offline', now - 30 * S);
  for (const [gateway, device] of [['gw-a', 'lift-1'], ['gw-a', 'lift-2'], ['gw-a', 'lift-3'], ['gw-c', 'sig-1'], ['gw-b', 'lift-9']] as const) {
    await api.store.upsertDevice({ gateway, device, profile: 'liftronic-lmi-200', name: device, location: null });
  }
  // Down: lift-2 (its gateway says offline) and sig-1 (its gateway is offline, though its last report said online).
  // lift-3 is not in the report (unknown): not down.
  await api.store.recordHealth(healthReport('gw-a', now - 10 * S, [
    { id: 'lift-1', bus: 'rs485', state: 'online', polls: 5, failures: 0 },
    { id: 'lift-2', bus: 'rs485', state: 'offline', polls: 5, failures: 5 },
  ]), now);
  await api.store.recordHealth(healthReport('gw-c', now - 40 * S, [{ id: 'sig-1', bus: 'rs485', state: 'online', polls: 5, failures: 0 }]), now - 40 * S);

  // north. Acknowledged today after 60 s, 120 s and 900 s (the last raised yesterday); resolved today after 400 s and 1200 s.
  await alert('gw-a', 'a1', 'minor', DAY + H, ['acknowledged', DAY + H + 60 * S]);
  await alert('gw-a', 'a2', 'major', DAY + 2 * H, ['notified', DAY + 2 * H + 5 * S], ['acknowledged', DAY + 2 * H + 120 * S], ['resolved', DAY + 2 * H + 400 * S]);
  await alert('gw-a', 'a3', 'critical', DAY - 10 * MIN, ['acknowledged', DAY + 5 * MIN], ['resolved', DAY + 10 * MIN]);
  // Acknowledged yesterday in Berlin (a minute before its midnight), still open: counted open, not in today's time to acknowledge.
  await alert('gw-a', 'a4', 'info', DAY - 2 * H, ['acknowledged', BERLIN_DAY - MIN]);
  await alert('gw-a', 'a5', 'critical', DAY + 3 * H);
  await alert('gw-c', 'a6', 'critical', DAY + 4 * H, ['notified', DAY + 4 * H + S]);
  // Resolved yesterday: in no figure of today.
  await alert('gw-a', 'a7', 'major', DAY - 3 * H, ['acknowledged', DAY - 3 * H + S], ['resolved', DAY - 2 * H]);
  // south: resolved after 30 s without an acknowledgement; one open major.
  await alert('gw-b', 'b1', 'critical', DAY + H, ['resolved', DAY + H + 30 * S]);
  await alert('gw-b', 'b2', 'major', DAY + 5 * H);
});
afterAll(async () => {
  await api.cleanup();
});

const NORTH: Figures = {
  gateways: { total: 2, online: 1, offline: 1, unknown: 0 },
  devices: { total: 4, down: 2 },
  alerts: { open: { critical: 2, major: 0, minor: 1, info: 1, total: 4 }, unacknowledged: 2 },
  timeToAck: { count: 3, medianMs: 120 * S, worstMs: 900 * S },
  timeToResolve: { count: 2, medianMs: 800 * S, worstMs: 1_200 * S },
};
const SOUTH: Figures = {
  // gw-b never connected: neither online nor offline, counted as unknown.
  gateways: { total: 1, online: 0, offline: 0, unknown: 1 },
  devices: { total: 1, down: 0 },
  alerts: { open: { critical: 0, major: 1, minor: 0, info: 0, total: 1 }, unacknowledged: 1 },
  timeToAck: { count: 0, medianMs: null, worstMs: null },
  timeToResolve: { count: 1, medianMs: 30 * S, worstMs: 30 * S },
};

describe('GET /overview', () => {
  it("gives every site its figures from the site's own midnight, and the totals over all of them", async () => {
    const reply = await api.call<Overview>('GET', '/overview', admin);
    expect(reply.status).toBe(200);
    // The earliest site's day: the span the totals cover.
    expect(reply.body.from).toBe(BERLIN_DAY);
    expect(reply.body.to).toBe(api.clock.now);
    expect(reply.body.sites).toEqual([
      { id: 'north', name: 'North garage', timezone: 'Europe/Berlin', from: BERLIN_DAY, ...NORTH },
      { id: 'south', name: 'South tower', timezone: 'UTC', from: DAY, ...SOUTH },
    ]);
    expect(reply.body.totals).toEqual({
      gateways: { total: 3, online: 1, offline: 1, unknown: 1 },
      devices: { total: 5, down: 2 },
      alerts: { open: { critical: 2, major: 1, minor: 1, info: 1, total: 5 }, unacknowledged: 3 },
      // Medians of all sites' durations together: ack 60/120/900 s; resolve 30/400/1200 s.
      timeToAck: { count: 3, medianMs: 120 * S, worstMs: 900 * S },
      timeToResolve: { count: 3, medianMs: 400 * S, worstMs: 1_200 * S },
    });
  });

  it('shows a manager only their sites, and totals of those only', async () => {
    const reply = await api.call<Overview>('GET', '/overview', north);
    expect(reply.body.sites.map((s) => s.id)).toEqual(['north']);
    expect(reply.body.totals).toEqual(NORTH);
  });

  it('takes from as ISO with offset or epoch ms; an empty window gives null medians', async () => {
    // 10:00+01:00 is 09:00 UTC: every acknowledgement and resolution of the seed was earlier.
    const later = await api.call<Overview>('GET', `/overview?from=${encodeURIComponent('2026-11-28T10:00:00+01:00')}`, north);
    expect(later.body.from).toBe(DAY + 9 * H);
    // An explicit from is every site's window start, whatever its zone.
    expect(later.body.sites.map((s) => s.from)).toEqual([DAY + 9 * H]);
    expect(later.body.totals.timeToAck).toEqual({ count: 0, medianMs: null, worstMs: null });
    expect(later.body.totals.timeToResolve).toEqual({ count: 0, medianMs: null, worstMs: null });
    // Open alerts do not depend on the window.
    expect(later.body.totals.alerts.open.total).toBe(4);
    // From 01:00 UTC: a3's acknowledgement (00:05) and resolution (00:10) fall before it.
    const fromOne = await api.call<Overview>('GET', `/overview?from=${DAY + H}`, north);
    expect(fromOne.body.totals.timeToAck).toEqual({ count: 2, medianMs: 90 * S, worstMs: 120 * S });
    expect(fromOne.body.totals.timeToResolve).toEqual({ count: 1, medianMs: 400 * S, worstMs: 400 * S });
  });

  it('takes a from in the future as an empty window (a viewer clock ahead of the server); refuses a time without offset and unknown fields', async () => {
    const future = await api.call<Overview>('GET', `/overview?from=${api.clock.now + 60_000}`, admin);
    expect(future.status).toBe(200);
    expect(future.body.from).toBe(future.body.to);
    expect(future.body.sites.map((s) => s.from)).toEqual([future.body.to, future.body.to]);
    expect(future.body.totals.timeToAck).toEqual({ count: 0, medianMs: null, worstMs: null });
    // Open alerts and devices do not depend on the window.
    const now = await api.call<Overview>('GET', '/overview', admin);
    expect(future.body.totals.alerts).toEqual(now.body.totals.alerts);
    expect(future.body.totals.alerts.open.total).toBeGreaterThan(0);
    expect((await api.call('GET', '/overview?from=2026-11-28T00:00:00', admin)).body.error?.message).toMatch(/^query\.from: /);
    expect((await api.call('GET', '/overview?site=north', admin)).body.error?.code).toBe('INVALID_REQUEST');
    expect((await api.call('GET', '/overview')).status).toBe(401);
  });
});
