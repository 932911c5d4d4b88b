import type { BrowserContext, Page } from 'playwright-core';

/** How long a view may take to show what the test waits for (the stack runs on a shared 2-core box). */
export const UI_TIMEOUT_MS = 15_000;

export type Credentials = { user: string; password: string } | { token: string };

/**
 * Opens a new tab at the dashboard and signs in through the form (docs/dashboard.md "Signing
 * in"); resolves once the header's main navigation is shown. A new tab has its own
 * sessionStorage, so it starts signed out.
 */
export async function openSignedIn(context: BrowserContext, url: string, who: Credentials): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  await page.goto(`${url}/`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  if ('token' in who) {
    await page.getByRole('button', { name: 'Use an API token' }).click();
    await page.getByLabel('API token', { exact: true }).fill(who.token);
  } else {
    await page.getByLabel('User', { exact: true }).fill(who.user);
    await page.getByLabel('Password', { exact: true }).fill(who.password);
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return page;
}

/** The header's live-update state says "Live": the event stream is open. */
export async function untilLive(page: Page): Promise<void> {
  await page.getByRole('status', { name: 'Live updates' }).filter({ hasText: /^Live$/ }).waitFor();
}
