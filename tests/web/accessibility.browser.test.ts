/**
 * Every web page bragbot serves, in real Chromium (Debian's, via playwright-core), as the people
 * it is for meet them: axe-core's WCAG 2.2 A/AA rules find nothing (tests/support/browser.ts), at
 * 1280 px and at 320 px (WCAG 1.4.10 reflow: nothing scrolls sideways), and from the keyboard the
 * skip link is the first tab stop and takes focus to the main content (2.4.1 bypass blocks).
 * The pages: an action's page, the same page with its form's errors, the confirmation after a
 * submit, the update-round page and its confirmation, and each page that says why a link does
 * nothing (tampered, unknown, expired, already used, another organisation's, sent to someone
 * else, rate limited, a form without its CSRF cookie, not found). Each is reached the way a
 * person reaches it: by opening a link and pressing the page's own buttons.
 * Skipped only where Chromium is absent and CI is not set (CI installs it).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLink } from '../../src/services/links.js';
import { problemSentence } from '../../src/web/problems.js';
import { readCookie } from '../../src/web/security.js';
import { browserAvailable, expectNoAxeViolations, launchChromium, scrollWidth } from '../support/browser.js';
import { makeAction, makePerson, makeWorkspace } from '../support/factories.js';
import { SECRET, startWebHarness, type WebHarness } from './support.js';

const available = browserAvailable('the web pages’ browser and axe-core checks');

const NOW = new Date('2026-12-01T10:00:00Z');
const RATE = 6;
/** Who the browser is signed in as, for the "sent to someone else" page (sign-in itself is issue 18's). */
const SIGNED_IN = 'bb_test_signed_in';

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

describe.skipIf(!available)('every web page in Chromium: no WCAG 2.2 AA violations, reflows at 320 px, skip link first', () => {
  let h: WebHarness;
  let browser: Browser;
  let meetingId: string;

  beforeAll(async () => {
    h = await startWebHarness('sqlite', { now: NOW, ratePerMinute: RATE, signedInPerson: (req) => readCookie(req, SIGNED_IN) ?? null });
    meetingId = (await h.database.db.meeting.create({ data: { groupId: h.world.group.id, date: '2026-12-10' } })).id;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const actionLink = async () => {
    const a = await makeAction(h.database.db, h.world.group.id, { ref: '3.2', activity: 'Every care leaver has a pathway plan reviewed within six months', brag: 'green', dueDate: '2026-11-20', ownerIds: [h.world.owner.id] });
    return h.link(h.world.owner.id, { purpose: 'action', actionId: a.id }, { route: 'email' });
  };
  /** A lead of their own for each round page, so each saves a first version (a second save at the same clock instant is not newer). */
  const roundLink = async () => {
    const lead = await makePerson(h.database.db, h.world.workspaceId, { name: `Lee Lead ${Math.random().toString(36).slice(2, 6)}`, email: `lee.${Math.random().toString(36).slice(2)}@example.gov.uk`, team: 'Fostering Service' });
    await h.database.db.groupMember.create({ data: { groupId: h.world.group.id, personId: lead.id, role: 'member' } });
    return h.link(lead.id, { purpose: 'round', meetingId, groupId: h.world.group.id }, { route: 'email' });
  };
  const goto = async (page: Page, url: string) => (await page.goto(url))!.status();

  /** Each page, reached as a person reaches it; returns the HTTP status it was answered with. */
  const PAGES: [name: string, h1: string | RegExp, reach: (page: Page) => Promise<number>][] = [
    ['the home page', 'bragbot', (p) => goto(p, `${h.web.url}/`)],
    ['an action’s page', /^Action 3\.2: update$/, async (p) => goto(p, await actionLink())],
    ['an action’s page with its form’s errors', /^Action 3\.2: update$/, async (p) => {
      await goto(p, await actionLink());
      await p.getByLabel('Revised date').fill('sometime soon');
      await p.getByRole('button', { name: 'Save update' }).click();
      await p.getByText(/^Error: /).first().waitFor();
      return 400;
    }],
    ['the confirmation after a submit', 'Recorded', async (p) => {
      await goto(p, await actionLink());
      const answer = p.waitForResponse((r) => r.request().method() === 'POST');
      await p.getByRole('button', { name: /^Amber/ }).click();
      return (await answer).status();
    }],
    ['an action to read (a manager’s link from a digest)', /^Action 3\.2$/, async (p) => {
      const a = await makeAction(h.database.db, h.world.group.id, { ref: '3.2', activity: 'Every care leaver has a pathway plan reviewed within six months', brag: 'amber', dueDate: '2026-11-20', ownerIds: [h.world.owner.id] });
      return goto(p, await h.link(h.world.manager.id, { purpose: 'action', actionId: a.id }, { route: 'email' }));
    }],
    ['an action they may not see', 'You cannot update this action', async (p) => {
      const a = await makeAction(h.database.db, h.world.group.id, { brag: 'red', ownerIds: [h.world.owner.id] });
      return goto(p, await h.link(h.world.stranger.id, { purpose: 'action', actionId: a.id }));
    }],
    ['the update-round page', /^Your update for /, async (p) => goto(p, await roundLink())],
    ['the update-round confirmation', 'Your update is saved', async (p) => {
      await goto(p, await roundLink());
      await p.getByLabel('Your update').fill('14 new foster carers approved since September; 3 assessments under way.');
      const answer = p.waitForResponse((r) => r.request().method() === 'POST');
      await p.getByRole('button', { name: 'Save my update' }).click();
      return (await answer).status();
    }],
    ['a tampered link', 'This link does not work', async (p) => goto(p, (await actionLink()).replace(/.$/, (ch) => (ch === 'x' ? 'y' : 'x')))],
    ['an unknown link', 'This link does not work', async (p) => {
      const { token } = await issueLink(h.database.db, { secret: SECRET, ttlDays: 14 }, { workspaceId: h.world.workspaceId, personId: h.world.owner.id, scope: { purpose: 'action', actionId: 'x' }, now: NOW });
      await h.database.db.signedLink.deleteMany({ where: { personId: h.world.owner.id, actionId: 'x' } });
      return goto(p, `${h.web.url}/l/${token}`);
    }],
    ['an expired link', 'This link has expired', async (p) => {
      const a = await makeAction(h.database.db, h.world.group.id, { brag: 'green', ownerIds: [h.world.owner.id] });
      return goto(p, await h.link(h.world.owner.id, { purpose: 'action', actionId: a.id }, { ttlMs: 0 }));
    }],
    ['a link already used', 'This link has already been used', async (p) => {
      const url = await actionLink();
      await goto(p, url);
      await p.getByRole('button', { name: /^Red/ }).click();
      await p.getByText('Recorded', { exact: true }).waitFor();
      return goto(p, url);
    }],
    ['another organisation’s link', 'This link is not for this organisation', async (p) => {
      const elsewhere = await makeWorkspace(h.database.db, `elsewhere-${Math.random().toString(36).slice(2)}`);
      const them = await makePerson(h.database.db, elsewhere, { name: 'Other Person' });
      const { token } = await issueLink(h.database.db, { secret: SECRET, ttlDays: 14 }, { workspaceId: elsewhere, personId: them.id, scope: { purpose: 'action', actionId: 'x' }, now: NOW });
      return goto(p, `${h.web.url}/l/${token}`);
    }],
    ['a link sent to someone else', 'This link was sent to someone else', async (p) => {
      await p.context().addCookies([{ name: SIGNED_IN, value: h.world.stranger.id, url: h.web.url }]);
      return goto(p, await actionLink());
    }],
    ['a rate-limited link', 'Too many requests with this link', async (p) => {
      const url = await actionLink();
      for (let i = 0; i < RATE; i += 1) expect((await fetch(url)).status).toBe(200);
      return goto(p, url);
    }],
    ['a form without its CSRF cookie', 'This form could not be accepted', async (p) => {
      await goto(p, await actionLink());
      await p.context().clearCookies();
      const answer = p.waitForResponse((r) => r.request().method() === 'POST');
      await p.getByRole('button', { name: /^Green/ }).click();
      return (await answer).status();
    }],
    ['a page that is not there', 'Page not found', (p) => goto(p, `${h.web.url}/nothing-here`)],
  ];
  const STATUS: Record<string, number> = {
    'the home page': 200, 'an action’s page': 200, 'an action’s page with its form’s errors': 400, 'the confirmation after a submit': 200,
    'an action to read (a manager’s link from a digest)': 200, 'an action they may not see': 403, 'the update-round page': 200, 'the update-round confirmation': 200, 'a tampered link': 400, 'an unknown link': 404, 'an expired link': 410,
    'a link already used': 409, 'another organisation’s link': 403, 'a link sent to someone else': 403, 'a rate-limited link': 429,
    'a form without its CSRF cookie': 403, 'a page that is not there': 404,
  };

  const cases = PAGES.flatMap(([name, h1, reach]) => ([1280, 320] as const).map((width) => [`${name} at ${width} px`, name, h1, reach, width] as const));

  it.each(cases)('%s', async (_label, name, h1, reach, width) => {
    const page = await browser.newPage({ viewport: { width, height: width === 320 ? 640 : 900 } });
    try {
      expect(await reach(page)).toBe(STATUS[name]);
      // The page the person ends on (after a form, the answer to it, once it has loaded).
      await page.locator('h1').filter({ hasText: h1 }).waitFor({ timeout: 15_000 }).catch(async (e: Error) => { throw new Error(`${e.message}: the page says ${await page.locator('main').innerText()}`); });
      const heading = (await page.locator('h1').innerText()).trim();
      if (typeof h1 === 'string') expect(heading).toBe(h1);
      else expect(heading).toMatch(h1);
      // The stylesheet applied (the CSP lets our own through): axe judged the page people see, colours and all.
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('header')!).backgroundColor)).toBe('rgb(11, 12, 12)');
      const axe = await expectNoAxeViolations(page, `${name} at ${width} px`);
      // axe read the page: the rules every page must meet ran and passed (a page it could not read passes nothing).
      const passed = new Set(axe.passes.map((r) => r.id));
      for (const rule of ['bypass', 'color-contrast', 'document-title', 'html-has-lang', 'html-lang-valid', 'meta-viewport', 'target-size']) expect(passed, rule).toContain(rule);
      if (width === 320) expect(await scrollWidth(page), 'the page scrolls sideways at 320 px').toBeLessThanOrEqual(320);

      // From the keyboard: the first Tab lands on the skip link, which moves focus to the main content.
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => [document.activeElement?.tagName, document.activeElement?.textContent?.trim()])).toEqual(['A', 'Skip to main content']);
      // Focused, it is on screen (hidden off-screen until then), whole (WCAG 2.4.11: focus not obscured).
      const box = await page.locator('a.skip').boundingBox();
      expect(box && box.x >= 0 && box.y >= 0 && box.x + box.width <= width).toBe(true);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'main');
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('MAIN');
    } finally {
      await page.close();
    }
  }, 60_000);

  it('the problem pages say why in words', async () => {
    const page = await browser.newPage();
    await goto(page, `${h.web.url}/nothing-here`);
    expect(await page.locator('main [role="alert"]').innerText()).toBe(problemSentence('not-found'));
    await page.close();
  });
});
