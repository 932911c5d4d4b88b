import type { APIResponse, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, type Chromium } from '../src/dashboard/chromium.js';
import { DEMO_GATEWAY, DEMO_SITE } from '../src/demo/demo-setup.js';
import { apiCall } from './dashboard/api-call.js';
import { axeBothWidths } from './dashboard/axe-check.js';
import { describeFocus, focused, tabTo } from './dashboard/keyboard.js';
import { startDashboardStack, type DashboardStack } from './dashboard/dashboard-stack.js';
import { screenshotBothWidths } from './dashboard/screenshots.js';
import { openSignedIn, UI_TIMEOUT_MS, untilLive } from '../src/dashboard/sign-in.js';
import { OTHER_SITE } from './dashboard/stack-config.js';

const missing = chromiumMissing();
if (missing) console.warn(`dashboard browser tests skipped: ${missing}`);

const LIFT = 'lift-a';
const CABINET = { id: 'signal-5th-main', name: 'Signal 5th and Main' };

interface Alert { id: number; device: string; rule: string; state: string; message: string; acknowledgedBy: string | null }
interface AuditEntry { actor: string; action: string; target: string }

/**
 * The dashboard in Debian's chromium against the real chain (docs/dashboard.md is the contract;
 * its accessible names are the selectors): sim → gateway → fleet server → dashboard.
 */
describe.skipIf(missing !== undefined)('dashboard in chromium', () => {
  let stack: DashboardStack;
  let browser: Chromium;
  const screenshots: string[] = [];
  /** The entrapment alert the board test raises; later tests look for it as other users. */
  let alert: Alert | undefined;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startDashboardStack(), launchChromium()]);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    if (screenshots.length > 0) console.log(`dashboard screenshots:\n  ${screenshots.join('\n  ')}`);
  }, 60_000);

  const api = <T>(method: string, path: string, token = stack.adminToken): Promise<T> => apiCall<T>(stack.url, token, method, path);
  const engineer = (): Promise<Page> => openSignedIn(browser.context, stack.url, { user: stack.users.engineer.id, password: stack.users.engineer.password });
  const siteSection = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
  const alertArticle = (page: Page, a: Alert) => page.getByRole('list', { name: 'Open alerts' }).getByRole('article', { name: `Alert ${a.id}: ${a.message}` });

  it('signs in with user and password, shows the demo site on the overview and opens its site view', async () => {
    const page = await engineer();
    await page.getByRole('banner').getByText(stack.users.engineer.name).waitFor();
    const demo = siteSection(page, DEMO_SITE.name);
    await demo.waitFor();
    // An engineer sees every site. The other site's gateway is provisioned but never connects.
    await siteSection(page, OTHER_SITE.name).getByText('0 online, 0 offline, 1 never connected').waitFor();

    await demo.getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: DEMO_SITE.name }).waitFor();
    // Waited for: a read of page.url() would rely on the navigation event reaching Playwright before the heading's answer.
    await page.waitForURL(new RegExp(`#/sites/${DEMO_SITE.id}$`));
    for (const section of ['Elevators', 'Car park', 'Water', 'Signal cabinets']) await page.getByRole('region', { name: section }).waitFor();
    const lift = page.getByRole('region', { name: 'Elevators' }).getByRole('article', { name: 'Lift A' });
    await lift.waitFor();
    expect(await lift.getByRole('link', { name: 'History' }).getAttribute('href')).toBe(`#/devices/${DEMO_GATEWAY.id}/${LIFT}`);
    screenshots.push(...await screenshotBothWidths(page, 'site', () => lift.waitFor()));
    await page.close();
  }, 60_000);

  it('shows an elevator entrapment injected at the sim on the open board without a reload; acknowledging it is recorded with the user', async () => {
    const page = await engineer();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('list', { name: 'Open alerts' }).waitFor();
    await untilLive(page);
    // Survives only as long as the document does: a reload would drop it.
    await page.evaluate('window.__sameDocument = true');

    await apiCall(stack.controlUrl, undefined, 'POST', `/devices/${LIFT}/faults`, { fault: 'entrapment' });
    // The profile's 3 s debounce, then gateway → MQTT → alert engine → event stream.
    await page.getByRole('article', { name: /^Alert \d+: Passenger trapped between floors/ }).waitFor({ timeout: 30_000 });
    const open = await api<{ items: Alert[] }>('GET', `/api/v1/alerts?device=${LIFT}&state=open`);
    alert = open.items.find((a) => a.rule === 'entrapment-alarm');
    expect(alert).toBeDefined();
    const article = alertArticle(page, alert!);
    await article.waitFor();
    expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
    await article.locator('time').first().waitFor();
    screenshots.push(...await screenshotBothWidths(page, 'alerts', () => article.waitFor()));

    // The caretaker's text went out first, so the timeline has a send attempt to show. The sink has
    // the text before the server has the sink's answer and records the attempt: waited for in the API,
    // since the timeline loads once when opened (and on a state change, which an attempt is not).
    const text = await stack.smsMatching((m) => m.body.includes('Passenger trapped'));
    const attempts = async (): Promise<string[]> =>
      (await api<{ timeline: { kind: string; outcome?: string }[] }>('GET', `/api/v1/alerts/${alert!.id}`)).timeline.flatMap((e) => (e.kind === 'attempt' ? [e.outcome ?? ''] : []));
    await expect.poll(attempts, { timeout: 10_000 }).toContain('sent');
    await article.getByRole('button', { name: `Acknowledge alert ${alert!.id}` }).click();
    await article.getByText(new RegExp(`Acknowledged by (user:)?${stack.users.engineer.id}\\b`)).waitFor();
    expect(await api<Alert>('GET', `/api/v1/alerts/${alert!.id}`)).toMatchObject({ state: 'acknowledged', acknowledgedBy: `user:${stack.users.engineer.id}` });
    // Polled: the API writes the audit entry after the transition, whose live event may have shown
    // the acknowledgement on the card before the POST has answered (api/alerts-routes.ts close()).
    const audit = async (): Promise<AuditEntry[]> => (await api<{ items: AuditEntry[] }>('GET', `/api/v1/audit?target=alert:${alert!.id}`)).items;
    await expect.poll(audit, { timeout: 5_000 }).toContainEqual(expect.objectContaining({ action: 'alert.acknowledge', actor: `user:${stack.users.engineer.id}` }));
    // The timeline disclosure: raised, then who acknowledged it and how.
    await article.getByRole('button', { name: 'Timeline' }).click();
    const entries = article.getByRole('listitem');
    await entries.filter({ hasText: 'Raised (critical): Passenger trapped' }).waitFor();
    await entries.filter({ hasText: `SMS attempt 1 to ${text.to}: sent` }).waitFor();
    await entries.filter({ hasText: new RegExp(`Acknowledged by (user:)?${stack.users.engineer.id} via api`) }).waitFor();

    // The overview counts it (a screenshot with something on it).
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    const demo = siteSection(page, DEMO_SITE.name);
    screenshots.push(...await screenshotBothWidths(page, 'overview', () => demo.waitFor()));
    await page.close();
  }, 60_000);

  it('sends a cabinet command from the site page after a confirmation; it reaches the sim and the page shows the result', async () => {
    const page = await engineer();
    await page.goto(`${stack.url}/#/sites/${DEMO_SITE.id}`);
    const cabinet = page.getByRole('region', { name: 'Signal cabinets' }).getByRole('article', { name: CABINET.name });
    // The page shows the controller's mode; it starts in auto, so the change to flash is the command's doing.
    const mode = (value: string) => cabinet.getByRole('definition').filter({ hasText: new RegExp(`^${value}$`) });
    await mode('auto').waitFor({ timeout: 20_000 });
    await cabinet.getByRole('button', { name: 'Flash mode' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm command' });
    await dialog.getByRole('button', { name: 'Send' }).click();
    // The page waits for the gateway's result (?wait=10s) and then says how it ended.
    const outcome = cabinet.getByRole('status').filter({ hasText: /set-flash: (succeeded|failed)/ });
    await outcome.waitFor({ timeout: 20_000 }).catch(async (err: Error) => {
      throw new Error(`${err.message}\ncabinet status: ${await cabinet.getByRole('status').allTextContents()}`);
    });
    expect(await outcome.textContent()).toContain('set-flash: succeeded');
    // The new mode comes back as a live value.
    await mode('flash').waitFor();

    // Ground truth from the simulated controller, and the command as the API recorded it.
    const truth = await apiCall<{ values: Record<string, unknown> }>(stack.controlUrl, undefined, 'GET', `/devices/${CABINET.id}`);
    expect(['flash', 2]).toContain(truth.values.mode);
    const commands = await api<{ items: { request: { command?: string }; state: string; createdBy: string }[] }>('GET', `/api/v1/gateways/${DEMO_GATEWAY.id}/commands?device=${CABINET.id}`);
    expect(commands.items[0]).toMatchObject({ request: { command: 'set-flash' }, state: 'ok', createdBy: `user:${stack.users.engineer.id}` });
    await page.close();
  }, 60_000);

  it("keeps the alert and the demo site from a manager of another site (signed in with an API token)", async () => {
    expect(alert).toBeDefined();
    const page = await openSignedIn(browser.context, stack.url, { token: stack.users.otherManager.token });
    await siteSection(page, OTHER_SITE.name).waitFor();
    expect(await siteSection(page, DEMO_SITE.name).count()).toBe(0);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('list', { name: 'Open alerts' }).waitFor();
    // The API the board reads answers the same: nothing of the demo site.
    expect((await api<{ items: Alert[] }>('GET', '/api/v1/alerts?state=open', stack.users.otherManager.token)).items).toEqual([]);
    expect(await page.getByRole('article', { name: new RegExp(`^Alert ${alert!.id}:`) }).count()).toBe(0);

    // Nor by typing the demo site's address: the API answers 404, the page says so and shows none of its devices.
    await page.goto(`${stack.url}/#/sites/${DEMO_SITE.id}`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('article', { name: 'Lift A' }).count()).toBe(0);
    await page.close();
  }, 60_000);

  it("shows the demo site's manager the alert but no command buttons", async () => {
    expect(alert).toBeDefined();
    const page = await openSignedIn(browser.context, stack.url, { user: stack.users.manager.id, password: stack.users.manager.password });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await alertArticle(page, alert!).waitFor();

    await page.goto(`${stack.url}/#/sites/${DEMO_SITE.id}`);
    const cabinet = page.getByRole('region', { name: 'Signal cabinets' }).getByRole('article', { name: CABINET.name });
    await cabinet.waitFor({ timeout: UI_TIMEOUT_MS });
    for (const name of ['Flash mode', 'Automatic', 'Pre-emption…']) expect(await page.getByRole('button', { name }).count()).toBe(0);
    await page.close();
  }, 60_000);

  it('passes axe (WCAG 2.1 A/AA) without serious or critical findings on every view at desktop and phone width', async () => {
    expect(alert).toBeDefined();
    const blocking: string[] = [];
    const page = await browser.context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(`${stack.url}/`);
    blocking.push(...await axeBothWidths(page, 'sign-in', () => page.getByRole('heading', { name: 'Sign in' }).waitFor()));
    await page.close();

    const signed = await engineer();
    blocking.push(...await axeBothWidths(signed, 'overview', () => siteSection(signed, DEMO_SITE.name).waitFor()));
    await signed.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    const article = alertArticle(signed, alert!);
    await article.getByRole('button', { name: 'Timeline' }).click();
    const timelineShown = () => article.getByRole('listitem').filter({ hasText: 'Raised (critical)' }).waitFor();
    blocking.push(...await axeBothWidths(signed, 'alert board, timeline open', timelineShown));

    await signed.goto(`${stack.url}/#/sites/${DEMO_SITE.id}`);
    const families = ['Elevators', 'Car park', 'Water', 'Signal cabinets'];
    const siteShown = async () => { for (const name of families) await signed.getByRole('region', { name }).getByRole('article').first().waitFor(); };
    blocking.push(...await axeBothWidths(signed, 'site', siteShown));
    const cabinet = signed.getByRole('region', { name: 'Signal cabinets' }).getByRole('article', { name: CABINET.name });
    await cabinet.getByRole('button', { name: 'Pre-emption…' }).click();
    const dialog = signed.getByRole('dialog', { name: 'Confirm command' });
    blocking.push(...await axeBothWidths(signed, 'confirm command dialog', () => dialog.getByLabel('Hold time (s)').waitFor()));
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await signed.goto(`${stack.url}/#/devices/${DEMO_GATEWAY.id}/${LIFT}`);
    blocking.push(...await axeBothWidths(signed, 'device', () => signed.getByRole('table').getByRole('rowheader').first().waitFor()));
    await signed.close();
    expect(blocking.join('\n')).toBe('');
  }, 120_000);

  it('works from the keyboard alone: sign in, acknowledge and resolve an alert on the board keeping focus, a command dialog that Escape closes', async () => {
    // A red lamp failure raises a major alert at once (no debounce): one nobody has acknowledged yet.
    await apiCall(stack.controlUrl, undefined, 'POST', `/devices/${CABINET.id}/faults`, { fault: 'red-lamp-failure' });
    const page = await browser.context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(`${stack.url}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await tabTo(page, page.getByLabel('User', { exact: true }));
    await page.keyboard.type(stack.users.engineer.id);
    await tabTo(page, page.getByLabel('Password', { exact: true }));
    await page.keyboard.type(stack.users.engineer.password);
    await tabTo(page, page.getByRole('button', { name: 'Sign in' }));
    await page.keyboard.press('Enter');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.waitFor();

    await tabTo(page, nav.getByRole('link', { name: 'Alerts' }));
    await page.keyboard.press('Enter');
    const lamp = page.getByRole('list', { name: 'Open alerts' }).getByRole('article', { name: /^Alert \d+: Red lamp out/ });
    await lamp.waitFor({ timeout: 30_000 });
    const open = await api<{ items: Alert[] }>('GET', `/api/v1/alerts?device=${CABINET.id}&state=open`);
    const id = open.items.find((a) => a.rule === 'red-lamp-failure')?.id;
    expect(id).toBeDefined();
    const card = page.getByRole('list', { name: 'Open alerts' }).getByRole('article', { name: new RegExp(`^Alert ${id}: Red lamp out`) });
    await tabTo(page, card.getByRole('button', { name: `Acknowledge alert ${id}` }));
    await page.keyboard.press('Enter');
    await card.getByText(new RegExp(`Acknowledged by (user:)?${stack.users.engineer.id}\\b`)).waitFor();
    expect(await api<Alert>('GET', `/api/v1/alerts/${id}`)).toMatchObject({ state: 'acknowledged', acknowledgedBy: `user:${stack.users.engineer.id}` });
    // The Acknowledge button is gone; focus stays on the card (its next action) instead of falling to <body>.
    const resolve = card.getByRole('button', { name: `Resolve alert ${id}` });
    expect(await focused(resolve), await describeFocus(page)).toBe(true);
    // The live event can show the acknowledgement before the POST has answered; until then the card's buttons are aria-disabled.
    await card.getByRole('button', { name: `Resolve alert ${id}`, disabled: false }).waitFor();
    await page.keyboard.press('Enter');
    await card.waitFor({ state: 'detached' });
    expect(await api<Alert>('GET', `/api/v1/alerts/${id}`)).toMatchObject({ state: 'resolved' });
    // The card went with it: focus moves to the start of the main content, not nowhere.
    expect(await focused(page.getByRole('main')), await describeFocus(page)).toBe(true);

    await tabTo(page, nav.getByRole('link', { name: 'Sites' }));
    await page.keyboard.press('Enter');
    await tabTo(page, page.getByRole('main').getByRole('link', { name: DEMO_SITE.name }));
    await page.keyboard.press('Enter');
    const automatic = page.getByRole('region', { name: 'Signal cabinets' }).getByRole('article', { name: CABINET.name }).getByRole('button', { name: 'Automatic' });
    await tabTo(page, automatic, 300);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Confirm command' });
    await dialog.waitFor();
    // Nothing to fill in, so focus starts on the safe choice.
    expect(await focused(dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focused(automatic)).toBe(true);
    await page.close();
  }, 90_000);

  it('shows an alert raised while the board is still loading (its GET /alerts answered from before the alarm)', async () => {
    const page = await engineer();
    await untilLive(page);
    // Hold the board's first open-alerts request: its answer is read from the server at once
    // (before the alarm) and handed to the page only after the alarm's event reached it.
    let held: (answer: APIResponse) => void = () => undefined;
    const answered = new Promise<APIResponse>((resolve) => (held = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    await page.route((url) => url.pathname === '/api/v1/alerts' && url.searchParams.get('state') === 'open', async (route) => {
      if (!first) return route.continue();
      first = false;
      const response = await route.fetch();
      held(response);
      await released;
      await route.fulfill({ response });
    });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    const snapshot = await answered;
    await apiCall(stack.controlUrl, undefined, 'POST', `/devices/${CABINET.id}/faults`, { fault: 'door-open' });
    try {
      // The 5 s debounce, then the event; the board announces it while it still shows Loading….
      const announced = page.getByText(/^New minor alert \d+: Cabinet door open$/);
      await announced.waitFor({ state: 'attached', timeout: 30_000 });
      expect(await page.getByRole('list', { name: 'Open alerts' }).count()).toBe(0);
      const id = Number(/alert (\d+):/.exec((await announced.textContent()) ?? '')?.[1]);
      const before = (await snapshot.json()) as { items: Alert[] };
      expect(before.items.map((a) => a.id)).not.toContain(id);

      release();
      await alertArticle(page, { id, message: 'Cabinet door open' } as Alert).waitFor();
      expect(await page.getByRole('list', { name: 'Open alerts' }).getByRole('article').filter({ hasText: 'Cabinet door open' }).count()).toBe(1);
    } finally {
      release();
      await apiCall(stack.controlUrl, undefined, 'DELETE', `/devices/${CABINET.id}/faults/door-open`);
      await page.close();
    }
  }, 60_000);
});
