/**
 * End to end against Microsoft's M365 Agents Playground (a local Teams client and Bot
 * Connector emulator), on the demo plan: the install stores the person's conversation
 * reference, a nudge card arrives, a BRAG click is recorded and the card updates, the
 * highlight-report command answers, and an update-thread reply (with the @mention the
 * Playground requires, as a tenant without the RSC consent would) becomes a report section.
 * The web UI itself is driven in headless Chromium in playground.browser.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/core/chat.js';
import { londonDate } from '../../src/core/calendar.js';
import { resolveAddress } from '../../src/delivery/outbox.js';
import { listPersonActions } from '../../src/services/actions.js';
import { DEMO_GROUP } from '../../src/services/demo.js';
import { setGroupChannel } from '../../src/services/groups.js';
import { recordThreadOpened } from '../../src/services/threads.js';
import { actionsOf, inputsOf, textOf } from './support/cards.js';
import { cardOf, startStack, type Stack } from './support/stack.js';
import { cardProblems } from './support/adaptive-cards.js';

const NOW = new Date('2021-07-20T09:00:00Z');
let s: Stack;
let jo: { id: string };

beforeAll(async () => {
  s = await startStack(NOW);
  jo = await s.db.person.findFirstOrThrow({ where: { name: 'Jo Demo' }, select: { id: true } });
}, 60_000);
afterAll(async () => s?.stop());

describe('M365 Agents Playground', () => {
  it('installing the app stores Jo’s conversation reference (matched by email) and says hello', async () => {
    const since = s.events.length;
    await s.playground.install();
    const welcome = await s.waitFor((e) => e.action === 'createMessage' && textOf(cardOf(e)).includes('I will message you here'), { since });
    expect(cardProblems(cardOf(welcome))).toEqual([]);
    const ref = await s.db.conversationRef.findFirstOrThrow({ where: { platform: 'teams', personId: jo.id } });
    expect(ref.conversationId).toBe(s.playground.ids.personalChatId);
    expect(ref.serviceUrl).toBe(s.playground.serviceUrl);
    expect((await s.db.person.findUniqueOrThrow({ where: { id: jo.id } })).teamsUserId).toBe(s.playground.currentUser.aadObjectId);
  });

  it('a nudge card arrives; clicking Amber records it once and the card updates in place', async () => {
    const actions = (await listPersonActions(s.db, s.workspaceId, jo.id, londonDate(NOW))).filter((a) => a.brag !== 'amber').slice(0, 3);
    expect(actions.length).toBeGreaterThan(0);
    const nudge: OutboundMessage = { kind: 'nudge', reasons: ['overdue'], recipientName: 'Jo Demo', actions };
    // Addressed exactly as the dispatcher addresses an outbox row for Jo on Teams.
    const to = await resolveAddress(s.db, { personId: jo.id, groupId: null, platform: 'teams' });
    const since = s.events.length;
    const sent = await s.teams.port.send(to, nudge);
    const arrived = await s.waitFor((e) => e.action === 'createMessage' && e.message?.messageId === sent.providerMessageId, { since });
    const card = cardOf(arrived);
    expect(cardProblems(card)).toEqual([]);
    expect(textOf(card)).toContain('Overdue actions need an update');

    const amber = actionsOf(card).find((x) => x.verb === 'brag' && x.data?.a === actions[0]!.actionId && x.data?.b === 'amber')!;
    const scope = inputsOf(card).find((i) => i.id === 'bb_scope')!;
    // As the Playground's UI sends it: the button's data plus the card's inputs.
    const data = { ...amber.data, bb_scope: scope.value };
    const res = await s.invoke(sent.providerMessageId, { verb: amber.verb!, data });
    expect(res.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(textOf(res.value)).toMatch(/✅ Recorded 🟠 \*\*Amber\*\* \(at risk\) \(was \w+\) by Jo Demo/);
    expect(cardProblems(res.value)).toEqual([]);
    const update = await s.db.statusUpdate.findFirstOrThrow({ where: { actionId: actions[0]!.actionId, channel: 'teams' } });
    expect(update).toMatchObject({ toBrag: 'amber', personId: jo.id, actorName: 'Jo Demo' });

    // A second click on the same (unrefreshed) button: nothing new.
    const again = await s.invoke(sent.providerMessageId, { verb: amber.verb!, data });
    expect(textOf(again.value)).toContain('Already recorded');
    expect(await s.db.statusUpdate.count({ where: { actionId: actions[0]!.actionId, channel: 'teams' } })).toBe(1);
  });

  it('the highlight-report command answers with the report', async () => {
    const since = s.events.length;
    await s.say('highlight-report');
    const answer = await s.waitFor((e) => e.action === 'createMessage' && textOf(cardOf(e)).includes('Highlight Report'), { since, timeoutMs: 20_000 });
    const card = cardOf(answer);
    expect(cardProblems(card)).toEqual([]);
    // No date given: the next meeting after the clock (20 July 2021), the bimonthly one on 8 September, not the first (13 January).
    expect(textOf(card)).toContain('Preview: version 1 (draft) of the report for 8 Sep 2021');
    // Jo Demo is a member of the group, not its chair: the preview offers no Publish (docs/access.md).
    expect(actionsOf(card).map((x) => x.verb)).toEqual([]);
    expect(await s.db.highlightReport.count()).toBe(1);
  });

  it('my actions and help answer in the personal chat', async () => {
    const since = s.events.length;
    await s.say('my actions');
    const list = await s.waitFor((e) => e.action === 'createMessage' && textOf(cardOf(e)).includes('Your open actions'), { since });
    expect(cardProblems(cardOf(list))).toEqual([]);
    await s.say('help');
    await s.waitFor((e) => e.action === 'createMessage' && textOf(cardOf(e)).includes('highlight-report [group] [date]'), { since });
  });

  it('an update round opens in the team channel and an @mention reply becomes a report section', async () => {
    const group = await s.db.group.findFirstOrThrow({ where: { slug: DEMO_GROUP } });
    const channelId = s.playground.ids.teamId;
    await setGroupChannel(s.db, group.id, { platform: 'teams', conversationId: channelId, teamId: s.playground.ids.teamId, serviceUrl: s.playground.serviceUrl });
    const to = await resolveAddress(s.db, { personId: null, groupId: group.id, platform: 'teams' });
    const sent = await s.teams.port.send(to, { kind: 'thread-open', groupName: group.name, meetingDate: '2021-01-13', askedNames: ['Jo Demo'] });
    expect(sent.conversationId).toBe(channelId);
    // What the dispatcher records after sending a thread-open.
    const meeting = await s.db.meeting.findFirstOrThrow({ where: { groupId: group.id, date: '2021-01-13' } });
    await recordThreadOpened(s.db, { meetingId: meeting.id, platform: 'teams', conversationId: sent.conversationId!, threadId: sent.providerMessageId, now: NOW });

    const since = s.events.length;
    await s.say('*Leaving Care / Pathway Team*\n46 care leavers supported; 31 (67%) in education, employment or training.', { conversationId: `${channelId};messageid=${sent.providerMessageId}`, mentionBot: true });
    await s.waitFor((e) => e.action === 'createMessage' && textOf(cardOf(e)).includes('saved as the **Leaving Care / Pathway Team** section'), { since });
    const section = await s.db.sectionUpdate.findFirstOrThrow({ where: { thread: { meetingId: meeting.id } } });
    expect(section).toMatchObject({ section: 'Leaving Care / Pathway Team', text: '46 care leavers supported; 31 (67%) in education, employment or training.', personId: jo.id });
  });

  it('logs no message bodies', () => {
    const all = JSON.stringify(s.logs);
    expect(all).not.toContain('46 care leavers');
    expect(all).not.toContain('Recruitment');
  });
});
