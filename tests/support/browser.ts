/**
 * The one way tests drive a real browser: Debian's `chromium` (apt-get install -y chromium) through
 * playwright-core, which cannot download a browser here (docs: ENVIRONMENT.md), and axe-core's
 * WCAG 2.2 A/AA rules run inside the page.
 *
 *   describe.skipIf(!browserAvailable('what is skipped'))(…)   skip cleanly, saying why, off CI only
 *   const browser = await launchChromium();                      headless, a fresh profile, no network chatter
 *   await expectNoAxeViolations(page);                           fails with each violation in words
 *
 * Under CI=true a missing Chromium is a failure, never a skip (.ci/run installs it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether Chromium is here. Off CI, a missing browser skips the caller's tests with a line on
 * stderr naming what was skipped; under CI=true it throws, so the run fails rather than passing
 * with nothing checked.
 */
export function browserAvailable(skipped: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM} is missing (${skipped} cannot run): apt-get install -y chromium`);
  process.stderr.write(`[tests] ${CHROMIUM} not found (apt-get install -y chromium): ${skipped} is skipped\n`);
  return false;
}

/**
 * Flags for a quiet, reproducible headless run in a container: no sandbox (root, no user
 * namespaces), no GPU, and nothing that reaches out on its own (QUIC, component updates, sync,
 * background fetches, the first-run page): the machine reaches no host but npm and Debian.
 */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
] as const;

/**
 * Chromium, headless, with the flags above. Each launch gets a fresh profile: Playwright makes a
 * new temporary --user-data-dir for it and removes it on close (it refuses the flag in `args`),
 * so no cookie, cache or setting survives from one run or test file to the next. Each
 * `browser.newPage()` is a context of its own (its own cookies: the CSRF cookie does not leak
 * between tests).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
}

/** The WCAG levels bragbot answers to: 2.0, 2.1 and 2.2, A and AA (Public Sector Bodies Accessibility Regulations 2018). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

interface AxeNode { target: string[]; failureSummary?: string }
interface AxeRule { id: string; impact?: string | null; help: string; helpUrl: string; nodes: AxeNode[] }
export interface AxeResult { violations: AxeRule[]; passes: AxeRule[]; incomplete: AxeRule[] }

let axeSource: string | undefined;

/**
 * Runs axe-core in the page and fails unless it finds no violation, listing each in words (rule,
 * impact, what it asks, which elements and why). Returns the result so a test can also check
 * that the rules it cares about ran and passed (a page axe could not read would pass nothing).
 * axe is evaluated as a script through the DevTools protocol, so the page's own CSP
 * (script-src 'none' on bragbot's pages) stays in force: what is checked is what people get.
 */
export async function expectNoAxeViolations(page: Page, what = page.url()): Promise<AxeResult> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const result = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<AxeResult> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'passes'] });
    // Plain data only: axe's results carry DOM references that cannot cross back.
    const plain = (rules: AxeRule[]) => rules.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target.map(String), failureSummary: n.failureSummary })) }));
    return { violations: plain(r.violations), passes: plain(r.passes), incomplete: plain(r.incomplete) };
  }, [...WCAG_TAGS]);
  const words = result.violations.map((v) => `${v.id} (${v.impact ?? 'no impact given'}): ${v.help} [${v.helpUrl}] at ${v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ').trim()})` : ''}`).join('; ')}${v.nodes.length > 5 ? ` and ${v.nodes.length - 5} more` : ''}`);
  if (words.length > 0) throw new Error(`axe-core found ${words.length} WCAG 2.2 AA violation${words.length === 1 ? '' : 's'} on ${what}:\n${words.map((w) => `- ${w}`).join('\n')}`);
  return result;
}

/** How wide the page scrolls, in CSS pixels (WCAG 1.4.10 reflow: at 320 px it must be no wider than the screen). */
export const scrollWidth = (page: Page): Promise<number> => page.evaluate(() => (document.scrollingElement ?? document.documentElement).scrollWidth);
