/**
 * York's plan page (issue 15 pt 3) in real Chromium, checked by axe-core against WCAG 2.2 A/AA
 * (tests/support/browser.ts): at 1280 px and at 320 px (a phone; WCAG 1.4.10 reflow: no sideways
 * page scroll), with every action's history opened, for a member and for a board viewer, and the
 * page a leaver gets. Skipped only where Chromium is absent off CI.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, upsertGroup } from '../../src/services/groups.js';
import { importPlan } from '../../src/services/import-plan.js';
import { generate, publish } from '../../src/services/reports.js';
import { recordUpdate } from '../../src/services/status-updates.js';
import { browserAvailable, expectNoAxeViolations, launchChromium, scrollWidth } from '../support/browser.js';
import { makePerson } from '../support/factories.js';
import { startWebHarness, type WebHarness } from './support.js';

const available = browserAvailable('the plan page’s browser and axe-core checks');
const YORK = join(import.meta.dirname, '..', '..', 'demo', 'york-delivery-plan-2021.csv');
const NOW = new Date('2026-12-01T10:00:00Z');

describe.skipIf(!available)('York’s plan page in Chromium', () => {
  let browser: Browser;
  let h: WebHarness;
  let yorkId: string;
  let boardId: string;

  beforeAll(async () => {
    h = await startWebHarness('sqlite', { now: NOW });
    const db = h.database.db;
    const ws = h.world.workspaceId;
    yorkId = (await upsertGroup(db, ws, { slug: 'york', name: 'Children in Care and Care Leavers Operational Group', cadence: 'monthly' })).id;
    await importPlan(db, { workspaceId: ws, groupSlug: 'york', path: YORK, now: new Date('2021-01-19T10:00:00Z') });
    await addMember(db, yorkId, h.world.chair.id, 'chair');
    await addMember(db, yorkId, h.world.owner.id, 'member');
    boardId = (await makePerson(db, ws, { name: 'Bea Board' })).id;
    await addMember(db, yorkId, boardId, 'board-viewer');
    const a = await db.action.findFirstOrThrow({ where: { groupId: yorkId, brag: 'green' }, orderBy: { position: 'asc' } });
    await recordUpdate(db, { workspaceId: ws, actionId: a.id, personId: h.world.chair.id, channel: 'slack', brag: 'red', note: 'The packs ran out; a reprint is ordered, and a long note that has to wrap on a phone without pushing the page sideways: https://www.york.gov.uk/children-in-care/new-to-care-packs-and-what-they-contain', idempotencyKey: 'plan-browser-1', now: new Date('2026-11-30T14:05:00Z') });
    await publish(db, (await generate(db, yorkId, '2026-12-10', 'Asha Chair', NOW)).report.id, 'Asha Chair', NOW);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  const yorkLink = (personId: string) => h.link(personId, { purpose: 'group', groupId: yorkId });

  for (const width of [1280, 320]) {
    it(`a member’s page, every history opened, has no WCAG 2.2 AA violation at ${width} px${width === 320 ? ' and no sideways page scroll' : ''}`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      try {
        const res = await page.goto(await yorkLink(h.world.owner.id));
        expect(res?.status()).toBe(200);
        expect(await page.locator('li.plan-action').count()).toBe(48);
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.setAttribute('open', '')));
        expect(await page.locator('details[open] li').count()).toBeGreaterThan(0);
        const result = await expectNoAxeViolations(page, `York’s plan page at ${width} px`);
        // The rules that matter here ran and passed (a page axe could not read would pass nothing).
        expect(result.passes.map((p) => p.id)).toEqual(expect.arrayContaining(['color-contrast', 'document-title', 'html-has-lang', 'bypass', 'definition-list', 'list', 'listitem', 'th-has-data-cells', 'summary-name', 'link-name', 'target-size']));
        expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
      } finally {
        await page.close();
      }
    }, 60_000);
  }

  it('a board viewer’s page (the reports only) and a leaver’s page have no violation at 320 px', async () => {
    const leaver = await makePerson(h.database.db, h.world.workspaceId, { name: 'Lee Leaver' });
    for (const [who, personId, status] of [['board viewer', boardId, 200], ['leaver', leaver.id, 403]] as const) {
      const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
      try {
        expect((await page.goto(await yorkLink(personId)))?.status()).toBe(status);
        await expectNoAxeViolations(page, `the ${who}’s plan page at 320 px`);
        expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
      } finally {
        await page.close();
      }
    }
  }, 60_000);
});
