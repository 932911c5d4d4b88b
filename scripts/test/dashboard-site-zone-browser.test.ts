import { describe, expect, it } from 'vitest';
import { chromiumMissing } from '../src/dashboard/chromium.js';
import { DEMO_SITE } from '../src/demo/demo-setup.js';
import { dashboardBrowserSuite } from './dashboard/browser-suite.js';

const missing = chromiumMissing();
if (missing) console.warn(`dashboard site-zone browser test skipped: ${missing}`);

const DAY_MS = 86_400_000;
/** The browser's zone in this test: never a whole number of days from the demo site's UTC. */
const BROWSER_ZONE = 'Pacific/Auckland';

/**
 * "Today" is the site's day, not the browser's (docs/dashboard.md): chromium is told it is in
 * Auckland (DevTools' Emulation.setTimezoneOverride) while the demo site is in UTC.
 */
describe.skipIf(missing !== undefined)("dashboard: a site's today in the site's zone", () => {
  const suite = dashboardBrowserSuite();

  it("asks for the site's midnight, not the browser's, and names the site's zone", async () => {
    const page = await suite.engineer();
    const cdp = await suite.browser.context.newCDPSession(page);
    await cdp.send('Emulation.setTimezoneOverride', { timezoneId: BROWSER_ZONE });
    expect(await page.evaluate('Intl.DateTimeFormat().resolvedOptions().timeZone')).toBe(BROWSER_ZONE);

    const overviewRequest = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/overview');
    await page.goto(`${suite.stack.url}/#/sites`);
    await page.goto(`${suite.stack.url}/#/overview`);
    // The server counts each site's day; the page sends no from of its own.
    expect(new URL((await overviewRequest).url()).searchParams.has('from')).toBe(false);
    const card = page.getByRole('region', { name: DEMO_SITE.name, exact: true });
    await card.getByText('Time to acknowledge today (UTC)').waitFor();

    const occupancy = page.waitForRequest((r) => r.url().includes('/telemetry?') && new URL(r.url()).searchParams.get('point') === 'occupied-count');
    await page.goto(`${suite.stack.url}/#/sites/${DEMO_SITE.id}`);
    const from = Number(new URL((await occupancy).url()).searchParams.get('from'));
    const now = Date.now();
    // The UTC midnight of today (or of yesterday, had the clock just passed midnight between the request and now).
    expect([now - (now % DAY_MS), now - (now % DAY_MS) - DAY_MS]).toContain(from);
    const carPark = page.getByRole('region', { name: 'Car park' });
    await carPark.getByText('Occupied bays today (UTC)').waitFor();
    await page.getByRole('region', { name: 'Water' }).getByText('Used today (UTC)').waitFor();
    await cdp.detach();
    await page.close();
  }, 60_000);
});
