/**
 * Issue 14's done-when through a real browser: an owner bragbot knows only by email gets the
 * overdue nudge from a real SMTP server (smtp-server, fed by nodemailer); the link is taken from
 * the mail as received; Chromium opens it, picks Amber, types a note and submits; the page
 * confirms in words; the audit shows the change once, channel `web`, route `email`; the same
 * link opened again in the browser shows the "already used" page and writes nothing.
 * Skipped only where Chromium is absent and CI is not set.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/app/serve.js';
import { Dispatcher } from '../../src/delivery/dispatcher.js';
import { runNudgeCycle } from '../../src/scheduling/cycle.js';
import { auditRows } from '../../src/services/audit.js';
import { problemSentence } from '../../src/web/problems.js';
import { browserAvailable, expectNoAxeViolations, launchChromium } from '../support/browser.js';
import { decodedMail, linksIn, startEmailOnlyStack, type EmailOnlyIds, type EmailOnlyStack } from './support.js';

const available = browserAvailable('the email-to-web-form browser test');
const NOW = new Date('2026-12-01T10:00:00Z'); // a Tuesday, 10:00 London: inside working hours
const NOTE = 'Referrals up 30%; a second clinician starts in January.';

describe.skipIf(!available)('an email-only owner records Amber with a note in Chromium, from the link in the mail', () => {
  let stack: EmailOnlyStack;
  let smtp: EmailOnlyStack['smtp'];
  let running: Running;
  let browser: Browser;
  let ids: EmailOnlyIds;

  beforeAll(async () => {
    stack = await startEmailOnlyStack('sqlite', NOW, 'an-end-to-end-browser-secret-of-forty-chars');
    ({ smtp, running, ids } = stack);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('mail → link → Amber and a note in the browser → confirmed, audited once as web via email; the link reopened says "already used"', async () => {
    const { db } = running.database;
    await runNudgeCycle(db, { workspaceId: ids.workspaceId, now: NOW, platforms: running.ports.map((p) => p.platform), lastRunAt: null });
    await new Dispatcher({ db, provider: 'sqlite', ports: running.ports, instanceId: 't', clock: () => NOW }).drain({ maxWaitMs: 100 });
    expect(smtp.mails.map((m) => m.to)).toEqual([['hana.health@nhs.example']]);
    const mail = smtp.mails[0]!;
    const links = linksIn(mail);
    expect(links).toHaveLength(1);
    const link = links[0]!;
    // The link a mail client shows: the HTML part's anchor, worded for what it opens.
    expect(decodedMail(mail.raw)).toContain(`<a href="${link}">Update action 12:`);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    expect((await page.goto(link))!.status()).toBe(200);
    await expect(page.locator('h1').innerText()).resolves.toBe('Action 12: update');
    await page.getByRole('radio', { name: /Amber/ }).check();
    await page.getByLabel('Note', { exact: true }).fill(NOTE);
    const answer = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Save update' }).click();
    expect((await answer).status()).toBe(200);
    await page.locator('h1', { hasText: 'Recorded' }).waitFor();
    await expect(page.getByRole('status').innerText()).resolves.toBe('Recorded status Amber (at risk), a note by Hana Health at 10:00.');
    await expectNoAxeViolations(page, 'the confirmation');

    const changes = async () => (await auditRows(db, ids.workspaceId, { groupId: ids.groupId })).filter((r) => r.brag);
    expect((await changes()).map((r) => [r.who, r.channel, r.route, r.fromValue, r.toValue, r.note])).toEqual([
      ['Hana Health', 'web', 'email', 'green', 'amber', NOTE],
    ]);

    // The same link again, in the same browser: the "already used" page, and nothing more written.
    const before = { updates: await db.statusUpdate.count(), audit: (await auditRows(db, ids.workspaceId, {})).length };
    expect((await page.goto(link))!.status()).toBe(409);
    await expect(page.locator('h1').innerText()).resolves.toBe('This link has already been used');
    await expect(page.getByRole('alert').innerText()).resolves.toBe(problemSentence('used'));
    expect(await page.locator('form').count()).toBe(0);
    expect({ updates: await db.statusUpdate.count(), audit: (await auditRows(db, ids.workspaceId, {})).length }).toEqual(before);
    expect((await changes())).toHaveLength(1);
    expect((await db.action.findUniqueOrThrow({ where: { id: ids.actionId } })).brag).toBe('amber');
    await page.close();
  }, 90_000);
});
