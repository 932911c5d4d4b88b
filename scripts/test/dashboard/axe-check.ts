import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { DESKTOP, PHONE } from './screenshots.js';

/** WCAG 2.1 levels A and AA: what issue 6 ("readable contrast, labelled controls") asks for. */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** Impacts that fail the test; moderate and minor ones are printed for a person to judge. */
const BLOCKING = new Set(['serious', 'critical']);
/** axe's best practices (landmarks, heading order) run too, but are only printed: they are no WCAG criterion. */
const TAGS = [...WCAG, 'best-practice'];

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  tags: string[];
  /** One entry per offending element: its selector and axe's summary of what to fix. */
  nodes: { target: string; summary: string }[];
}

let axeSource: Promise<string> | undefined;
function loadAxe(): Promise<string> {
  const file = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
  axeSource ??= readFile(file, 'utf8');
  return axeSource;
}

/**
 * Runs axe-core in the page as it is now. The dashboard's CSP forbids inline and foreign scripts,
 * so axe is not added as a <script>: its source is evaluated through page.evaluate, i.e. CDP's
 * Runtime.evaluate, which CSP does not govern. The page itself stays under its real CSP.
 */
export async function runAxe(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(await loadAxe());
  const options = JSON.stringify({ runOnly: { type: 'tag', values: TAGS }, resultTypes: ['violations'] });
  return page.evaluate<AxeFinding[]>(`window.axe.run(document, ${options}).then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact ?? null, help: v.help, tags: v.tags,
    nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
  })))`);
}

function describeFindings(view: string, findings: AxeFinding[]): string {
  return findings.map((f) => `${view}: [${f.impact}] ${f.id}: ${f.help}\n${f.nodes.map((n) => `    ${n.target}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n')}`).join('\n');
}

/**
 * Checks the page at phone and desktop width (waiting for `ready` after each resize), prints
 * moderate and minor findings (and best-practice ones), and returns the serious and critical ones as readable lines
 * (empty when there are none) so the caller's assertion shows what failed. Leaves the page at
 * desktop width.
 */
export async function axeBothWidths(page: Page, view: string, ready: () => Promise<void>): Promise<string[]> {
  const blocking: string[] = [];
  for (const [width, size] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
    await page.setViewportSize(size);
    await ready();
    const findings = await runAxe(page);
    const name = `${view} (${width})`;
    const isBlocking = (f: AxeFinding): boolean => BLOCKING.has(f.impact ?? '') && f.tags.some((t) => WCAG.includes(t));
    const minor = findings.filter((f) => !isBlocking(f));
    if (minor.length > 0) console.log(`axe, not blocking:\n${describeFindings(name, minor)}`);
    const serious = findings.filter(isBlocking);
    if (serious.length > 0) blocking.push(describeFindings(name, serious));
  }
  return blocking;
}
