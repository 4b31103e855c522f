/**
 * Buttons and the progress modal, end to end: the real Bolt app in HTTP mode receives signed
 * payloads, the real WebClient talks to FakeSlack, the database is real (SQLite, and
 * PostgreSQL when it is up).
 */
import type { ActionsBlock, Button, KnownBlock, SectionBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionCard } from '../../src/core/chat.js';
import { getActionCard } from '../../src/services/actions.js';
import { recordUpdate } from '../../src/services/status-updates.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../support/factories.js';
import { providers } from '../support/db.js';
import type { StoredMessage } from './fake-slack.js';
import { FAKE_TEAM_ID, fixture, NOW, sign, startHarness, type Harness } from './harness.js';

const TODAY = '2026-12-01';
let tsSeq = 0;
const nextTs = () => `1800000900.${String(++tsSeq).padStart(6, '0')}`;

describe.each(await providers())('Slack interactions over signed HTTP (%s)', (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(provider);
  });
  afterAll(async () => {
    await h?.close();
  });

  const db = () => h.database.db;

  async function ownedAction(brag: 'green' | 'amber' | 'red' = 'amber') {
    return makeAction(db(), h.world.group.id, { brag, dueDate: '2026-11-20', ownerIds: [h.world.owner.id] });
  }

  async function nudge(actionIds: string[], to = 'UOWNER'): Promise<StoredMessage> {
    const cards = (await Promise.all(actionIds.map((id) => getActionCard(db(), h.world.workspaceId, id, TODAY)))) as ActionCard[];
    const sent = await h.slack.port.send({ platform: 'slack', conversationId: to }, { kind: 'nudge', reasons: ['overdue'], recipientName: 'Olu Owner', actions: cards });
    return h.fake.messages.get(`${sent.conversationId}:${sent.providerMessageId}`)!;
  }

  function current(message: StoredMessage): StoredMessage {
    return h.fake.messages.get(`${message.channel}:${message.ts}`)!;
  }

  function click(message: StoredMessage, actionId: string, buttonActionId: string, o: { user?: string; team?: string; actionTs?: string; value?: string } = {}) {
    const blocks = message.blocks as KnownBlock[];
    const row = blocks.find((b) => b.block_id === `act:${actionId}:buttons`) as ActionsBlock;
    const button = row.elements.find((e) => 'action_id' in e && e.action_id === buttonActionId) as Button;
    const actionTs = o.actionTs ?? nextTs();
    return fixture<{ response_url: string; trigger_id: string } & Record<string, unknown>>('block-actions-button.json', {
      USER_ID: o.user ?? 'UOWNER', TEAM_ID: o.team ?? FAKE_TEAM_ID, MESSAGE_TS: message.ts, CHANNEL_ID: message.channel,
      TRIGGER_ID: `trigger-${actionTs}`, MESSAGE_TEXT: message.text, MESSAGE_BLOCKS: blocks, RESPONSE_URL: h.fake.responseUrl(`r-${actionTs}`),
      ACTION_ID: buttonActionId, BLOCK_ID: row.block_id, BUTTON_TEXT: button.text.text, VALUE: o.value ?? button.value, ACTION_TS: actionTs,
    });
  }

  const updatesOf = (actionId: string) => db().statusUpdate.findMany({ where: { actionId }, orderBy: { at: 'asc' } });
  const cardText = (message: StoredMessage, actionId: string) =>
    ((message.blocks as KnownBlock[]).find((b) => b.block_id === `act:${actionId}:card`) as SectionBlock).text!.text;
  const updatesTo = (message: StoredMessage) => h.fake.callsOf('chat.update').filter((c) => c.params.ts === message.ts);
  const responsesFor = (payload: { response_url: string }) => h.fake.responses.filter((r) => h.fake.responseUrl(r.id) === payload.response_url);

  it('refuses a forged signature, a wrong secret and an old timestamp with 401, recording nothing', async () => {
    const action = await ownedAction();
    const message = await nudge([action.id]);
    const body = `payload=${encodeURIComponent(JSON.stringify(click(message, action.id, 'bragbot.brag.green')))}`;
    const form = 'application/x-www-form-urlencoded';
    const { signedPost } = await import('./harness.js');
    expect((await signedPost(h.eventsUrl, body, form, { signature: 'v0=0123456789abcdef' })).status).toBe(401);
    expect((await signedPost(h.eventsUrl, body, form, { secret: 'not-the-signing-secret' })).status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 600;
    expect((await signedPost(h.eventsUrl, body, form, { timestamp: old, signature: sign(body, old) })).status).toBe(401);
    expect(await updatesOf(action.id)).toHaveLength(0);
    expect((await db().action.findUniqueOrThrow({ where: { id: action.id } })).brag).toBe('amber');
  });

  it('nudge → Green → recorded in the database → the DM is updated in place with what was recorded', async () => {
    const action = await ownedAction('amber');
    const other = await ownedAction('red');
    const message = await nudge([action.id, other.id]);
    expect(message.channel).toBe('DOWNER');
    const res = await h.interaction(click(message, action.id, 'bragbot.brag.green'));
    expect(res.status).toBe(200);
    const update = await h.fake.waitFor(() => updatesTo(message)[0]);
    const updates = await updatesOf(action.id);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ fromBrag: 'amber', toBrag: 'green', channel: 'slack', personId: h.world.owner.id, actorName: 'Olu Owner', at: NOW });
    expect((await db().action.findUniqueOrThrow({ where: { id: action.id } })).brag).toBe('green');
    expect(update.params.channel).toBe('DOWNER');
    const after = current(message);
    expect(cardText(after, action.id)).toMatch(/Recorded :large_green_circle: \*Green\* \(on track\) \(was Amber\) by Olu Owner/);
    // The other action is untouched, and the message keeps its size.
    expect(cardText(after, other.id)).toBe(cardText(message, other.id));
    expect((after.blocks as KnownBlock[]).length).toBe((message.blocks as KnownBlock[]).length);
    expect(await updatesOf(other.id)).toHaveLength(0);
  });

  it('records a replayed interaction once, and a double click on the same button once', async () => {
    const action = await ownedAction('amber');
    const message = await nudge([action.id]);
    const payload = click(message, action.id, 'bragbot.brag.red');
    expect((await h.interaction(payload)).status).toBe(200);
    await h.fake.waitFor(() => updatesTo(message)[0]);
    // The same payload again (a retry), then a second genuine click on the same (old) button.
    expect((await h.interaction(payload)).status).toBe(200);
    expect((await h.interaction(click(message, action.id, 'bragbot.brag.red'))).status).toBe(200);
    await h.fake.waitFor(() => updatesTo(message).length >= 3 && updatesTo(message));
    expect(await updatesOf(action.id)).toHaveLength(1);
    expect(cardText(current(message), action.id)).toContain('Already recorded');
  });

  it('records later genuine clicks from the refreshed message, even back to an earlier status', async () => {
    const action = await ownedAction('amber');
    const message = await nudge([action.id]);
    await h.interaction(click(message, action.id, 'bragbot.brag.green'));
    await h.fake.waitFor(() => updatesTo(message).length === 1);
    await h.interaction(click(current(message), action.id, 'bragbot.brag.amber'));
    await h.fake.waitFor(() => updatesTo(message).length === 2);
    await h.interaction(click(current(message), action.id, 'bragbot.brag.green'));
    await h.fake.waitFor(() => updatesTo(message).length === 3);
    expect((await updatesOf(action.id)).map((u) => u.toBrag)).toEqual(['green', 'amber', 'green']);
  });

  it('does not apply a stale button: the message is refreshed to show who changed it', async () => {
    const action = await ownedAction('amber');
    const first = await nudge([action.id]);
    const second = await nudge([action.id]);
    await h.interaction(click(first, action.id, 'bragbot.brag.red'));
    await h.fake.waitFor(() => updatesTo(first)[0]);
    // The second message was rendered before the change.
    await h.interaction(click(second, action.id, 'bragbot.brag.green'));
    await h.fake.waitFor(() => updatesTo(second)[0]);
    expect((await updatesOf(action.id)).map((u) => u.toBrag)).toEqual(['red']);
    expect(cardText(current(second), action.id)).toMatch(/changed since this message was sent \(by Olu Owner.*Nothing was recorded/);
  });

  it('refuses a user who is not an owner, chair or admin: ephemeral message, nothing changes', async () => {
    const action = await ownedAction('green');
    const message = await nudge([action.id]);
    const payload = click(message, action.id, 'bragbot.brag.red', { user: 'USTRANGER' });
    expect((await h.interaction(payload)).status).toBe(200);
    const reply = await h.fake.waitFor(() => responsesFor(payload)[0]);
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(reply.body.text)).toContain('Only the action’s owners, the group’s chair or an admin can update it.');
    expect(await updatesOf(action.id)).toHaveLength(0);
    expect((await db().action.findUniqueOrThrow({ where: { id: action.id } })).brag).toBe('green');
    expect(updatesTo(message)).toHaveLength(0);
  });

  it('refuses a Slack user bragbot does not know, telling them how to get mapped', async () => {
    const action = await ownedAction('green');
    const message = await nudge([action.id]);
    const payload = click(message, action.id, 'bragbot.brag.red', { user: 'UNOBODY' });
    await h.interaction(payload);
    const reply = await h.fake.waitFor(() => responsesFor(payload)[0]);
    expect(String(reply.body.text)).toContain('does not know your Slack account');
    expect(await updatesOf(action.id)).toHaveLength(0);
  });

  it('lets the group’s chair change an action they do not own', async () => {
    const action = await ownedAction('green');
    const message = await nudge([action.id]);
    await h.interaction(click(message, action.id, 'bragbot.brag.amber', { user: 'UCHAIR' }));
    await h.fake.waitFor(() => updatesTo(message)[0]);
    expect((await updatesOf(action.id))[0]).toMatchObject({ personId: h.world.chair.id, toBrag: 'amber' });
  });

  it('refuses a payload from another Slack workspace before any listener runs', async () => {
    const action = await ownedAction('green');
    const message = await nudge([action.id]);
    const payload = click(message, action.id, 'bragbot.brag.red', { team: 'TOTHER' });
    expect((await h.interaction(payload)).status).toBe(200);
    const reply = await h.fake.waitFor(() => responsesFor(payload)[0]);
    expect(String(reply.body.text)).toContain('another Slack workspace');
    expect(await updatesOf(action.id)).toHaveLength(0);
  });

  it('never trusts the action id in a button: another workspace’s action is refused', async () => {
    const elsewhere = await makeWorkspace(db(), 'other-council');
    const theirGroup = await makeGroup(db(), elsewhere, { slug: 'theirs' });
    const theirOwner = await makePerson(db(), elsewhere, { name: 'Olu Owner' });
    const theirs = await makeAction(db(), theirGroup.id, { brag: 'green', ownerIds: [theirOwner.id] });
    const mine = await ownedAction('green');
    const message = await nudge([mine.id]);
    const payload = click(message, mine.id, 'bragbot.brag.red', { value: JSON.stringify({ a: theirs.id }) });
    await h.interaction(payload);
    const reply = await h.fake.waitFor(() => responsesFor(payload)[0]);
    expect(String(reply.body.text)).toContain('not in your workspace');
    expect(await updatesOf(theirs.id)).toHaveLength(0);
  });

  it('Update progress… opens the modal; its submission records status, progress, evidence and a revised date once', async () => {
    const action = await ownedAction('green');
    const message = await nudge([action.id]);
    const payload = click(message, action.id, 'bragbot.progress');
    await h.interaction(payload);
    const open = await h.fake.waitFor(() => h.fake.callsOf('views.open').find((c) => c.params.trigger_id === payload.trigger_id));
    const view = open.params.view as { callback_id: string; private_metadata: string; blocks: KnownBlock[] };
    expect(view.callback_id).toBe('bragbot.progress_modal');
    expect(JSON.parse(view.private_metadata)).toEqual({ a: action.id, c: message.channel, t: message.ts });

    const submission = fixture('view-submission-progress.json', {
      TEAM_ID: FAKE_TEAM_ID, USER_ID: 'UOWNER', TRIGGER_ID: 'trigger-modal-1', VIEW_ID: `V${action.id}`, PRIVATE_METADATA: view.private_metadata,
      BRAG: 'amber', PROGRESS: 'Two of three carers approved at panel', EVIDENCE: 'Panel minutes 12/11', REVISED_DUE: '31/03/2027',
    });
    const res = await h.interaction(submission);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const updates = await updatesOf(action.id);
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ toBrag: 'amber', toProgress: 'Two of three carers approved at panel', evidence: 'Panel minutes 12/11', revisedDueRaw: '31/03/2027', revisedDueDate: '2027-03-31' });
    expect(await db().action.findUniqueOrThrow({ where: { id: action.id } })).toMatchObject({ brag: 'amber', progress: 'Two of three carers approved at panel', evidence: 'Panel minutes 12/11', dueDate: '2027-03-31' });
    // The DM the modal came from is re-read and updated in place.
    await h.fake.waitFor(() => updatesTo(message)[0]);
    expect(cardText(current(message), action.id)).toMatch(/Recorded status :large_orange_circle: \*Amber\* \(at risk\), where we are now, evidence, revised date 31\/03\/2027 by Olu Owner/);
    // Slack retrying the same submission records nothing new.
    expect((await h.interaction(submission)).status).toBe(200);
    expect(await updatesOf(action.id)).toHaveLength(1);
  });

  it('shows a bad revised date in the modal and records nothing', async () => {
    const action = await ownedAction('green');
    const submission = fixture('view-submission-progress.json', {
      TEAM_ID: FAKE_TEAM_ID, USER_ID: 'UOWNER', TRIGGER_ID: 'trigger-modal-2', VIEW_ID: `V2${action.id}`, PRIVATE_METADATA: JSON.stringify({ a: action.id }),
      BRAG: 'red', PROGRESS: 'x', EVIDENCE: 'y', REVISED_DUE: '31/13/2027',
    });
    const res = await h.interaction(submission);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.revised_due).toContain('not a real date');
    expect(await updatesOf(action.id)).toHaveLength(0);
  });

  it('refuses a modal submission from someone who may not change the action, in the modal', async () => {
    const action = await ownedAction('green');
    const submission = fixture('view-submission-progress.json', {
      TEAM_ID: FAKE_TEAM_ID, USER_ID: 'USTRANGER', TRIGGER_ID: 'trigger-modal-3', VIEW_ID: `V3${action.id}`, PRIVATE_METADATA: JSON.stringify({ a: action.id }),
      BRAG: 'red', PROGRESS: 'x', EVIDENCE: 'y', REVISED_DUE: '',
    });
    const body = JSON.parse((await h.interaction(submission)).text) as { errors: Record<string, string> };
    expect(body.errors.status).toContain('Only the action’s owners');
    expect(await updatesOf(action.id)).toHaveLength(0);
  });

  it('Snooze a week stores the snooze and says until when', async () => {
    const action = await ownedAction('amber');
    const message = await nudge([action.id]);
    await h.interaction(click(message, action.id, 'bragbot.snooze'));
    await h.fake.waitFor(() => updatesTo(message)[0]);
    const snooze = await db().snooze.findUniqueOrThrow({ where: { personId_actionId: { personId: h.world.owner.id, actionId: action.id } } });
    expect(snooze.until.toISOString()).toBe('2026-12-08T10:00:00.000Z');
    expect(cardText(current(message), action.id)).toContain('Snoozed until Tue 8 Dec 2026');
  });

  it('Not mine hands the action back once, and the message drops its buttons', async () => {
    const action = await ownedAction('amber');
    const message = await nudge([action.id]);
    const payload = click(message, action.id, 'bragbot.not_mine');
    await h.interaction(payload);
    await h.fake.waitFor(() => updatesTo(message)[0]);
    await h.interaction(click(message, action.id, 'bragbot.not_mine'));
    await h.fake.waitFor(() => updatesTo(message).length >= 2);
    const updates = await updatesOf(action.id);
    expect(updates.filter((u) => u.kind === 'not-mine')).toHaveLength(1);
    expect(await db().actionOwner.count({ where: { actionId: action.id } })).toBe(0);
    const row = (current(message).blocks as KnownBlock[]).find((b) => b.block_id === `act:${action.id}:buttons`)!;
    expect(row.type).toBe('context');
  });

  it('escalations carry a Details button: the manager sees the history, a stranger is refused', async () => {
    const action = await ownedAction('amber');
    await recordUpdate(db(), { workspaceId: h.world.workspaceId, actionId: action.id, personId: h.world.owner.id, channel: 'cli', brag: 'red', note: 'Panel postponed', idempotencyKey: `test:${action.id}`, now: NOW });
    const card = (await getActionCard(db(), h.world.workspaceId, action.id, TODAY)) as ActionCard;
    const sent = await h.slack.port.send({ platform: 'slack', conversationId: 'UMANAGER' }, { kind: 'escalation', recipientName: 'Maya Manager', reason: 'red', ownerName: 'Olu Owner', actions: [card] });
    const message = h.fake.messages.get(`${sent.conversationId}:${sent.providerMessageId}`)!;
    const section = (message.blocks as KnownBlock[]).find((b) => b.block_id === `act:${action.id}:card`) as SectionBlock;
    const details = section.accessory as Button;
    expect(details.action_id).toBe('bragbot.details');
    const press = (user: string) => {
      const actionTs = nextTs();
      return fixture<{ response_url: string } & Record<string, unknown>>('block-actions-button.json', {
        USER_ID: user, TEAM_ID: FAKE_TEAM_ID, MESSAGE_TS: message.ts, CHANNEL_ID: message.channel, TRIGGER_ID: `t-${actionTs}`, MESSAGE_TEXT: message.text,
        MESSAGE_BLOCKS: message.blocks, RESPONSE_URL: h.fake.responseUrl(`r-${actionTs}`), ACTION_ID: 'bragbot.details', BLOCK_ID: section.block_id,
        BUTTON_TEXT: details.text.text, VALUE: details.value, ACTION_TS: actionTs,
      });
    };
    const mine = press('UMANAGER');
    await h.interaction(mine);
    const shown = await h.fake.waitFor(() => responsesFor(mine)[0]);
    expect(JSON.stringify(shown.body.blocks)).toMatch(/Recent updates.*Olu Owner \(cli\): Amber to \*Red\*: “Panel postponed”/);
    const theirs = press('USTRANGER');
    await h.interaction(theirs);
    const refused = await h.fake.waitFor(() => responsesFor(theirs)[0]);
    expect(String(refused.body.text)).toContain('Only the action’s owners, members of its group');
  });
});
