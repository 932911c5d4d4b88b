import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumMissing } from '../src/dashboard/chromium.js';
import { DEMO_GATEWAY, DEMO_SITE } from '../src/demo/demo-setup.js';
import { untilLive } from '../src/dashboard/sign-in.js';
import { apiCall } from './dashboard/api-call.js';
import { axeBothWidths } from './dashboard/axe-check.js';
import { dashboardBrowserSuite } from './dashboard/browser-suite.js';
import { screenshotBothWidths } from './dashboard/screenshots.js';

const missing = chromiumMissing();
if (missing) console.warn(`dashboard alarm browser test skipped: ${missing}`);

const LIFT = 'lift-a';
const OVERVIEW_TITLE = 'Overview — EdgeFleet cockpit';
/** The Alerts link with the entrapment, and later the car's stopped-not-level (minor) too. */
const WITH_ENTRAPMENT = /^Alerts, [12] unacknowledged \(1 critical(, 1 minor)?\)$/;
const BOTH = 'Alerts, 2 unacknowledged (1 critical, 1 minor)';

interface Alert { id: number; rule: string; severity: string }
interface Sound { severity: string; audio: string }

/**
 * Every page records the `cockpit:alarm-sound` events the dashboard dispatches when it plays its
 * tone (docs/dashboard.md "Alarm signals"), so the test can count sounds it cannot hear, and
 * every title the document had, so the test sees the first count shown however late it looks.
 */
const RECORDERS = `window.__sounds = [];
addEventListener('cockpit:alarm-sound', (e) => window.__sounds.push(e.detail));
window.__titles = [];
new MutationObserver(() => {
  if (window.__titles[window.__titles.length - 1] !== document.title) window.__titles.push(document.title);
}).observe(document, { subtree: true, childList: true, characterData: true });`;

describe.skipIf(missing !== undefined)('dashboard alarm signals in chromium', () => {
  const suite = dashboardBrowserSuite(async (browser) => {
    await browser.context.clock.install();
    await browser.context.addInitScript(RECORDERS);
  });
  const alertsLink = (page: Page, name: string | RegExp) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  /** The header's sound toggle once it is on (aria-pressed="true"). */
  const soundOn = (page: Page) => page.getByRole('button', { name: 'Sound on new alerts', pressed: true });
  const sounds = (page: Page): Promise<Sound[]> => page.evaluate<Sound[]>('window.__sounds');
  // Polled from the test through CDP, not with page.waitForFunction: its in-page polling compiles
  // the predicate with eval, which the dashboard's CSP (no 'unsafe-eval') refuses as soon as the
  // first check is false — the test then failed whenever the tone came a little late.
  const untilSounds = async (page: Page, n: number): Promise<void> => {
    await expect.poll(async () => (await sounds(page)).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(n);
  };
  const title = (page: Page) => page.evaluate<string>('document.title');
  // The title follows the header's count in the same commit (a layout effect); polled all the same,
  // since the page's frames run on their own and a read between the two would fail at random.
  const untilTitle = async (page: Page, expected: string | RegExp): Promise<void> => {
    const poll = expect.poll(() => title(page), { timeout: 5_000 });
    await (typeof expected === 'string' ? poll.toBe(expected) : poll.toMatch(expected));
  };
  const admin = <T>(method: string, path: string, body?: unknown): Promise<T> => apiCall<T>(suite.stack.url, suite.stack.adminToken, method, path, body);

  it('counts, sounds and repeats an entrapment on the overview; acknowledging clears the header and the title and stops the repeat', async () => {
    const unacked = async (): Promise<Alert[]> => (await admin<{ items: Alert[] }>('GET', '/api/v1/alerts?state=raised,notified')).items;
    expect(await unacked()).toEqual([]);
    // Out of service, the stopped car raises only the alarm-button entrapment (critical, after 3 s)
    // and stopped-not-level (minor, after 10 s), not also the 30 s entrapment rule (normal mode only).
    const command = await admin<{ state: string }>('POST', `/api/v1/gateways/${DEMO_GATEWAY.id}/commands?wait=20s`, { device: LIFT, command: 'out-of-service' });
    expect(command.state).toBe('ok');

    const page = await suite.engineer();
    await page.getByRole('region', { name: DEMO_SITE.name, exact: true }).waitFor();
    await untilLive(page);
    await alertsLink(page, 'Alerts').waitFor();
    await untilTitle(page, OVERVIEW_TITLE);
    // Survives only as long as the document does: a reload would drop it.
    await page.evaluate('window.__sameDocument = true');

    // Off by default (rendered with the header waited for above); the click is the gesture the
    // browser wants before audio plays. The pressed state comes with the re-render after the click,
    // so it is waited for, not read once.
    const sound = page.getByRole('button', { name: 'Sound on new alerts' });
    expect(await sound.getAttribute('aria-pressed')).toBe('false');
    await sound.click();
    await soundOn(page).waitFor();
    expect(await sounds(page)).toEqual([]);

    await apiCall(suite.stack.controlUrl, undefined, 'POST', `/devices/${LIFT}/faults`, { fault: 'entrapment' });
    try {
      // The profile's 3 s debounce, then gateway → MQTT → alert engine → event stream → header.
      await alertsLink(page, WITH_ENTRAPMENT).waitFor({ timeout: 30_000 });
      const counted = (await page.evaluate<string[]>('window.__titles')).filter((t) => t.startsWith('('));
      expect(counted[0]).toBe(`(1) ${OVERVIEW_TITLE}`);
      expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
      await untilSounds(page, 1);
      // The click unlocked audio: the tone really went to a running audio context.
      expect((await sounds(page))[0]).toEqual({ severity: 'critical', audio: 'running' });
      const entrapment = (await unacked()).find((a) => a.rule === 'entrapment-alarm');
      expect(entrapment).toMatchObject({ severity: 'critical' });

      // A second tab signed in now loads the count (the setting is per browser, so its sound is on
      // too) but does not sound for an alarm that was there before it looked.
      const other = await suite.engineer();
      await alertsLink(other, WITH_ENTRAPMENT).waitFor();
      await untilTitle(other, new RegExp(`^\\([12]\\) ${OVERVIEW_TITLE}$`));
      await soundOn(other).waitFor();
      expect(await sounds(other)).toEqual([]);

      // While it stays unacknowledged the tone repeats every 30 s (the default). Both tabs signal
      // it, but only the first, which holds the sound lock, plays it: two tabs, one tone.
      const before = (await sounds(page)).length;
      await page.clock.fastForward(31_000);
      await untilSounds(page, before + 1);
      await untilSounds(other, 1);
      expect((await sounds(page)).at(-1)).toEqual({ severity: 'critical', audio: 'running' });
      expect(await sounds(other)).toEqual([{ severity: 'critical', audio: 'other-tab' }]);

      // The minor one follows; it counts but does not sound (the default threshold is major).
      await alertsLink(page, BOTH).waitFor({ timeout: 30_000 });
      await untilTitle(page, `(2) ${OVERVIEW_TITLE}`);
      expect((await sounds(page)).filter((s) => s.severity === 'minor')).toEqual([]);

      await page.getByText('Alarm settings').click();
      await page.getByLabel('Repeat while a critical alert is unacknowledged').waitFor();
      const headerReady = () => alertsLink(page, BOTH).waitFor();
      suite.screenshots.push(...await screenshotBothWidths(page, 'alarm-header', headerReady));
      expect((await axeBothWidths(page, 'overview with alarm header and settings open', headerReady)).join('\n')).toBe('');
      // Escape from inside the floating panel closes it and hands focus back to its summary.
      const panel = page.locator('details.alarm-settings');
      await panel.evaluate((d) => ((d as { open: boolean }).open = true));
      await page.getByLabel('Sound for').focus();
      await page.keyboard.press('Escape');
      expect(await panel.evaluate((d) => (d as { open: boolean }).open)).toBe(false);
      expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Alarm settings');

      for (const a of await unacked()) await admin('POST', `/api/v1/alerts/${a.id}/ack`, {});
      for (const p of [page, other]) {
        await alertsLink(p, 'Alerts').waitFor();
        await untilTitle(p, OVERVIEW_TITLE);
      }
      // A minute on, neither tab has sounded again.
      const heard = [(await sounds(page)).length, (await sounds(other)).length];
      await page.clock.fastForward(61_000);
      expect([(await sounds(page)).length, (await sounds(other)).length]).toEqual(heard);
      await other.close();
    } finally {
      await apiCall(suite.stack.controlUrl, undefined, 'DELETE', `/devices/${LIFT}/faults/entrapment`);
      await page.close();
    }
  }, 120_000);
});
