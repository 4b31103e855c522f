/**
 * The demo as a newcomer sees it: the M365 Agents Playground's real web UI in headless
 * Chromium (Debian's `chromium`, driven by playwright-core). A nudge arrives, the person clicks
 * the rendered Amber button, bragbot records it and the card updates in place.
 * Skipped when /usr/bin/chromium is missing, except under CI=true, where that is a failure
 * (CI installs it: apt-get install -y chromium).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonDate } from '../../src/core/calendar.js';
import { resolveAddress } from '../../src/delivery/outbox.js';
import { listPersonActions } from '../../src/services/actions.js';
import { browserAvailable, launchChromium } from '../support/browser.js';
import { startStack, type Stack } from './support/stack.js';

const available = browserAvailable('the Playground browser test');

const NOW = new Date('2021-07-20T09:00:00Z');

describe.skipIf(!available)('M365 Agents Playground in headless Chromium', () => {
  let s: Stack;
  let browser: Browser;

  beforeAll(async () => {
    s = await startStack(NOW);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('clicking Amber on the rendered nudge card records it and updates the card', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(s.playground.url);
    // Opening the UI installs the app in the personal chat: bragbot stores Jo's reference and says hello.
    await page.getByText('Hello! I will message you here').waitFor({ timeout: 20_000 });
    const jo = await s.db.person.findFirstOrThrow({ where: { name: 'Jo Demo' } });
    const actions = (await listPersonActions(s.db, s.workspaceId, jo.id, londonDate(NOW))).filter((a) => a.brag !== 'amber').slice(0, 2);
    const to = await resolveAddress(s.db, { personId: jo.id, groupId: null, platform: 'teams' });
    await s.teams.port.send(to, { kind: 'nudge', reasons: ['overdue'], recipientName: 'Jo Demo', actions });

    const nudge = page.locator('.ac-adaptiveCard', { hasText: 'Overdue actions need an update' });
    await nudge.waitFor({ timeout: 20_000 });
    // The first action's Amber button, as rendered by the Playground's Adaptive Cards renderer.
    await nudge.getByRole('button', { name: '🟠 Amber' }).first().click();
    await nudge.getByText(/Recorded .*Amber.* by Jo Demo/).waitFor({ timeout: 20_000 });

    const update = await s.db.statusUpdate.findFirstOrThrow({ where: { actionId: actions[0]!.actionId } });
    expect(update).toMatchObject({ toBrag: 'amber', channel: 'teams', personId: jo.id });
    expect((await s.db.action.findUniqueOrThrow({ where: { id: actions[0]!.actionId } })).brag).toBe('amber');
    // The card was re-rendered (new version on its buttons) and still offers every choice.
    await expect(nudge.getByRole('button', { name: 'Update progress…' }).count()).resolves.toBe(actions.length);
    await page.close();
  }, 90_000);
});
