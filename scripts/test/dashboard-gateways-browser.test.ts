import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumMissing } from '../src/dashboard/chromium.js';
import { openSignedIn, untilLive } from '../src/dashboard/sign-in.js';
import { DEMO_DEVICES, DEMO_GATEWAY, DEMO_SITE } from '../src/demo/demo-setup.js';
import { apiCall } from './dashboard/api-call.js';
import { axeBothWidths } from './dashboard/axe-check.js';
import { tabTo } from './dashboard/keyboard.js';
import { dashboardBrowserSuite } from './dashboard/browser-suite.js';
import { screenshotBothWidths } from './dashboard/screenshots.js';
import { OTHER_GATEWAY, OTHER_SITE } from './dashboard/stack-config.js';

const missing = chromiumMissing();
if (missing) console.warn(`dashboard gateways browser test skipped: ${missing}`);

const CABINET = 'signal-5th-main';

interface Outcome { state: string; version: number }
interface CommandReply { id: string; state: string }

/**
 * The Gateways views (docs/dashboard.md) in chromium against the real chain: the list with the
 * demo gateway online and a live flip to offline when the gateway stops, the gateway page's
 * devices, desired config outcome and commands for an engineer, none of that for managers who
 * may not see it, and axe at both widths. The gateway is stopped in the last test.
 */
describe.skipIf(missing !== undefined)('dashboard gateways in chromium', () => {
  const suite = dashboardBrowserSuite();

  /** As the engineer, so the page names who sent a command. */
  const api = <T>(method: string, path: string, body?: unknown): Promise<T> => apiCall<T>(suite.stack.url, suite.stack.users.engineer.token, method, path, body);
  const engineer = (): Promise<Page> => suite.engineer();
  const demoGateway = (page: Page) =>
    page.getByRole('region', { name: DEMO_SITE.name, exact: true }).getByRole('list', { name: `Gateways of ${DEMO_SITE.name}` }).getByRole('article', { name: DEMO_GATEWAY.name });

  it("lists the demo gateway online; its page shows its devices, the desired config's outcome and the commands sent", async () => {
    // The same buses and devices the gateway runs from its gateway.yaml, now as a desired config: applied.
    const buses = suite.stack.site.endpoints().map((e) => {
      if (e.kind !== 'tcp') throw new Error(`gateways test: transport ${e.transport} is not TCP`);
      return { id: e.transport, kind: 'tcp', host: e.host, port: e.port, timeout: '500ms' };
    });
    const devices = DEMO_DEVICES.map((d) => ({ id: d.id, bus: d.bus, unit: d.unit, profile: d.profile, name: d.name }));
    const put = await api<{ outcome: Outcome }>('PUT', `/api/v1/gateways/${DEMO_GATEWAY.id}/config?wait=30s`, { config: { buses, devices } });
    expect(put.outcome).toMatchObject({ state: 'applied' });
    const sent = await api<CommandReply>('POST', `/api/v1/gateways/${DEMO_GATEWAY.id}/commands?wait=20s`, { device: CABINET, command: 'set-flash' });
    expect(sent.state).toBe('ok');

    const page = await engineer();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Gateways' }).click();
    const card = demoGateway(page);
    await card.getByText('online', { exact: true }).waitFor();
    await card.getByText(`version ${put.outcome.version}`).waitFor();
    // An engineer sees every site; the other site's gateway never connected.
    await page.getByRole('region', { name: OTHER_SITE.name, exact: true }).getByRole('article', { name: OTHER_GATEWAY }).getByText('never connected', { exact: true }).waitFor();
    suite.screenshots.push(...await screenshotBothWidths(page, 'gateways', () => card.waitFor()));

    await card.getByRole('link', { name: DEMO_GATEWAY.name }).click();
    await page.getByRole('heading', { level: 1, name: DEMO_GATEWAY.name }).waitFor();
    // Waited for: a read of page.url() would rely on the navigation event reaching Playwright before the heading's answer.
    await page.waitForURL(new RegExp(`#/gateways/${DEMO_GATEWAY.id}$`));
    expect(await page.getByRole('main').getByRole('link', { name: DEMO_SITE.name }).getAttribute('href')).toBe(`#/sites/${DEMO_SITE.id}`);
    const table = page.getByRole('table', { name: 'Devices' });
    for (const d of DEMO_DEVICES) {
      const link = table.getByRole('link', { name: d.name, exact: true });
      expect(await link.getAttribute('href')).toBe(`#/devices/${DEMO_GATEWAY.id}/${d.id}`);
      await table.getByRole('row', { name: new RegExp(`^${d.name} online`) }).waitFor();
    }
    const config = page.getByRole('region', { name: 'Desired config' });
    await config.getByText(`Version ${put.outcome.version} applied`).waitFor();
    const commands = page.getByRole('list', { name: 'Recent commands' });
    const flash = commands.getByRole('listitem').filter({ hasText: `set-flash to ${CABINET}: succeeded` });
    await flash.waitFor();
    // formatTime: "14:05:09" today, "28 Nov 23:59" when the browser's midnight passed since the command.
    expect(await flash.textContent()).toMatch(new RegExp(`— by ${suite.stack.users.engineer.id}, (\\d\\d:\\d\\d:\\d\\d|\\d{1,2} [A-Z][a-z]{2,3} \\d\\d:\\d\\d)`));

    // A command sent while the page is open appears live, then gets its result.
    await untilLive(page);
    await page.evaluate('window.__sameDocument = true');
    await api<CommandReply>('POST', `/api/v1/gateways/${DEMO_GATEWAY.id}/commands?wait=20s`, { device: CABINET, command: 'set-auto' });
    await commands.getByRole('listitem').filter({ hasText: `set-auto to ${CABINET}: succeeded` }).waitFor();
    expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
    suite.screenshots.push(...await screenshotBothWidths(page, 'gateway', () => flash.waitFor()));
    await page.close();
  }, 90_000);

  it('passes axe (WCAG 2.1 A/AA) on the list and the gateway page at desktop and phone width', async () => {
    const page = await engineer();
    const blocking: string[] = [];
    await page.goto(`${suite.stack.url}/#/gateways`);
    blocking.push(...await axeBothWidths(page, 'gateways', () => demoGateway(page).waitFor()));
    await page.goto(`${suite.stack.url}/#/gateways/${DEMO_GATEWAY.id}`);
    blocking.push(...await axeBothWidths(page, 'gateway', () => page.getByRole('list', { name: 'Recent commands' }).getByRole('listitem').first().waitFor()));
    await page.close();
    expect(blocking.join('\n')).toBe('');
  }, 60_000);

  it("shows the demo site's manager the gateway page, reached by keyboard, without config or commands (and never asks the API for them)", async () => {
    const page = await openSignedIn(suite.browser.context, suite.stack.url, { user: suite.stack.users.manager.id, password: suite.stack.users.manager.password });
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await tabTo(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Gateways' }));
    await page.keyboard.press('Enter');
    await tabTo(page, demoGateway(page).getByRole('link', { name: DEMO_GATEWAY.name }));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: DEMO_GATEWAY.name }).waitFor();
    await tabTo(page, page.getByRole('table', { name: 'Devices' }).getByRole('link', { name: DEMO_DEVICES[0].name }));
    expect(await page.getByRole('region', { name: 'Desired config' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Recent commands' }).count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(asked.filter((p) => p.endsWith('/config') || p.endsWith('/commands'))).toEqual([]);
    await page.close();
  }, 60_000);

  it("keeps the demo gateway from a manager of another site: not listed, and not found by its address", async () => {
    const page = await openSignedIn(suite.browser.context, suite.stack.url, { token: suite.stack.users.otherManager.token });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Gateways' }).click();
    await page.getByRole('region', { name: OTHER_SITE.name, exact: true }).getByRole('article', { name: OTHER_GATEWAY }).waitFor();
    expect(await page.getByRole('region', { name: DEMO_SITE.name, exact: true }).count()).toBe(0);
    expect(await page.getByRole('article', { name: DEMO_GATEWAY.name }).count()).toBe(0);

    await page.goto(`${suite.stack.url}/#/gateways/${DEMO_GATEWAY.id}`);
    await page.getByRole('alert').filter({ hasText: /not found/i }).waitFor();
    expect(await page.getByRole('table', { name: 'Devices' }).count()).toBe(0);
    await page.close();
  }, 60_000);

  it('flips the row to offline without a reload when the gateway stops', async () => {
    const page = await engineer();
    await page.goto(`${suite.stack.url}/#/gateways`);
    const card = demoGateway(page);
    await card.getByText('online', { exact: true }).waitFor();
    await untilLive(page);
    await page.evaluate('window.__sameDocument = true');
    // A clean stop publishes the retained offline status: the server's `gateway` event.
    await suite.stack.gateway.stop();
    await card.getByText('offline', { exact: true }).waitFor();
    await card.getByRole('definition').locator('time').waitFor();
    expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
    await page.close();
  }, 60_000);
});
