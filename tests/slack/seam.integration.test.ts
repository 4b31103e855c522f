/**
 * Issue 10 pts 1, 4 and 7 over Slack's real request shapes: the real Bolt app in HTTP mode
 * receives signed payloads, the real WebClient talks to FakeSlack, the database is real (SQLite,
 * and PostgreSQL when it is up).
 *  - pt 7: a view submission already recorded, sent by someone else, is refused in the modal and
 *    never rewrites the owner's message;
 *  - pt 1: only members (and the people asked) become sections; a stranger, an unknown Slack
 *    user and a user of another workspace get an ephemeral note and nothing is stored;
 *  - pt 4: a progress longer than Slack can pre-fill is left out of the modal and kept; every
 *    text field has a limit, shown in the modal, with nothing written.
 */
import type { ActionsBlock, Button, InputBlock, KnownBlock, PlainTextInput } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSlackThreadOpened } from '../../src/adapters/slack/threads.js';
import type { ActionCard } from '../../src/core/chat.js';
import { getActionCard } from '../../src/services/actions.js';
import { addMeeting } from '../../src/services/groups.js';
import { TEXT_LIMITS } from '../../src/services/interactions/index.js';
import { makeAction, makePerson } from '../support/factories.js';
import { providers } from '../support/db.js';
import type { StoredMessage } from './fake-slack.js';
import { FAKE_TEAM_ID, fixture, NOW, startHarness, type Harness } from './harness.js';

const TODAY = '2026-12-01';
let seq = 0;
const next = () => String(++seq).padStart(6, '0');

describe.each(await providers())('the inbound seam over signed Slack HTTP (%s)', (provider) => {
  let h: Harness;
  let threadTs: string;
  beforeAll(async () => {
    h = await startHarness(provider);
    const meeting = await addMeeting(h.database.db, h.world.group.id, '2026-12-03');
    const sent = await h.slack.port.send({ platform: 'slack', conversationId: 'C0GROUP' }, { kind: 'thread-open', groupName: h.world.group.name, meetingDate: '2026-12-03', askedNames: ['Olu Owner'] });
    await recordSlackThreadOpened(h.database.db, { meetingId: meeting.id, channelId: 'C0GROUP', sent, now: NOW });
    threadTs = sent.providerMessageId;
  });
  afterAll(async () => {
    await h?.close();
  });
  const db = () => h.database.db;

  async function nudge(actionId: string): Promise<StoredMessage> {
    const card = (await getActionCard(db(), h.world.workspaceId, actionId, TODAY)) as ActionCard;
    const sent = await h.slack.port.send({ platform: 'slack', conversationId: 'UOWNER' }, { kind: 'nudge', reasons: ['overdue'], recipientName: 'Olu Owner', actions: [card] });
    return h.fake.messages.get(`${sent.conversationId}:${sent.providerMessageId}`)!;
  }
  function press(message: StoredMessage, actionId: string, buttonActionId: string, user = 'UOWNER') {
    const blocks = message.blocks as KnownBlock[];
    const row = blocks.find((b) => b.block_id === `act:${actionId}:buttons`) as ActionsBlock;
    const button = row.elements.find((e) => 'action_id' in e && e.action_id === buttonActionId) as Button;
    const ts = `1800001000.${next()}`;
    return fixture<{ trigger_id: string; response_url: string } & Record<string, unknown>>('block-actions-button.json', {
      USER_ID: user, TEAM_ID: FAKE_TEAM_ID, MESSAGE_TS: message.ts, CHANNEL_ID: message.channel, TRIGGER_ID: `trigger-${ts}`, MESSAGE_TEXT: message.text,
      MESSAGE_BLOCKS: blocks, RESPONSE_URL: h.fake.responseUrl(`r-${ts}`), ACTION_ID: buttonActionId, BLOCK_ID: row.block_id, BUTTON_TEXT: button.text.text, VALUE: button.value, ACTION_TS: ts,
    });
  }
  const submission = (o: { user: string; viewId: string; meta: string; brag?: string; progress?: string; evidence?: string; revised?: string; note?: string | null }) => {
    const s = fixture<{ view: { state: { values: Record<string, Record<string, Record<string, unknown>>> } } }>('view-submission-progress.json', {
      TEAM_ID: FAKE_TEAM_ID, USER_ID: o.user, TRIGGER_ID: `trigger-${next()}`, VIEW_ID: o.viewId, PRIVATE_METADATA: o.meta,
      BRAG: o.brag ?? 'amber', PROGRESS: o.progress ?? '', EVIDENCE: o.evidence ?? '', REVISED_DUE: o.revised ?? '',
    });
    s.view.state.values.note!.text!.value = o.note ?? null;
    return s;
  };
  const updatesTo = (m: StoredMessage) => h.fake.callsOf('chat.update').filter((c) => c.params.ts === m.ts);
  const statusUpdates = (actionId: string) => db().statusUpdate.findMany({ where: { actionId } });

  describe('pt 7: authorise before the duplicate check', () => {
    it('someone else submitting a recorded view id is refused in the modal; the owner’s message is not rewritten', async () => {
      const action = await makeAction(db(), h.world.group.id, { brag: 'amber', dueDate: '2026-11-20', ownerIds: [h.world.owner.id] });
      const message = await nudge(action.id);
      const meta = JSON.stringify({ a: action.id, c: message.channel, t: message.ts });
      const viewId = `VSEAM${action.id}`;
      const first = await h.interaction(submission({ user: 'UOWNER', viewId, meta, brag: 'red', note: 'Panel postponed' }));
      expect(first.text).toBe('');
      await h.fake.waitFor(() => updatesTo(message)[0]);
      const shownBefore = JSON.stringify(h.fake.messages.get(`${message.channel}:${message.ts}`)!.blocks);

      const theirs = await h.interaction(submission({ user: 'USTRANGER', viewId, meta, brag: 'green' }));
      const body = JSON.parse(theirs.text) as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe('errors');
      expect(body.errors.status).toContain('Only the action’s owners, the group’s chair or an admin can update it.');
      await new Promise((r) => setTimeout(r, 300));
      expect(updatesTo(message)).toHaveLength(1);
      expect(JSON.stringify(h.fake.messages.get(`${message.channel}:${message.ts}`)!.blocks)).toBe(shownBefore);
      expect(shownBefore).not.toContain('Sam Stranger');
      expect(await statusUpdates(action.id)).toHaveLength(1);
    });
  });

  describe('pt 1: who may write a section of the board paper', () => {
    const reply = (eventId: string, user: string, text: string, team = FAKE_TEAM_ID) => {
      const ts = `1800002000.${next()}`;
      const e = fixture<{ event: Record<string, unknown> }>('event-thread-reply.json', { TEAM_ID: FAKE_TEAM_ID, USER_ID: user, TS: ts, TEXT: text, THREAD_TS: threadTs, CHANNEL_ID: 'C0GROUP', EVENT_ID: eventId });
      // Slack Connect: the author's own workspace is on the message.
      e.event.team = team;
      e.event.user_team = team;
      return { envelope: e, ts };
    };
    const ephemeralsTo = (user: string) => h.fake.callsOf('chat.postEphemeral').filter((c) => c.params.user === user);

    it('a member’s reply is captured with a ✅', async () => {
      const { envelope, ts } = reply('EvSEAM1', 'UOWNER', '*Pathway Team*\n46 care leavers supported.');
      await h.event(envelope);
      await h.fake.waitFor(() => h.fake.callsOf('reactions.add').find((c) => c.params.timestamp === ts));
      expect(await db().sectionUpdate.findFirst({ where: { platformMessageId: ts } })).toMatchObject({ section: 'Pathway Team', personId: h.world.owner.id });
    });

    it.each([
      ['a mapped person who is not in the group', 'USTRANGER', FAKE_TEAM_ID, 'Only members of Children in Care Operational Group'],
      ['a Slack user bragbot does not know', 'U0NOBODY', FAKE_TEAM_ID, 'does not know your Slack account'],
      ['a user of another workspace (Slack Connect)', 'UELSEWHERE', 'TOTHERORG', 'another organisation’s Slack workspace'],
    ])('%s gets an ephemeral note, no ✅, and nothing is stored', async (_who, user, team, note) => {
      const before = { sections: await db().sectionUpdate.count(), keys: await db().inboundEvent.count() };
      const { envelope, ts } = reply(`EvSEAM-${user}`, user, '*My Team*\nNot asked, but here is an update.', team);
      expect((await h.event(envelope)).status).toBe(200);
      const sent = await h.fake.waitFor(() => ephemeralsTo(user)[0]);
      expect(sent.params).toMatchObject({ channel: 'C0GROUP', thread_ts: threadTs });
      expect(String(sent.params.text)).toContain(note);
      await new Promise((r) => setTimeout(r, 200));
      expect({ sections: await db().sectionUpdate.count(), keys: await db().inboundEvent.count() }).toEqual(before);
      expect(await db().sectionUpdate.findFirst({ where: { platformMessageId: ts } })).toBeNull();
      expect(await db().sectionUpdate.count({ where: { OR: [{ authorName: user }, { section: user }] } })).toBe(0);
      expect(h.fake.callsOf('reactions.add').some((c) => c.params.timestamp === ts)).toBe(false);
      // Slack's retry of the same event says nothing twice.
      await h.event(envelope, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
      await new Promise((r) => setTimeout(r, 200));
      expect(ephemeralsTo(user)).toHaveLength(1);
    });

    it('a reply over the limit is not a section and its author is told why', async () => {
      const { envelope, ts } = reply('EvSEAMLONG', 'UOWNER', 'z'.repeat(TEXT_LIMITS.sectionReply + 1));
      await h.event(envelope);
      const sent = await h.fake.waitFor(() => ephemeralsTo('UOWNER').find((c) => String(c.params.text).includes('the most is 6,000')));
      expect(sent.params.thread_ts).toBe(threadTs);
      expect(await db().sectionUpdate.findFirst({ where: { platformMessageId: ts } })).toBeNull();
    });
  });

  describe('pt 4: never a cut pre-fill; limits in the service', () => {
    const LONG = 'Every care leaver has a pathway plan reviewed with them; the Pathway Team tracks EET monthly. '.repeat(50).trim();

    it('a progress longer than Slack can pre-fill is left out of the modal, said so, and kept on a status-only save', async () => {
      expect(LONG.length).toBeGreaterThan(3000);
      const action = await makeAction(db(), h.world.group.id, { brag: 'amber', dueDate: '2026-11-20', progress: LONG, ownerIds: [h.world.owner.id] });
      const message = await nudge(action.id);
      const open = press(message, action.id, 'bragbot.progress');
      await h.interaction(open);
      const call = await h.fake.waitFor(() => h.fake.callsOf('views.open').find((c) => c.params.trigger_id === open.trigger_id));
      const view = call.params.view as { blocks: KnownBlock[]; private_metadata: string };
      const progress = view.blocks.find((b) => b.block_id === 'progress') as InputBlock;
      expect((progress.element as PlainTextInput).initial_value).toBeUndefined();
      expect(progress.hint?.text).toContain(`is ${LONG.length.toLocaleString('en-GB')} characters, longer than this form can show`);
      expect(progress.hint?.text).toContain('re-import');
      const res = await h.interaction(submission({ user: 'UOWNER', viewId: `VLONG${action.id}`, meta: view.private_metadata, brag: 'green' }));
      expect(res.text).toBe('');
      expect(await db().action.findUniqueOrThrow({ where: { id: action.id } })).toMatchObject({ brag: 'green', progress: LONG });
      expect((await statusUpdates(action.id))[0]).toMatchObject({ toBrag: 'green', toProgress: null });
    });

    it('a note, progress or evidence over its limit is shown in the modal and nothing is written', async () => {
      const action = await makeAction(db(), h.world.group.id, { brag: 'green', progress: 'As it was', ownerIds: [h.world.owner.id] });
      const meta = JSON.stringify({ a: action.id });
      const res = await h.interaction(submission({
        user: 'UOWNER', viewId: `VLIM${action.id}`, meta, brag: 'red',
        progress: 'p'.repeat(10_000), evidence: 'e'.repeat(10_000), note: 'n'.repeat(10_000),
      }));
      const body = JSON.parse(res.text) as { response_action: string; errors: Record<string, string> };
      expect(body.response_action).toBe('errors');
      expect(Object.keys(body.errors).sort()).toEqual(['evidence', 'note', 'progress']);
      expect(body.errors.note).toBe('The note is 10,000 characters; the most is 2,000. Shorten it and save again.');
      expect(await statusUpdates(action.id)).toHaveLength(0);
      expect(await db().action.findUniqueOrThrow({ where: { id: action.id } })).toMatchObject({ brag: 'green', progress: 'As it was' });
    });

    it('/brag with a note over the limit records nothing and says why', async () => {
      const person = await makePerson(db(), h.world.workspaceId, { name: 'Cmd Owner', slackUserId: 'UCMDOWNER' });
      const action = await makeAction(db(), h.world.group.id, { ref: 'CMD1', brag: 'amber', ownerIds: [person.id] });
      const url = h.fake.responseUrl(`cmd-${next()}`);
      await h.command(fixture<Record<string, string>>('command.json', {
        TEAM_ID: FAKE_TEAM_ID, CHANNEL_ID: 'C0GROUP', USER_ID: 'UCMDOWNER', COMMAND: '/brag', TEXT: `CMD1 green ${'n'.repeat(2100)}`, RESPONSE_URL: url, TRIGGER_ID: `t-${next()}`,
      }));
      const answer = await h.fake.waitFor(() => h.fake.responses.find((r) => h.fake.responseUrl(r.id) === url));
      expect(String(answer.body.text)).toContain('the most is 2,000');
      expect(await statusUpdates(action.id)).toHaveLength(0);
    });
  });
});
