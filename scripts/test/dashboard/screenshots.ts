import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** test-output/dashboard at the repo root (git-ignored): the closing note links these files. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-output/dashboard/', import.meta.url));

export const DESKTOP = { width: 1440, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/**
 * Saves the page at control-room and phone width (`<name>-desktop.png`, `<name>-phone.png`),
 * waiting for `ready` after each resize so the layout has settled on what the test expects;
 * leaves the page at desktop width. Returns the paths.
 */
export async function screenshotBothWidths(page: Page, name: string, ready: () => Promise<void>): Promise<string[]> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const saved: string[] = [];
  for (const [width, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    await page.setViewportSize(size);
    await ready();
    const file = path.join(SCREENSHOT_DIR, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    saved.push(file);
  }
  return saved;
}
