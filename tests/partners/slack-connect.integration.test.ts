/**
 * Issue 15 pt 1, Slack: recorded Slack Connect payloads (tests/fixtures/slack/README.md) through
 * the real signed HTTP receiver. A member of a partner's workspace whom the group trusts has their
 * BRAG click and their thread reply recorded; someone else from that same workspace, a member of
 * an organisation the group does not trust, and our own id claimed from the partner's workspace
 * are refused, and nothing of theirs is stored.
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSlackThreadOpened } from '../../src/adapters/slack/threads.js';
import type { ActionCard } from '../../src/core/chat.js';
import { getActionCard } from '../../src/services/actions.js';
import { addMeeting, addMember } from '../../src/services/groups.js';
import { removePartner, trustPartner } from '../../src/services/partners.js';
import { providers } from '../support/db.js';
import { makeAction, makePerson } from '../support/factories.js';
import { FAKE_TEAM_ID, fixture, NOW, startHarness, type Harness } from '../slack/harness.js';

const PARTNER = 'T0PARTNER';
const UNTRUSTED = 'T0ELSEWHERE';
const SHARED = 'C0SHARED';

describe.each(await providers())('Slack Connect: a trusted partner’s member and strangers (%s)', (provider) => {
  let h: Harness;
  let threadTs: string;
  let actionId: string;
  let seq = 0;
  const ids = { partner: '', otherOrg: '' };

  beforeAll(async () => {
    h = await startHarness(provider);
    const db = h.database.db;
    // Inspector Dale: a member of the partnership, in North Yorkshire Police's own Slack workspace.
    const partner = await makePerson(db, h.world.workspaceId, { name: 'Sam Dale', slackUserId: 'U0PARTNER1', slackTeamId: PARTNER, team: 'North Yorkshire Police' });
    const otherOrg = await makePerson(db, h.world.workspaceId, { name: 'Kim Other', slackUserId: 'U0ELSE1', slackTeamId: UNTRUSTED });
    await addMember(db, h.world.group.id, partner.id, 'member');
    await addMember(db, h.world.group.id, otherOrg.id, 'member');
    ids.partner = partner.id;
    ids.otherOrg = otherOrg.id;
    actionId = (await makeAction(db, h.world.group.id, { brag: 'green', ownerIds: [partner.id, otherOrg.id] })).id;
    const meeting = await addMeeting(db, h.world.group.id, '2026-12-03');
    const sent = await h.slack.port.send({ platform: 'slack', conversationId: SHARED }, { kind: 'thread-open', groupName: h.world.group.name, meetingDate: '2026-12-03', askedNames: ['Sam Dale'] });
    await recordSlackThreadOpened(db, { meetingId: meeting.id, channelId: SHARED, sent, now: NOW });
    threadTs = sent.providerMessageId;
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Clicks Amber on a fresh card in the shared channel as `user` of workspace `userTeam`; resolves with what they were told privately, if anything. */
  async function clickAmber(user: string, userTeam: string) {
    const card = (await getActionCard(h.database.db, h.world.workspaceId, actionId, '2026-12-01')) as ActionCard;
    const sent = await h.slack.port.send({ platform: 'slack', conversationId: SHARED }, { kind: 'nudge', reasons: ['overdue'], recipientName: 'Sam Dale', actions: [card] });
    const message = h.fake.messages.get(`${sent.conversationId}:${sent.providerMessageId}`)!;
    const blocks = message.blocks as KnownBlock[];
    const row = blocks.find((b) => b.block_id === `act:${actionId}:buttons`) as ActionsBlock;
    const button = row.elements.find((e) => 'action_id' in e && e.action_id === 'bragbot.brag.amber') as Button;
    seq += 1;
    const ts = `1800010000.${String(seq).padStart(6, '0')}`;
    const responseUrl = h.fake.responseUrl(`connect-${provider}-${seq}`);
    const payload = fixture('block-actions-slack-connect.json', {
      USER_ID: user, USER_TEAM_ID: userTeam, TEAM_ID: FAKE_TEAM_ID, MESSAGE_TS: message.ts, CHANNEL_ID: SHARED, TRIGGER_ID: `trigger-${ts}`,
      MESSAGE_TEXT: message.text, MESSAGE_BLOCKS: blocks, RESPONSE_URL: responseUrl, ACTION_ID: button.action_id, BLOCK_ID: row.block_id,
      BUTTON_TEXT: button.text.text, VALUE: button.value, ACTION_TS: ts,
    });
    const res = await h.interaction(payload);
    expect(res.status).toBe(200);
    return { responseUrl, message };
  }
  const privately = (responseUrl: string) => h.fake.waitFor(() => h.fake.responses.find((r) => h.fake.responseUrl(r.id) === responseUrl)?.body.text as string | undefined);
  const updates = () => h.database.db.statusUpdate.findMany({ where: { actionId }, orderBy: { at: 'asc' } });

  it('before the group trusts the partner, its member’s click is refused in words and nothing is recorded', async () => {
    const { responseUrl } = await clickAmber('U0PARTNER1', PARTNER);
    expect(await privately(responseUrl)).toMatch(/does not work with your organisation through bragbot/);
    expect(await updates()).toHaveLength(0);
  });

  it('once trusted, the partner member’s BRAG click is recorded as them, through Slack', async () => {
    expect((await trustPartner(h.database.db, h.world.group.id, { platform: 'slack', orgId: PARTNER, name: 'North Yorkshire Police' }, 'test', NOW)).outcome).toBe('trusted');
    await clickAmber('U0PARTNER1', PARTNER);
    await expect.poll(async () => (await updates()).length).toBe(1);
    expect((await updates())[0]).toMatchObject({ personId: ids.partner, actorName: 'Sam Dale', fromBrag: 'green', toBrag: 'amber', channel: 'slack' });
    expect((await h.database.db.action.findUniqueOrThrow({ where: { id: actionId } })).brag).toBe('amber');
  });

  it('a stranger from the same partner workspace is refused, and nothing is written, not even to the inbox', async () => {
    const inboxBefore = await h.database.db.inboundInteraction.count();
    const { responseUrl } = await clickAmber('U0PARTNER2', PARTNER);
    expect(await privately(responseUrl)).toMatch(/another organisation’s Slack workspace/);
    expect(await updates()).toHaveLength(1);
    expect(await h.database.db.inboundInteraction.count()).toBe(inboxBefore);
  });

  it('a member of an organisation the group does not trust is refused, though they are a member and an owner', async () => {
    const { responseUrl } = await clickAmber('U0ELSE1', UNTRUSTED);
    expect(await privately(responseUrl)).toMatch(/does not work with your organisation/);
    expect(await updates()).toHaveLength(1);
  });

  it('the partner’s user id claimed from our own workspace is nobody (identity is workspace and user id)', async () => {
    const { responseUrl } = await clickAmber('U0PARTNER1', FAKE_TEAM_ID);
    expect(await privately(responseUrl)).toMatch(/does not know your Slack account/);
    expect(await updates()).toHaveLength(1);
  });

  const reply = (eventId: string, ts: string, text: string, user: string, userTeam: string) =>
    fixture('event-thread-reply-slack-connect.json', { TEAM_ID: FAKE_TEAM_ID, USER_TEAM_ID: userTeam, USER_ID: user, TS: ts, TEXT: text, THREAD_TS: threadTs, CHANNEL_ID: SHARED, EVENT_ID: eventId });
  const sections = () => h.database.db.sectionUpdate.findMany({ orderBy: { postedAt: 'asc' } });

  it('the trusted partner member’s thread reply becomes their section; the stranger’s and the untrusted one’s are refused and not stored', async () => {
    expect((await h.event(reply('Ev0CONNECT1', '1800020001.000100', '*North Yorkshire Police*\nReturn interviews: 14 of 16 within 72 hours.', 'U0PARTNER1', PARTNER))).status).toBe(200);
    await expect.poll(async () => (await sections()).length).toBe(1);
    expect((await sections())[0]).toMatchObject({ personId: ids.partner, section: 'North Yorkshire Police', text: 'Return interviews: 14 of 16 within 72 hours.' });
    const notes = h.fake.callsOf('chat.postEphemeral').length;
    await h.event(reply('Ev0CONNECT2', '1800020002.000100', 'From a stranger', 'U0PARTNER2', PARTNER));
    await h.event(reply('Ev0CONNECT3', '1800020003.000100', 'From an untrusted partner', 'U0ELSE1', UNTRUSTED));
    await h.fake.waitFor(() => h.fake.callsOf('chat.postEphemeral').length >= notes + 2 || null);
    const said = h.fake.callsOf('chat.postEphemeral').slice(notes).map((c) => String(c.params.text));
    expect(said[0]).toMatch(/another organisation’s Slack workspace/);
    expect(said[1]).toMatch(/does not work with your organisation/);
    expect(await sections()).toHaveLength(1);
  });

  it('when the group stops trusting the partner, the same member is refused again', async () => {
    expect((await removePartner(h.database.db, h.world.group.id, { platform: 'slack', orgId: PARTNER }, 'test', NOW)).outcome).toBe('removed');
    const { responseUrl } = await clickAmber('U0PARTNER1', PARTNER);
    expect(await privately(responseUrl)).toMatch(/does not work with your organisation/);
    expect(await updates()).toHaveLength(1);
    const history = await h.database.db.partnerTrustChange.findMany({ where: { groupId: h.world.group.id }, orderBy: { at: 'asc' } });
    expect(history.map((c) => c.change)).toEqual(['trusted', 'removed']);
  });
});
