import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium, type Chromium } from '../../src/dashboard/chromium.js';
import { openSignedIn } from '../../src/dashboard/sign-in.js';
import { startDashboardStack, type DashboardStack } from './dashboard-stack.js';

export interface BrowserSuite {
  /** Set once the suite's beforeAll has run. */
  stack: DashboardStack;
  browser: Chromium;
  /** Paths of the screenshots the tests saved: printed after the suite. */
  screenshots: string[];
  /** A new tab signed in as the stack's engineer (with user and password). */
  engineer(): Promise<Page>;
}

/**
 * One dashboard stack and one chromium for the describe block it is called in (one stack per
 * file): both started before its tests (`prepare` then sees the browser before any page opens),
 * both stopped after them, and the screenshots listed.
 */
export function dashboardBrowserSuite(prepare?: (browser: Chromium) => Promise<void>): BrowserSuite {
  const suite = {
    screenshots: [] as string[],
    engineer: () => openSignedIn(suite.browser.context, suite.stack.url, { user: suite.stack.users.engineer.id, password: suite.stack.users.engineer.password }),
  } as BrowserSuite;
  beforeAll(async () => {
    [suite.stack, suite.browser] = await Promise.all([startDashboardStack(), launchChromium()]);
    await prepare?.(suite.browser);
  }, 180_000);
  afterAll(async () => {
    // Optional chaining: a failed start leaves either unset.
    await (suite.browser as Chromium | undefined)?.close();
    await (suite.stack as DashboardStack | undefined)?.stop();
    if (suite.screenshots.length > 0) console.log(`dashboard screenshots:\n  ${suite.screenshots.join('\n  ')}`);
  }, 60_000);
  return suite;
}
