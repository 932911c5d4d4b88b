import type { BrowserContext, Page } from 'playwright-core';
import { openSignedIn } from '../dashboard/sign-in.js';

const OVERVIEW_MARK = 'cockpit:overview-rendered';

/** The mark's time in ms since the document's navigation start, once the page has set it. */
async function markTime(page: Page, name: string, timeoutMs: number): Promise<number> {
  // Functions, not strings: the dashboard's CSP forbids eval, which a string predicate needs.
  const handle = await page.waitForFunction((n) => performance.getEntriesByName(n, 'mark')[0]?.startTime, name, { timeout: timeoutMs, polling: 'raf' });
  return Number(await handle.jsonValue());
}

/**
 * Signs in with an API token through the form (so only the page's public behaviour is relied
 * on), then reloads the overview `runs` times with the HTTP cache cleared before each, timing
 * navigation start → `cockpit:overview-rendered`. Every run is a first visit minus the sign-in.
 */
export async function overviewRenderRuns(context: BrowserContext, url: string, token: string, runs: number): Promise<number[]> {
  const page = await openSignedIn(context, url, { token });
  try {
    await page.goto(`${url}/#/overview`);
    await markTime(page, OVERVIEW_MARK, 30_000);
    const cdp = await context.newCDPSession(page);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      await cdp.send('Network.clearBrowserCache');
      await page.reload();
      times.push(await markTime(page, OVERVIEW_MARK, 30_000));
    }
    await cdp.detach();
    return times;
  } finally {
    await page.close();
  }
}

export interface BoardPage {
  page: Page;
  /** Wall-clock ms when the board first showed the alert (its `cockpit:alert-shown:<id>` mark). */
  shownAt(alertId: number, timeoutMs: number): Promise<number>;
}

/** The alert board, signed in with a token, with its live stream open. */
export async function openBoard(context: BrowserContext, url: string, token: string): Promise<BoardPage> {
  const page = await openSignedIn(context, url, { token });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
  await page.getByRole('list', { name: 'Open alerts' }).waitFor();
  await page.getByRole('status', { name: 'Live updates' }).filter({ hasText: /^Live$/ }).waitFor();
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  return {
    page,
    // One clock for both: chromium's timeOrigin is wall-clock time of this machine, as is the server's raisedAt.
    shownAt: async (id, timeoutMs) => timeOrigin + (await markTime(page, `cockpit:alert-shown:${id}`, timeoutMs)),
  };
}
