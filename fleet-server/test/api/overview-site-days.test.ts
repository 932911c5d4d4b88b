// GET /overview without `from`: each site's time figures start at the site's own midnight, in
// its own zone, on ordinary and on DST days. Fixed instants only (the test moves the server's clock).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_TIME, startApiServer } from './api-helpers.js';
import type { ApiTestServer } from './api-helpers.js';
import { UNUSED_SECRET_HASH } from './read-model-fixtures.js';

interface Stats { count: number; medianMs: number | null; worstMs: number | null }
interface SiteFigures { id: string; timezone: string; from: number; timeToAck: Stats; timeToResolve: Stats }
interface Overview { from: number; to: number; sites: SiteFigures[]; totals: { timeToAck: Stats; timeToResolve: Stats } }

const MIN = 60_000;
// START_TIME is 2026-11-28 10:30 UTC: 23:30 in Auckland (NZDT, UTC+13), 02:30 in Los Angeles (PST, UTC−8).
const AUCKLAND_DAY = Date.parse('2026-11-27T11:00:00Z');
const LA_DAY = Date.parse('2026-11-28T08:00:00Z');

let api: ApiTestServer;

/** Raises an alert at `raisedAt`, acknowledges it at `ackAt` and optionally resolves it. */
async function answered(gateway: string, rule: string, raisedAt: number, ackAt: number, resolvedAt?: number): Promise<void> {
  const { alert } = await api.store.openAlert({ gateway, device: 'dev-1', rule }, { severity: 'major', message: rule, at: raisedAt });
  await api.store.transitionAlert(alert.id, 'acknowledged', ackAt, 'user:test');
  if (resolvedAt !== undefined) await api.store.transitionAlert(alert.id, 'resolved', resolvedAt, 'user:test');
}

async function overviewAt(now: number): Promise<Overview> {
  api.clock.now = now;
  const reply = await api.call<Overview>('GET', '/overview', api.adminToken);
  expect(reply.status).toBe(200);
  return reply.body;
}

const site = (o: Overview, id: string): SiteFigures => o.sites.find((s) => s.id === id)!;

beforeAll(async () => {
  api = await startApiServer();
  await api.store.upsertSite({ id: 'akl', name: 'Auckland', timezone: 'Pacific/Auckland' });
  await api.store.upsertSite({ id: 'lax', name: 'Los Angeles', timezone: 'America/Los_Angeles' });
  await api.store.upsertGateway({ id: 'gw-akl', site: 'akl', name: 'Auckland', secretHash: UNUSED_SECRET_HASH });
  await api.store.upsertGateway({ id: 'gw-lax', site: 'lax', name: 'Los Angeles', secretHash: UNUSED_SECRET_HASH });
});
afterAll(async () => {
  await api.cleanup();
});

describe("GET /overview: each site's today", () => {
  it('starts at each site\'s midnight: Auckland and Los Angeles differ by 21 h, and an alert either side of each midnight tells them apart', async () => {
    // Auckland: acknowledged a minute before its midnight (9 min) and a minute after it (6 min, resolved after 7 min).
    await answered('gw-akl', 'k1', AUCKLAND_DAY - 10 * MIN, AUCKLAND_DAY - MIN);
    await answered('gw-akl', 'k2', AUCKLAND_DAY - 5 * MIN, AUCKLAND_DAY + MIN, AUCKLAND_DAY + 2 * MIN);
    // Los Angeles: the same either side of its own midnight (9 min before; 4 min after). One window
    // from the earliest midnight would count l1; the UTC day (from 00:00 UTC) would drop k2.
    await answered('gw-lax', 'l1', LA_DAY - 10 * MIN, LA_DAY - MIN);
    await answered('gw-lax', 'l2', LA_DAY - 3 * MIN, LA_DAY + MIN);

    const o = await overviewAt(START_TIME);
    expect(site(o, 'akl')).toMatchObject({ from: AUCKLAND_DAY, timeToAck: { count: 1, medianMs: 6 * MIN, worstMs: 6 * MIN }, timeToResolve: { count: 1, medianMs: 7 * MIN } });
    expect(site(o, 'lax')).toMatchObject({ from: LA_DAY, timeToAck: { count: 1, medianMs: 4 * MIN, worstMs: 4 * MIN }, timeToResolve: { count: 0 } });
    // Totals: every site's own today, pooled (median of 4 and 6 min).
    expect(o.totals.timeToAck).toEqual({ count: 2, medianMs: 5 * MIN, worstMs: 6 * MIN });
    expect(o.from).toBe(AUCKLAND_DAY);
    // An hour later Auckland's new day has begun, and its yesterday's figures are gone.
    const later = await overviewAt(START_TIME + 60 * MIN);
    expect(site(later, 'akl')).toMatchObject({ from: AUCKLAND_DAY + 24 * 60 * MIN, timeToAck: { count: 0 } });
    expect(site(later, 'lax')).toMatchObject({ from: LA_DAY, timeToAck: { count: 1 } });
  });

  it('a 25-hour day (Los Angeles, 1 Nov 2026, PDT → PST) starts at 00:00 PDT', async () => {
    // 23:30 PST on 1 Nov; the day began at 00:00 PDT = 07:00 UTC, 24.5 h earlier (now's offset would say 08:00).
    const now = Date.parse('2026-11-02T07:30:00Z');
    const day = Date.parse('2026-11-01T07:00:00Z');
    await answered('gw-lax', 'l3', day - 5 * MIN, day - MIN);
    await answered('gw-lax', 'l4', day - 2 * MIN, day + MIN);
    const o = await overviewAt(now);
    expect(site(o, 'lax')).toMatchObject({ from: day, timeToAck: { count: 1, medianMs: 3 * MIN } });
  });

  it('a 23-hour day (Auckland, 27 Sep 2026, NZST → NZDT) starts at 00:00 NZST', async () => {
    // 23:30 NZDT on 27 Sep; the day began at 00:00 NZST = 12:00 UTC on the 26th, 22.5 h earlier (now's offset would say 11:00).
    const now = Date.parse('2026-09-27T10:30:00Z');
    const day = Date.parse('2026-09-26T12:00:00Z');
    await answered('gw-akl', 'k3', day - 40 * MIN, day - 30 * MIN);
    await answered('gw-akl', 'k4', day - 2 * MIN, day + MIN);
    const o = await overviewAt(now);
    expect(site(o, 'akl')).toMatchObject({ from: day, timeToAck: { count: 1, medianMs: 3 * MIN } });
  });
});
