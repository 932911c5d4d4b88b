import type { Locator, Page } from 'playwright-core';

const DESCRIBE_FOCUS = `(() => {
  const el = document.activeElement;
  return el ? el.tagName + ' ' + (el.getAttribute('aria-label') ?? el.getAttribute('name') ?? (el.textContent ?? '').trim().slice(0, 40)) : 'none';
})()`;

/** The focused element as `TAG name`, for a failure message. */
export function describeFocus(page: Page): Promise<string> {
  return page.evaluate<string>(DESCRIBE_FOCUS);
}

/** Whether the element behind `target` has the document's focus (CSS `:focus`). */
export async function focused(target: Locator): Promise<boolean> {
  return (await target.and(target.page().locator(':focus')).count()) === 1;
}

/**
 * Presses Tab until `target` has focus, as a keyboard user moves through the page: waits for the
 * target to be shown first, then fails after `limit` presses with the element focus ended on.
 */
export async function tabTo(page: Page, target: Locator, limit = 100): Promise<void> {
  await target.waitFor();
  const trail: string[] = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await focused(target)) return;
    trail.push(await describeFocus(page));
  }
  throw new Error(`${limit} presses of Tab did not reach the target; focus went to:\n  ${[...new Set(trail)].join('\n  ')}`);
}
