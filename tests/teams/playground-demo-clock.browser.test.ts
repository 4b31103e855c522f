/**
 * The demo on its own clock, clicked through in Microsoft's real M365 Agents Playground web UI
 * in headless Chromium (issue 11's done-when): the demo's running clock starts at 09:00 on
 * 1 July 2021; the nudge the planner writes for Jo arrives, Jo clicks Amber, then Snooze, then
 * types "my actions" and "highlight-report" in the compose box. Every card the Playground
 * rendered is then read back: each date in it must be one the demo's plan or clock can give
 * (the demo's day, a due date, a meeting, the snooze's end), and each "N working days overdue"
 * must be that action's count on the demo's day. The machine's own date (December 2026 when this
 * was written) showing anywhere is how the two-clock demo looked.
 * Skipped when /usr/bin/chromium is missing, except under CI=true (a failure there).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AS_OF } from '../../src/cli/commands/demo.js';
import { realClock, runningClock } from '../../src/clock.js';
import { addDays, calendarFor, londonDate } from '../../src/core/calendar.js';
import { meetingsBetween } from '../../src/core/meetings.js';
import { workingDaysOverdue } from '../../src/core/overdue.js';
import { parseGroupSettings } from '../../src/core/settings.js';
import { resolveAddress } from '../../src/delivery/outbox.js';
import { planCycle } from '../../src/scheduling/cycle.js';
import { listPersonActions } from '../../src/services/actions.js';
import { DEMO_GROUP } from '../../src/services/demo.js';
import { browserAvailable, launchChromium } from '../support/browser.js';
import { startStack, type Stack } from './support/stack.js';

const available = browserAvailable('the demo-clock Playground browser test');

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const pad = (n: number | string) => String(n).padStart(2, '0');

/** Every date written in a text, as YYYY-MM-DD with what was written: "8 Jul 2021", "1 July 2021", "2021-07-01", "30/06/21", "31/07//2021". */
function datesIn(text: string): { iso: string; written: string }[] {
  const out: { iso: string; written: string }[] = [];
  for (const m of text.matchAll(/\b(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (\d{4})\b/g)) {
    out.push({ iso: `${m[3]}-${pad(MONTHS.indexOf(m[2]!.toLowerCase()) + 1)}-${pad(m[1]!)}`, written: m[0] });
  }
  for (const m of text.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) out.push({ iso: m[0], written: m[0] });
  for (const m of text.matchAll(/\b(\d{1,2})\/(\d{1,2})\/+(\d{4}|\d{2})\b/g)) {
    const year = m[3]!.length === 2 ? `20${m[3]}` : m[3]!;
    out.push({ iso: `${year}-${pad(m[2]!)}-${pad(m[1]!)}`, written: m[0] });
  }
  return out;
}

describe.skipIf(!available)('the demo in the M365 Agents Playground shows only the demo clock', () => {
  const clock = runningClock(new Date(DEMO_AS_OF), realClock());
  let s: Stack;
  let browser: Browser;

  beforeAll(async () => {
    s = await startStack(clock);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  const type = async (page: Page, text: string) => {
    const box = page.getByRole('textbox').last();
    await box.click();
    await box.fill(text);
    await box.press('Enter');
  };

  it('nudge card → Amber → Snooze → my actions → highlight report: no date or count outside the demo day', async () => {
    const today = londonDate(clock());
    expect(today).toBe('2021-07-01');
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(s.playground.url);
    await page.getByText('Hello! I will message you here').waitFor({ timeout: 20_000 });

    // The nudge the planner writes for Jo on the demo's first morning, sent as the dispatcher sends it.
    const jo = await s.db.person.findFirstOrThrow({ where: { name: 'Jo Demo' } });
    const plan = await planCycle(s.db, { workspaceId: s.workspaceId, now: clock() });
    const planned = plan.messages.find((m) => m.recipient.type === 'person' && m.recipient.personId === jo.id && m.message.kind === 'nudge');
    const message = planned?.message ?? { kind: 'nudge' as const, reasons: ['overdue' as const], recipientName: 'Jo Demo', actions: await listPersonActions(s.db, s.workspaceId, jo.id, today) };
    expect(message.kind).toBe('nudge');
    const to = await resolveAddress(s.db, { personId: jo.id, groupId: null, platform: 'teams' });
    await s.teams.port.send(to, message);

    const nudge = page.locator('.ac-adaptiveCard', { hasText: 'Overdue actions need an update' });
    await nudge.waitFor({ timeout: 20_000 });
    await nudge.getByRole('button', { name: '🟠 Amber' }).first().click();
    await nudge.getByText(/Recorded .*Amber.* by Jo Demo/).waitFor({ timeout: 20_000 });
    await nudge.getByRole('button', { name: 'Snooze a week' }).first().click();
    await page.getByText(/Snoozed until/).first().waitFor({ timeout: 20_000 });

    await type(page, 'my actions');
    await page.locator('.ac-adaptiveCard', { hasText: 'Your open actions' }).first().waitFor({ timeout: 20_000 });
    await type(page, 'highlight-report');
    await page.locator('.ac-adaptiveCard', { hasText: 'Highlight Report' }).first().waitFor({ timeout: 30_000 });

    const texts = await page.locator('.ac-adaptiveCard').allInnerTexts();
    const shown = texts.join('\n');
    expect(texts.length).toBeGreaterThanOrEqual(4);

    // The dates the demo can show: its day, the plan's due dates as written, its meetings, the snooze's end.
    const group = await s.db.group.findFirstOrThrow({ where: { slug: DEMO_GROUP }, include: { actions: true, meetings: true } });
    const { settings } = parseGroupSettings(group.settingsJson);
    const cal = calendarFor(settings.region);
    const snooze = await s.db.snooze.findFirstOrThrow({ where: { personId: jo.id } });
    const allowed = new Set<string>([today, londonDate(snooze.until)]);
    for (const a of group.actions) {
      if (a.dueDate) allowed.add(a.dueDate);
      for (const d of datesIn(a.dueRaw)) allowed.add(d.iso);
    }
    for (const m of meetingsBetween({ cadence: group.cadence, cadenceAnchor: group.cadenceAnchor, meetings: group.meetings }, addDays(today, -730), addDays(today, 730), cal, settings.meetingOnBankHoliday)) allowed.add(m.date);
    const outside = datesIn(shown).filter((d) => !allowed.has(d.iso));
    expect(outside).toEqual([]);
    // The snooze ends a week after the demo's day, not a week after the machine's.
    expect(londonDate(snooze.until)).toBe(addDays(today, 7));
    expect(shown).toContain(`Snoozed until`);

    // Every count says its unit and is a count on the demo's day.
    expect(shown).not.toMatch(/\b\d+ (calendar )?days? overdue/);
    const counts = new Set(group.actions.map((a) => workingDaysOverdue({ brag: a.brag as 'green', dueKind: a.dueKind, dueDate: a.dueDate }, today, cal)));
    const shownCounts = [...shown.matchAll(/\b(\d+) working days? overdue/g)].map((m) => Number(m[1]));
    expect(shownCounts.length).toBeGreaterThan(0);
    expect(shownCounts.filter((n) => !counts.has(n))).toEqual([]);
    // Not even a year from the machine's clock (the plan's own dates run 2020-2022).
    const machineYear = realClock().getUTCFullYear();
    if (machineYear > 2023) expect(shown).not.toMatch(new RegExp(`\\b${machineYear}\\b`));
    await page.close();
  }, 120_000);
});
