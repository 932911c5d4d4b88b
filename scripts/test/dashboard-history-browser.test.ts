import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromiumMissing, launchChromium, type Chromium } from '../src/dashboard/chromium.js';
import { DEMO_GATEWAY, DEMO_SITE } from '../src/demo/demo-setup.js';
import { apiCall } from './dashboard/api-call.js';
import { axeBothWidths } from './dashboard/axe-check.js';
import { describeFocus, focused } from './dashboard/keyboard.js';
import { startDashboardStack, type DashboardStack } from './dashboard/dashboard-stack.js';
import { screenshotBothWidths } from './dashboard/screenshots.js';
import { openSignedIn, UI_TIMEOUT_MS, untilLive, type Credentials } from '../src/dashboard/sign-in.js';
import { OTHER_SITE } from './dashboard/stack-config.js';

const missing = chromiumMissing();
if (missing) console.warn(`dashboard history browser test skipped: ${missing}`);

const LIFT = 'lift-a';
/** A site at UTC+14 (no DST) in a browser told it is in New York: their days never coincide. */
const ATOLL = { id: 'atoll', name: 'Atoll Depot', timezone: 'Pacific/Kiritimati', gateway: 'atoll-gw' } as const;
const BROWSER_ZONE = 'America/New_York';
const CSV_HEADER = 'id,raised_at,site,gateway,device,rule,message,severity,state,acknowledged_at,acknowledged_by,time_to_acknowledge_s,resolved_at,time_to_resolve_s,time_zone';

interface Alert {
  id: number; device: string; rule: string; state: string; message: string; raisedAt: number;
  acknowledgedAt: number | null; acknowledgedBy: string | null; resolvedAt: number | null;
}

/** The CSV a click on "Download CSV" saves: its file name and lines (byte order mark dropped). */
async function downloadCsv(page: Page): Promise<{ name: string; lines: string[] }> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const file = await download;
  const csv = await readFile(await file.path(), 'utf8');
  return { name: file.suggestedFilename(), lines: csv.replace(/^\ufeff/, '').split('\r\n') };
}

/**
 * The alert history (docs/dashboard.md "Alert history") in chromium against the real chain: an
 * entrapment raised at the sim, acknowledged through the API, resolved by clearing the fault at
 * the sim; then found through a filter URL with its response times, its timeline, and the CSV.
 * A second entrapment raised while the page is open appears and changes without a reload; a
 * site at UTC+14 gets its own day boundaries, times and CSV.
 */
describe.skipIf(missing !== undefined)('dashboard: alert history', () => {
  let stack: DashboardStack;
  let browser: Chromium;
  let alert: Alert;
  const screenshots: string[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startDashboardStack(), launchChromium()]);
    const api = <T>(method: string, path: string, token = stack.adminToken): Promise<T> => apiCall<T>(stack.url, token, method, path);
    await apiCall(stack.controlUrl, undefined, 'POST', `/devices/${LIFT}/faults`, { fault: 'entrapment' });
    // The caretaker is texted once the alert is open (the profile's 3 s debounce first).
    await stack.smsMatching((m) => m.body.includes('Passenger trapped'));
    const open = await api<{ items: Alert[] }>('GET', `/api/v1/alerts?device=${LIFT}&state=open`);
    const raised = open.items.find((a) => a.rule === 'entrapment-alarm');
    if (raised === undefined) throw new Error(`no open entrapment-alarm alert: ${JSON.stringify(open.items)}`);
    await api('POST', `/api/v1/alerts/${raised.id}/ack`, stack.users.engineer.token);
    await apiCall(stack.controlUrl, undefined, 'DELETE', `/devices/${LIFT}/faults/entrapment`);
    // The rule's clearFor (5 s) must pass before the gateway sends the clear.
    alert = await vi.waitFor(async () => {
      const a = await api<Alert>('GET', `/api/v1/alerts/${raised.id}`);
      if (a.state !== 'resolved') throw new Error(`alert ${a.id} is ${a.state}`);
      return a;
    }, { timeout: 30_000, interval: 200 });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (screenshots.length > 0) console.log(`dashboard history screenshots:\n  ${screenshots.join('\n  ')}`);
  }, 60_000);

  const table = (page: Page) => page.getByRole('table', { name: 'Past alerts' });
  const rowOf = (page: Page, a: Pick<Alert, 'id' | 'message'>) => table(page).getByRole('row').filter({ hasText: `Alert ${a.id}: ${a.message}` });
  const cellOf = (row: Locator, label: string) => row.locator(`td[data-label="${label}"]`);
  const summary = (page: Page) => page.locator('p.history-summary[role=status]');
  const filtersOf = (page: Page) => page.getByRole('search', { name: 'Filter alerts' });
  // Every read polls (the page renders on its own schedule): a read right after waiting for
  // something else may see the frame before (CI, commit 80bf43d).
  const poll = <T>(read: () => Promise<T>, timeout = UI_TIMEOUT_MS) => expect.poll(read, { timeout });
  // 30 days, not today: "today" starts at the site's (UTC) midnight, which may fall between the
  // raise in beforeAll and the page load (the row would then never appear); 30d is no default either.
  const filterUrl = `#/alerts/history?site=${DEMO_SITE.id}&severity=critical&state=resolved&range=30d`;

  it('opens from a filter URL with the filters set, shows the alert with its times, its timeline, and downloads the CSV', async () => {
    const page = await openSignedIn(browser.context, stack.url, { user: stack.users.engineer.id, password: stack.users.engineer.password });
    // The board links to the history.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await poll(() => page.getByRole('link', { name: 'History' }).getAttribute('href')).toBe('#/alerts/history');

    const listed = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/alerts' && new URL(r.url()).searchParams.get('site') === DEMO_SITE.id);
    await page.goto(`${stack.url}/${filterUrl}`);
    await page.getByRole('heading', { level: 1, name: 'Alert history' }).waitFor();
    const asked = new URL((await listed).url()).searchParams;
    expect(Object.fromEntries(asked)).toMatchObject({ site: DEMO_SITE.id, severity: 'critical', state: 'resolved', limit: '200' });
    const filters = filtersOf(page);
    // The site options come from GET /sites, apart from the alerts: until they are in, the select
    // can only show "All my sites".
    await poll(() => filters.getByLabel('Site').inputValue()).toBe(DEMO_SITE.id);
    await poll(() => filters.getByLabel('Severity').inputValue()).toBe('critical');
    await poll(() => filters.getByLabel('State').inputValue()).toBe('resolved');
    await poll(() => filters.getByLabel('Time range').inputValue()).toBe('30d');

    const row = rowOf(page, alert);
    const ackSeconds = Math.round(((alert.acknowledgedAt ?? 0) - alert.raisedAt) / 1000);
    const cell = (label: string) => cellOf(row, label);
    await poll(() => cell('Site').textContent()).toBe(DEMO_SITE.name);
    await poll(() => cell('State').textContent()).toBe('resolved');
    await poll(() => cell('Acknowledged by').textContent()).toBe(stack.users.engineer.id);
    await poll(() => cell('To acknowledge').textContent()).toMatch(ackSeconds < 60 ? new RegExp(`^${ackSeconds} s$`) : /min/);
    await poll(() => cell('To resolve').textContent()).toMatch(/^\d+ s$|min/);
    await page.getByText(/^1 alert raised from .* Time to acknowledge: median .*, worst .* \(1 acknowledged\)\. Time to resolve: median .* \(1 resolved\)\.$/).waitFor();

    // Changing a filter keeps focus on it and puts it in the link.
    const state = filters.getByLabel('State');
    await state.focus();
    const relisted = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/alerts' && !new URL(r.url()).searchParams.has('state'));
    await state.selectOption('all');
    await relisted;
    await page.waitForURL((u) => u.hash === `#/alerts/history?site=${DEMO_SITE.id}&severity=critical&range=30d`);
    await row.waitFor();
    await poll(async () => (await focused(state)) || await describeFocus(page)).toBe(true);

    await page.getByRole('button', { name: `Timeline of alert ${alert.id}` }).click();
    const timeline = page.locator(`#history-${alert.id}-timeline`);
    const entries = timeline.getByRole('listitem');
    await entries.filter({ hasText: 'Raised (critical): Passenger trapped' }).waitFor();
    await entries.filter({ hasText: `Acknowledged by ${stack.users.engineer.id} via api` }).waitFor();
    await entries.filter({ hasText: 'Resolved by system' }).waitFor();

    const { name, lines } = await downloadCsv(page);
    expect(name).toMatch(new RegExp(`^alert-history-${DEMO_SITE.id}-30d-to-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    expect(lines[0]).toBe(CSV_HEADER);
    const line = lines.find((l) => l.startsWith(`${alert.id},`));
    expect(line).toBe([
      alert.id, new Date(alert.raisedAt).toISOString(), DEMO_SITE.name, DEMO_GATEWAY.id, LIFT, 'entrapment-alarm', alert.message.includes(',') ? `"${alert.message}"` : alert.message,
      'critical', 'resolved', new Date(alert.acknowledgedAt ?? 0).toISOString(), `user:${stack.users.engineer.id}`, ackSeconds,
      new Date(alert.resolvedAt ?? 0).toISOString(), Math.round(((alert.resolvedAt ?? 0) - alert.raisedAt) / 1000), 'UTC',
    ].join(','));
    expect(lines.at(-1)).toBe('');

    const ready = () => entries.first().waitFor();
    expect(await axeBothWidths(page, 'alert history, timeline open', ready)).toEqual([]);
    screenshots.push(...await screenshotBothWidths(page, 'history', ready));
    await page.close();
  }, 90_000);

  it('shows an alert raised while it is open, and its acknowledgement and resolution, without a reload or a new GET /alerts', async () => {
    const page = await openSignedIn(browser.context, stack.url, { user: stack.users.engineer.id, password: stack.users.engineer.password });
    await page.goto(`${stack.url}/#/alerts/history?device=${LIFT}&severity=critical&range=30d`);
    await rowOf(page, alert).waitFor();
    await untilLive(page);
    // Survives only as long as the document does; and every list request from now on is counted.
    await page.evaluate('window.__sameDocument = true');
    const listed: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/alerts') listed.push(r.url());
    });

    await apiCall(stack.controlUrl, undefined, 'POST', `/devices/${LIFT}/faults`, { fault: 'entrapment' });
    const raised = await vi.waitFor(async () => {
      const open = await apiCall<{ items: Alert[] }>(stack.url, stack.adminToken, 'GET', `/api/v1/alerts?device=${LIFT}&state=open`);
      const a = open.items.find((x) => x.rule === 'entrapment-alarm');
      if (a === undefined) throw new Error('no open entrapment-alarm alert yet');
      return a;
    }, { timeout: 30_000, interval: 200 });
    const row = rowOf(page, raised);
    await row.waitFor();
    // On top, above the one loaded; the summary counts it: as many alerts as rows, at least the two.
    // (Not exactly two: on a slow machine the 30 s stopped-between-floors rule, also critical, may
    // have fired by the time the count is read.)
    await poll(() => table(page).locator('td.history-alert').first().textContent()).toMatch(new RegExp(`^Alert ${raised.id}: `));
    await poll(async () => {
      const text = (await summary(page).textContent()) ?? '';
      const rows = await table(page).locator('td.history-alert').count();
      return { counted: /^(\d+) alerts raised from .* to now\. /.exec(text)?.[1] === String(rows) && rows >= 2, acked: / \(1 acknowledged\)\./.test(text) };
    }).toEqual({ counted: true, acked: true });

    await apiCall(stack.url, stack.users.engineer.token, 'POST', `/api/v1/alerts/${raised.id}/ack`);
    await poll(() => cellOf(row, 'State').textContent()).toBe('acknowledged');
    await poll(() => cellOf(row, 'Acknowledged by').textContent()).toBe(stack.users.engineer.id);
    await poll(() => summary(page).textContent()).toMatch(/ \(2 acknowledged\)\. /);

    await apiCall(stack.controlUrl, undefined, 'DELETE', `/devices/${LIFT}/faults/entrapment`);
    // The clear waits out the rule's 5 s hold at the gateway, then the trip: as long as beforeAll allows.
    await poll(() => cellOf(row, 'State').textContent(), 30_000).toBe('resolved');
    await poll(() => cellOf(row, 'To resolve').textContent()).toMatch(/^\d+ s$|min/);
    // The summary's resolved count follows the rows (whatever else the fault raised meanwhile).
    const resolvedCounts = async () => {
      const text = (await summary(page).textContent()) ?? '';
      const states = await table(page).locator('td[data-label="State"]').allTextContents();
      return { summary: /\((\d+) resolved\)/.exec(text)?.[1], rows: String(states.filter((s) => s === 'resolved').length) };
    };
    await poll(async () => {
      const c = await resolvedCounts();
      return c.summary === c.rows && Number(c.rows) >= 2;
    }).toBe(true);

    expect(listed).toEqual([]);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await page.close();
  }, 90_000);

  it('shows a manager of another site none of it', async () => {
    const page = await openSignedIn(browser.context, stack.url, { token: stack.users.otherManager.token });
    await page.goto(`${stack.url}/#/alerts/history?range=30d`);
    await page.getByText(/^No alerts raised from /).waitFor();
    await poll(() => table(page).count()).toBe(0);
    // Their site list holds only their own site; the demo site's URL is refused, as the API does.
    const site = filtersOf(page).getByLabel('Site');
    await poll(() => site.locator('option').allTextContents()).toEqual(['All my sites', OTHER_SITE.name]);
    await page.goto(`${stack.url}/${filterUrl}`);
    await page.getByRole('alert').filter({ hasText: 'Could not load the alerts: Not found, or not one of your sites' }).waitFor();
    await poll(() => table(page).count()).toBe(0);
    await page.close();
  }, 60_000);

  it('pages older alerts: 205 seeded in the store, 200 shown, "Load older alerts" adds the rest once each', async () => {
    // Straight into the store (resolved at once, so the engine plans no texts for them).
    const now = Date.now();
    for (let i = 0; i < 205; i += 1) {
      const { alert: a } = await stack.server.store.openAlert({ gateway: DEMO_GATEWAY.id, device: 'seeded', rule: `seed-${i}` }, { severity: 'info', message: `Seeded ${i}`, at: now - 60_000 - (i % 50) * 1_000 });
      await stack.server.store.transitionAlert(a.id, 'resolved', now - 30_000);
    }
    const page = await openSignedIn(browser.context, stack.url, { user: stack.users.manager.id, password: stack.users.manager.password });
    await page.goto(`${stack.url}/#/alerts/history?device=seeded`);
    const rows = table(page).locator('tbody tr:not(.history-timeline)');
    await page.getByText(/^200 alerts raised from .* \(the newest; older ones are not loaded yet\)\./).waitFor();
    await poll(() => rows.count()).toBe(200);
    const older = page.getByRole('button', { name: 'Load older alerts' });
    const paged = page.waitForRequest((r) => new URL(r.url()).searchParams.has('before'));
    await older.click();
    expect(new URL((await paged).url()).searchParams.get('device')).toBe('seeded');
    // Resolve times 30 s + (i % 50) s: 30..34 s five times each, 35..79 s four times; the 103rd is 54 s.
    await page.getByText(/^205 alerts raised from .* to now\. Time to acknowledge: none acknowledged\. Time to resolve: median 54 s, worst 1 min 19 s \(205 resolved\)\.$/).waitFor();
    // Same-millisecond raises across the page boundary: none repeated, none missing.
    await poll(async () => new Set(await table(page).locator('td.history-alert').allTextContents()).size).toBe(205);
    await poll(() => older.count()).toBe(0);
    await page.close();
  }, 60_000);

  it("shows a site in another zone with that zone's days and times, and says so; mixed zones get the browser's", async () => {
    await apiCall(stack.url, stack.adminToken, 'POST', '/api/v1/sites', { id: ATOLL.id, name: ATOLL.name, timezone: ATOLL.timezone });
    await stack.server.store.upsertGateway({ id: ATOLL.gateway, site: ATOLL.id, name: 'Atoll gateway', secretHash: 'unused' });
    // Around the atoll's midnights of 10 Mar 2026 (09:59:30/10:00:30 UTC on the 9th and the 10th),
    // hours from New York's (04:00 UTC): which fall on "10 Mar" tells whose day the page used.
    const seeded: Record<string, { id: number; message: string }> = {};
    for (const [key, iso] of [['before', '2026-03-09T09:59:30Z'], ['first', '2026-03-09T10:00:30Z'], ['last', '2026-03-10T09:59:30Z'], ['after', '2026-03-10T10:00:30Z']] as const) {
      const message = `Atoll pump ${key}`;
      const { alert: a } = await stack.server.store.openAlert({ gateway: ATOLL.gateway, device: 'pump-1', rule: `zone-${key}` }, { severity: 'major', message, at: Date.parse(iso) });
      await stack.server.store.transitionAlert(a.id, 'resolved', Date.parse(iso) + 60_000);
      seeded[key] = { id: a.id, message };
    }
    const messages = (...keys: string[]) => keys.map((k) => `Alert ${seeded[k]?.id}: ${seeded[k]?.message} (zone-${k})`);
    // The label's text ends with the select's options, hence the prefix matches.
    const rangeNamed = (p: Page, zone: string | null) => filtersOf(p).getByLabel(zone === null ? /^Time range(?! \()/ : new RegExp(`^Time range \\(${zone.replace('/', '\\/')}\\)`));

    // A chromium of its own: its clock is fixed for every page of its context, which the other tests' must not be.
    const zoned = await launchChromium();
    try {
      // "Today" is 10 Mar at 20:00 on the atoll (02:00 in New York), whatever the real clock says.
      await zoned.context.clock.setFixedTime(new Date('2026-03-10T06:00:00Z'));
      const inNewYork = async (who: Credentials): Promise<Page> => {
        const p = await openSignedIn(zoned.context, stack.url, who);
        await (await zoned.context.newCDPSession(p)).send('Emulation.setTimezoneOverride', { timezoneId: BROWSER_ZONE });
        return p;
      };
      const page = await inNewYork({ user: stack.users.engineer.id, password: stack.users.engineer.password });
      const raisedCell = (key: string) => cellOf(rowOf(page, seeded[key] ?? { id: 0, message: '' }), 'Raised');
      const shown = () => table(page).locator('td.history-alert').allTextContents();

      // Today runs to the server's now, so "after" (00:00:30 on the 11th there) is in it too; "before" is not.
      await page.goto(`${stack.url}/#/alerts/history?site=${ATOLL.id}&range=today`);
      await rangeNamed(page, ATOLL.timezone).waitFor();
      await poll(shown).toEqual(messages('after', 'last', 'first'));
      await poll(() => raisedCell('first').textContent()).toBe('00:00:30');
      await poll(() => summary(page).textContent()).toMatch(/^3 alerts raised from 10 Mar 00:00 to now\./);

      // Custom days: the atoll's 10 Mar, both ends; New York's would hold "last" and "after".
      await page.goto(`${stack.url}/#/alerts/history?site=${ATOLL.id}&range=custom&from=2026-03-10&to=2026-03-10`);
      await poll(shown).toEqual(messages('last', 'first'));
      await poll(() => summary(page).textContent()).toMatch(/^2 alerts raised from 10 Mar 00:00 to 11 Mar 00:00\./);
      await poll(() => raisedCell('last').textContent()).toBe('23:59:30');
      const { name, lines } = await downloadCsv(page);
      expect(name).toBe(`alert-history-${ATOLL.id}-2026-03-10-to-2026-03-10.csv`);
      expect(lines[0]).toBe(CSV_HEADER);
      expect(lines.find((l) => l.startsWith(`${seeded.first?.id},`))).toBe([
        seeded.first?.id, '2026-03-10T00:00:30.000+14:00', ATOLL.name, ATOLL.gateway, 'pump-1', 'zone-first', 'Atoll pump first',
        'major', 'resolved', '', '', '', '2026-03-10T00:01:30.000+14:00', 60, ATOLL.timezone,
      ].join(','));

      // All the engineer's sites: UTC and the atoll's zone, so no one site's day: the browser's.
      await page.goto(`${stack.url}/#/alerts/history?range=custom&from=2026-03-10&to=2026-03-10&device=pump-1`);
      await poll(shown).toEqual(messages('after', 'last'));
      await rangeNamed(page, null).waitFor();

      // A manager of one UTC site: every site they see shares UTC, which is not the browser's.
      const manager = await inNewYork({ token: stack.users.otherManager.token });
      await manager.goto(`${stack.url}/#/alerts/history?range=30d`);
      await rangeNamed(manager, 'UTC').waitFor();
    } finally {
      await zoned.close();
    }
  }, 90_000);
});
