import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromiumMissing, launchChromium, type Chromium } from '../src/dashboard/chromium.js';
import { DEMO_GATEWAY, DEMO_SITE } from '../src/demo/demo-setup.js';
import { apiCall } from './dashboard/api-call.js';
import { axeBothWidths } from './dashboard/axe-check.js';
import { describeFocus, focused } from './dashboard/keyboard.js';
import { startDashboardStack, type DashboardStack } from './dashboard/dashboard-stack.js';
import { screenshotBothWidths } from './dashboard/screenshots.js';
import { openSignedIn } from '../src/dashboard/sign-in.js';
import { OTHER_SITE } from './dashboard/stack-config.js';

const missing = chromiumMissing();
if (missing) console.warn(`dashboard history browser test skipped: ${missing}`);

const LIFT = 'lift-a';

interface Alert {
  id: number; device: string; rule: string; state: string; message: string; raisedAt: number;
  acknowledgedAt: number | null; acknowledgedBy: string | null; resolvedAt: number | null;
}

/**
 * The alert history (docs/dashboard.md "Alert history") in chromium against the real chain: an
 * entrapment raised at the sim, acknowledged through the API, resolved by clearing the fault at
 * the sim; then found through a filter URL with its response times, its timeline, and the CSV.
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
  const rowOf = (page: Page, a: Alert) => table(page).getByRole('row').filter({ hasText: `Alert ${a.id}: ${a.message}` });
  // 30 days, not today: "today" starts at the browser's midnight, which may fall between the
  // raise in beforeAll and the page load (the row would then never appear); 30d is no default either.
  const filterUrl = `#/alerts/history?site=${DEMO_SITE.id}&severity=critical&state=resolved&range=30d`;

  it('opens from a filter URL with the filters set, shows the alert with its times, its timeline, and downloads the CSV', async () => {
    const page = await openSignedIn(browser.context, stack.url, { user: stack.users.engineer.id, password: stack.users.engineer.password });
    // The board links to the history.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    expect(await page.getByRole('link', { name: 'History' }).getAttribute('href')).toBe('#/alerts/history');

    const listed = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/alerts' && new URL(r.url()).searchParams.get('site') === DEMO_SITE.id);
    await page.goto(`${stack.url}/${filterUrl}`);
    await page.getByRole('heading', { level: 1, name: 'Alert history' }).waitFor();
    const asked = new URL((await listed).url()).searchParams;
    expect(Object.fromEntries(asked)).toMatchObject({ site: DEMO_SITE.id, severity: 'critical', state: 'resolved', limit: '200' });
    const filters = page.getByRole('search', { name: 'Filter alerts' });
    // The site options come from GET /sites, apart from the alerts: until they are in, the select
    // can only show "All my sites" (read too early, its value was '' in one run of three here).
    await filters.getByLabel('Site').locator('option', { hasText: DEMO_SITE.name }).waitFor({ state: 'attached' });
    expect(await filters.getByLabel('Site').inputValue()).toBe(DEMO_SITE.id);
    expect(await filters.getByLabel('Severity').inputValue()).toBe('critical');
    expect(await filters.getByLabel('State').inputValue()).toBe('resolved');
    expect(await filters.getByLabel('Time range').inputValue()).toBe('30d');

    const row = rowOf(page, alert);
    await row.waitFor();
    const ackSeconds = Math.round(((alert.acknowledgedAt ?? 0) - alert.raisedAt) / 1000);
    const cell = (label: string) => row.locator(`td[data-label="${label}"]`);
    expect(await cell('Site').textContent()).toBe(DEMO_SITE.name);
    expect(await cell('State').textContent()).toBe('resolved');
    expect(await cell('Acknowledged by').textContent()).toBe(stack.users.engineer.id);
    expect(await cell('To acknowledge').textContent()).toMatch(ackSeconds < 60 ? new RegExp(`^${ackSeconds} s$`) : /min/);
    expect(await cell('To resolve').textContent()).toMatch(/^\d+ s$|min/);
    await page.getByText(/^1 alert raised from .* Time to acknowledge: median .*, worst .* \(1 acknowledged\)\. Time to resolve: median .* \(1 resolved\)\.$/).waitFor();

    // Changing a filter keeps focus on it and puts it in the link.
    const state = filters.getByLabel('State');
    await state.focus();
    const relisted = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/alerts' && !new URL(r.url()).searchParams.has('state'));
    await state.selectOption('all');
    await relisted;
    await page.waitForURL((u) => u.hash === `#/alerts/history?site=${DEMO_SITE.id}&severity=critical&range=30d`);
    await row.waitFor();
    expect(await focused(state), await describeFocus(page)).toBe(true);

    await page.getByRole('button', { name: `Timeline of alert ${alert.id}` }).click();
    const timeline = page.locator(`#history-${alert.id}-timeline`);
    const entries = timeline.getByRole('listitem');
    await entries.filter({ hasText: 'Raised (critical): Passenger trapped' }).waitFor();
    await entries.filter({ hasText: `Acknowledged by ${stack.users.engineer.id} via api` }).waitFor();
    await entries.filter({ hasText: 'Resolved by system' }).waitFor();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(new RegExp(`^alert-history-${DEMO_SITE.id}-30d-to-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const csv = await readFile(await file.path(), 'utf8');
    const lines = csv.replace(/^\ufeff/, '').split('\r\n');
    expect(lines[0]).toBe('id,raised_at,site,gateway,device,rule,message,severity,state,acknowledged_at,acknowledged_by,time_to_acknowledge_s,resolved_at,time_to_resolve_s');
    const line = lines.find((l) => l.startsWith(`${alert.id},`));
    expect(line).toBe([
      alert.id, new Date(alert.raisedAt).toISOString(), DEMO_SITE.name, DEMO_GATEWAY.id, LIFT, 'entrapment-alarm', alert.message.includes(',') ? `"${alert.message}"` : alert.message,
      'critical', 'resolved', new Date(alert.acknowledgedAt ?? 0).toISOString(), `user:${stack.users.engineer.id}`, ackSeconds,
      new Date(alert.resolvedAt ?? 0).toISOString(), Math.round(((alert.resolvedAt ?? 0) - alert.raisedAt) / 1000),
    ].join(','));
    expect(lines.at(-1)).toBe('');

    const ready = () => entries.first().waitFor();
    expect(await axeBothWidths(page, 'alert history, timeline open', ready)).toEqual([]);
    screenshots.push(...await screenshotBothWidths(page, 'history', ready));
    await page.close();
  }, 90_000);

  it('shows a manager of another site none of it', async () => {
    const page = await openSignedIn(browser.context, stack.url, { token: stack.users.otherManager.token });
    await page.goto(`${stack.url}/#/alerts/history?range=30d`);
    await page.getByText(/^No alerts raised from /).waitFor();
    expect(await table(page).count()).toBe(0);
    // Their site list holds only their own site; the demo site's URL is refused, as the API does.
    const site = page.getByRole('search', { name: 'Filter alerts' }).getByLabel('Site');
    await site.locator('option', { hasText: OTHER_SITE.name }).waitFor({ state: 'attached' });
    expect(await site.locator('option').allTextContents()).toEqual(['All my sites', OTHER_SITE.name]);
    await page.goto(`${stack.url}/${filterUrl}`);
    await page.getByRole('alert').filter({ hasText: 'Could not load the alerts: Not found, or not one of your sites' }).waitFor();
    expect(await table(page).count()).toBe(0);
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
    expect(await rows.count()).toBe(200);
    const older = page.getByRole('button', { name: 'Load older alerts' });
    const paged = page.waitForRequest((r) => new URL(r.url()).searchParams.has('before'));
    await older.click();
    expect(new URL((await paged).url()).searchParams.get('device')).toBe('seeded');
    // Resolve times 30 s + (i % 50) s: 30..34 s five times each, 35..79 s four times; the 103rd is 54 s.
    await page.getByText(/^205 alerts raised from .* to now\. Time to acknowledge: none acknowledged\. Time to resolve: median 54 s, worst 1 min 19 s \(205 resolved\)\.$/).waitFor();
    // Same-millisecond raises across the page boundary: none repeated, none missing.
    const texts = await table(page).locator('td.history-alert').allTextContents();
    expect(new Set(texts).size).toBe(205);
    expect(await older.count()).toBe(0);
    await page.close();
  }, 60_000);
});
