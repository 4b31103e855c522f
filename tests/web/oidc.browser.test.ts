/**
 * Sign-in in real Chromium: the browser follows bragbot's redirect to the OpenID provider
 * (oidc-provider on 127.0.0.1), fills in its login and consent forms, comes back signed in, and
 * the pages sign-in adds — /me with the person's actions at 1280 and 320 px, the page for an
 * address bragbot does not know, and the signed-out page — have no WCAG 2.2 AA violation
 * (axe-core, tests/support/browser.ts) and no sideways scroll on a phone.
 */
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logging.js';
import { createSignIn, redirectUriOf, signInSentence } from '../../src/web/auth/index.js';
import { startWeb, type WebServer } from '../../src/web/index.js';
import { browserAvailable, expectNoAxeViolations, launchChromium, scrollWidth } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';
import { CLIENT_ID, CLIENT_SECRET, startProvider, type TestProvider } from './oidc-provider.js';

const available = browserAvailable('the sign-in pages’ browser and axe-core checks');
const SECRET = 'test-link-secret-0123456789abcdef-0123456789';
const NOW = new Date('2026-12-01T10:00:00Z');
const HOST = '127.0.0.1';

describe.skipIf(!available)('sign-in in Chromium', () => {
  let browser: Browser;
  let database: TestDatabase;
  let idp: TestProvider;
  let web: WebServer;
  let app: string;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    const world = await makeStandardGroup(database.db);
    for (const [i, activity] of ['Refresh the care leavers offer, with a long activity that must wrap on a phone without pushing the page sideways', 'Audit of placement moves'].entries()) {
      await makeAction(database.db, world.group.id, { ref: String(20 + i), activity, brag: i === 0 ? 'amber' : 'red', dueDate: '2026-11-20', ownerIds: [world.owner.id] });
    }
    const s = createServer();
    await new Promise<void>((resolve) => s.listen(0, HOST, resolve));
    const port = (s.address() as { port: number }).port;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    app = `http://${HOST}:${port}`;
    idp = await startProvider(redirectUriOf(app));
    const clock = () => NOW;
    const signIn = createSignIn({
      db: database.db, workspaceId: world.workspaceId, clock, publicBaseUrl: app, secret: SECRET, sessionHours: 8,
      oidc: { issuer: idp.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: 'openid email profile' },
    });
    web = await startWeb({ db: database.db, workspaceId: world.workspaceId, clock, logger: silentLogger, publicBaseUrl: app, signer: { secret: SECRET, ttlDays: 14 }, ratePerMinute: 100, signedInPerson: signIn.signedInPerson }, HOST, port, [signIn.routes]);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await idp?.stop();
    await database?.destroy();
  });

  /** Signs in through the provider's own pages, as a person would (its web font is not fetched: no other host). */
  async function signInAs(page: Page, login: string): Promise<void> {
    await page.route((url) => url.hostname !== HOST, (route) => route.abort());
    await page.goto(`${app}/auth/login`);
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'any');
    await page.click('button[type="submit"]');
    if (page.url().startsWith(idp.issuer)) await page.click('button[type="submit"]'); // consent
    await page.waitForURL((u) => u.origin === app);
  }

  for (const width of [1280, 320]) {
    it(`a signed-in person’s page of their actions has no WCAG 2.2 AA violation at ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      try {
        await signInAs(page, 'olu@example.gov.uk');
        expect(page.url()).toBe(`${app}/me`);
        expect(await page.locator('main li h2').count()).toBe(2);
        const result = await expectNoAxeViolations(page, `/me at ${width} px`);
        expect(result.passes.map((p) => p.id)).toEqual(expect.arrayContaining(['document-title', 'html-has-lang', 'bypass', 'list', 'button-name']));
        expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
        // "Update this action" opens the action's page under a fresh link.
        await page.locator('form[action="/me/act"] button').first().click();
        await page.waitForURL((u) => u.pathname.startsWith('/l/'));
        expect(await page.locator('h1').textContent()).toBeTruthy();
      } finally {
        await page.close();
      }
    }, 60_000);
  }

  it('the pages for an address bragbot does not know and for someone signed out have no violation at 320 px', async () => {
    const page = await browser.newPage({ viewport: { width: 320, height: 800 } });
    try {
      await signInAs(page, 'new.starter@example.gov.uk');
      expect(await page.locator('main').textContent()).toContain(signInSentence('unknown-person'));
      await expectNoAxeViolations(page, 'the unknown-person page');
      await page.goto(`${app}/me`);
      expect(await page.locator('main').textContent()).toContain(signInSentence('signed-out'));
      await expectNoAxeViolations(page, 'the signed-out page');
      expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    } finally {
      await page.close();
    }
  }, 60_000);
});
