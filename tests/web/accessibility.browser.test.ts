/**
 * bragbot's web pages in real Chromium (Debian's, via playwright-core), checked by axe-core
 * against WCAG 2.2 A/AA (tests/support/browser.ts). Skipped only where Chromium is absent off CI.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, expectNoAxeViolations, launchChromium, scrollWidth } from '../support/browser.js';

const available = browserAvailable('the web pages’ browser and axe-core checks');

describe.skipIf(!available)('the browser harness', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  it('fails a page with violations, naming each rule and element in words', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
    await page.setContent('<!doctype html><html><head><title>x</title></head><body><main><img src="data:," id="chart"><div style="width:600px">wide</div></main></body></html>');
    const failure = await expectNoAxeViolations(page, 'a bad page').then(() => null, (e: Error) => e.message);
    expect(failure).toMatch(/^axe-core found \d+ WCAG 2\.2 AA violations on a bad page:\n- /);
    expect(failure).toMatch(/image-alt \(critical\): Images must have alternative text .* at #chart/);
    expect(failure).toMatch(/html-has-lang \(serious\)/);
    expect(await scrollWidth(page)).toBeGreaterThan(320);
    await page.close();
  });
});
