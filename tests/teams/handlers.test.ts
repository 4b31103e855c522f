/**
 * Every Teams handler as a plain function, fed recorded activities (tests/fixtures/teams) on a
 * real database: what is recorded, what is refused, what the person sees, and that a retried or
 * double-clicked activity records nothing new.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleCardAction } from '../../src/adapters/teams/handlers/card-action.js';
import { handleCardSubmit, isOurSubmit } from '../../src/adapters/teams/handlers/card-submit.js';
import { handleHelp } from '../../src/adapters/teams/handlers/help-command.js';
import { handleHighlightReport } from '../../src/adapters/teams/handlers/highlight-report-command.js';
import { handleMembersAdded } from '../../src/adapters/teams/handlers/install.js';
import { handleMyActions } from '../../src/adapters/teams/handlers/my-actions-command.js';
import { rememberConversation } from '../../src/adapters/teams/handlers/references.js';
import { handleSetChannel } from '../../src/adapters/teams/handlers/set-channel-command.js';
import { handleThreadDelete } from '../../src/adapters/teams/handlers/thread-delete.js';
import { handleThreadEdit } from '../../src/adapters/teams/handlers/thread-edit.js';
import { handleThreadReply } from '../../src/adapters/teams/handlers/thread-reply.js';
import { handleUnknown } from '../../src/adapters/teams/handlers/unknown-message.js';
import { versionOf } from '../../src/adapters/teams/ids.js';
import { addMeeting, addMember, setGroupChannel, upsertGroup } from '../../src/services/groups.js';
import { recordThreadOpened } from '../../src/services/threads.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';
import { actionsOf, inputsOf, scopeOf, textOf } from './support/cards.js';
import { DEMO_AAD, fakeTurn, fixture, handlerDeps, TENANT } from './support/harness.js';

const NOW = new Date('2021-07-20T10:00:00Z');
let t: TestDatabase;
let std: Awaited<ReturnType<typeof makeStandardGroup>>;

beforeAll(async () => {
  t = await createTestDatabase('sqlite');
  std = await makeStandardGroup(t.db);
  // The owner is the Teams user of the recorded activities.
  await t.db.person.update({ where: { id: std.owner.id }, data: { teamsUserId: DEMO_AAD.owner } });
});
afterAll(async () => t.destroy());

async function ownedAction(spec: Parameters<typeof makeAction>[2] = {}) {
  return makeAction(t.db, std.group.id, { ownerIds: [std.owner.id], brag: 'green', ...spec });
}

async function clickVars(actionId: string, extra: Record<string, string> = {}) {
  const a = await t.db.action.findUniqueOrThrow({ where: { id: actionId } });
  return { ACTION_ID: actionId, VERSION: versionOf(a.updatedAt), SCOPE: JSON.stringify({ k: 'nudge', ids: [actionId], n: 'Olu Owner', r: ['overdue'] }), ...extra };
}

describe('conversation references and install', () => {
  it('stores the personal chat reference for the person, and says hello once', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const install = fakeTurn(fixture('playground-install'));
    expect(await rememberConversation(deps, install)).toBe('stored');
    const ref = await t.db.conversationRef.findUniqueOrThrow({ where: { platform_conversationId: { platform: 'teams', conversationId: 'a:bragbot-demo-personal-chat' } } });
    expect(ref.personId).toBe(std.owner.id);
    expect(ref.tenantId).toBe(TENANT);
    expect(JSON.parse(ref.referenceJson)).toMatchObject({ serviceUrl: 'https://smba.trafficmanager.net/uk', bot: { id: '28:bragbot-demo' }, conversation: { id: 'a:bragbot-demo-personal-chat', conversationType: 'personal' } });

    const added = fakeTurn(fixture('playground-members-added'));
    expect(await handleMembersAdded(deps, added)).toBe('welcomed');
    expect(textOf(added.replies[0]!.card)).toContain('I will message you here');
    expect(await handleMembersAdded(deps, fakeTurn(fixture('playground-members-added')))).toBe('retry');
  });

  it('maps an unknown Teams user by email from the roster and remembers their AAD id', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const activity = fixture('playground-message-personal');
    activity.from = { id: 'user-asha', aadObjectId: 'aad-asha', name: 'Asha' };
    activity.conversation = { ...activity.conversation, id: 'a:asha-chat' };
    await t.db.person.update({ where: { id: std.chair.id }, data: { teamsUserId: null } });
    const turn = fakeTurn(activity, { roster: async () => ({ email: 'ASHA@example.gov.uk', aadObjectId: 'aad-asha' }) });
    expect(await rememberConversation(deps, turn)).toBe('stored');
    expect((await t.db.person.findUniqueOrThrow({ where: { id: std.chair.id } })).teamsUserId).toBe('aad-asha');
    expect((await t.db.conversationRef.findFirstOrThrow({ where: { conversationId: 'a:asha-chat' } })).personId).toBe(std.chair.id);
  });

  it('tells the host when the bot was added to a conversation (the demo nudges then)', async () => {
    const seen: unknown[] = [];
    const deps = handlerDeps(t.db, std.workspaceId, NOW, { onInstalled: (e) => seen.push(e) });
    await rememberConversation(deps, fakeTurn(fixture('playground-install')));
    expect(seen).toEqual([]);
    await rememberConversation(deps, fakeTurn(fixture('playground-members-added')));
    expect(seen).toEqual([{ conversationId: 'a:bragbot-demo-personal-chat', kind: 'personal', personId: std.owner.id }]);
    await rememberConversation(deps, fakeTurn(fixture('playground-message-personal')));
    expect(seen).toHaveLength(1);
  });

  it('ignores activities from another tenant when TEAMS_TENANT_ID is set', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW, { tenantId: 'another-tenant' });
    const turn = fakeTurn(fixture('playground-message-personal'));
    expect(await rememberConversation(deps, turn)).toBe('foreign');
    expect(turn.lines.some((l) => l.refused === true && l.reason === 'foreign-tenant')).toBe(true);
  });
});

describe('status buttons (Action.Execute)', () => {
  it('records once, answers with the whole card refreshed, and a double click records nothing new', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const action = await ownedAction();
    const vars = await clickVars(action.id);
    const first = await handleCardAction(deps, fakeTurn(fixture('playground-invoke-brag', vars)));
    expect(first.outcome).toBe('recorded');
    const updates = await t.db.statusUpdate.findMany({ where: { actionId: action.id } });
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ fromBrag: 'green', toBrag: 'amber', channel: 'teams', personId: std.owner.id, actorName: 'Olu Owner' });
    expect(updates[0]!.idempotencyKey).toBe(`teams:brag:${action.id}:amber:v${vars.VERSION}:${DEMO_AAD.owner}`);
    expect(textOf(first.card)).toContain('✅ Recorded 🟠 **Amber** (at risk) (was Green) by Olu Owner');
    // The refreshed card carries the new version, so the next genuine click is a new intention.
    const newVersion = versionOf((await t.db.action.findUniqueOrThrow({ where: { id: action.id } })).updatedAt);
    expect(actionsOf(first.card).find((x) => x.verb === 'brag')?.data?.v).toBe(newVersion);
    expect(scopeOf(first.card)).toMatchObject({ k: 'nudge', ids: [action.id] });

    // Same button again (a double click, a retried invoke with a new activity id).
    const again = fixture('playground-invoke-brag', vars);
    again.id = 'another-invoke-id';
    const second = await handleCardAction(deps, fakeTurn(again));
    expect(second.outcome).toBe('duplicate');
    expect(textOf(second.card)).toContain('Already recorded');
    expect(await t.db.statusUpdate.count({ where: { actionId: action.id } })).toBe(1);
  });

  it('a stale button records nothing and says who changed what', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const action = await ownedAction();
    const vars = await clickVars(action.id);
    // Someone else (the chair) sets it to Red after the card was sent.
    const chairClick = fixture('playground-invoke-brag', vars);
    chairClick.from = { id: 'chair', aadObjectId: 'teams-chair' };
    await t.db.person.update({ where: { id: std.chair.id }, data: { teamsUserId: 'teams-chair' } });
    (chairClick.value as { action: { data: { b: string } } }).action.data.b = 'red';
    expect((await handleCardAction(deps, fakeTurn(chairClick))).outcome).toBe('recorded');
    const stale = await handleCardAction(deps, fakeTurn(fixture('playground-invoke-brag', vars)));
    expect(stale.outcome).toBe('stale');
    expect(textOf(stale.card)).toContain('changed since this card was sent (by Asha Chair');
    expect((await t.db.action.findUniqueOrThrow({ where: { id: action.id } })).brag).toBe('red');
  });

  it('refuses someone who may not change the action: a clear card, no change, a log line', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const action = await ownedAction();
    await t.db.person.update({ where: { id: std.stranger.id }, data: { teamsUserId: 'aad-stranger' } });
    const click = fixture('playground-invoke-brag', await clickVars(action.id));
    click.from = { id: 'user-sam', aadObjectId: 'aad-stranger' };
    const turn = fakeTurn(click);
    const out = await handleCardAction(deps, turn);
    expect(out.outcome).toBe('refused');
    expect(textOf(out.card)).toContain('⛔ Only the action’s owners, the group’s chair or an admin can update it. If it should be yours, ask the chair of Children in Care Operational Group to make you an owner. Nothing was changed.');
    expect(await t.db.statusUpdate.count({ where: { actionId: action.id } })).toBe(0);
    expect(turn.lines.some((l) => l.refused === true && l.code === 'FORBIDDEN' && l.msg === 'teams: click refused')).toBe(true);
    // The stranger sees the card without buttons on what is not theirs.
    expect(actionsOf(out.card).filter((x) => x.verb === 'brag')).toEqual([]);
  });

  it('refuses a Teams user bragbot does not know', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const action = await ownedAction();
    const click = fixture('playground-invoke-brag', await clickVars(action.id));
    click.from = { id: 'user-nobody', aadObjectId: 'aad-nobody' };
    const out = await handleCardAction(deps, fakeTurn(click));
    expect(out.outcome).toBe('refused');
    expect(textOf(out.card)).toContain('bragbot does not know your Teams account yet');
    expect(await t.db.statusUpdate.count({ where: { actionId: action.id } })).toBe(0);
  });

  it('answers a button it does not understand with a card, not an error', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const click = fixture('playground-invoke-brag', { ACTION_ID: 'x', VERSION: 'v', SCOPE: '' });
    (click.value as { action: { data: unknown } }).action.data = { something: 'else' };
    const out = await handleCardAction(deps, fakeTurn(click));
    expect(out.outcome).toBe('malformed');
    expect(textOf(out.card)).toContain('not one bragbot understands');
  });
});

describe('progress, snooze, not mine, details', () => {
  const click = async (actionId: string, verb: string, data: Record<string, unknown> = {}, from?: { id: string; aadObjectId: string }) => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const vars = await clickVars(actionId);
    const activity = fixture('playground-invoke-brag', vars);
    const v = activity.value as { action: { verb: string; data: Record<string, unknown> } };
    v.action.verb = verb;
    v.action.data = { bb: 1, a: actionId, v: vars.VERSION, bb_scope: vars.SCOPE, ...data };
    if (from) activity.from = from;
    return { deps, ...(await handleCardAction(deps, fakeTurn(activity))) };
  };

  it('Update progress… opens a form; Save records status, progress, evidence, revised date and note once', async () => {
    const action = await ownedAction({ progress: 'Started', dueRaw: '30/06/21', dueDate: '2021-06-30' });
    const form = await click(action.id, 'progress.open');
    expect(form.outcome).toBe('shown');
    expect(inputsOf(form.card).map((i) => i.id)).toEqual(['bb_status', 'bb_progress', 'bb_evidence', 'bb_revised', 'bb_note', 'bb_scope']);
    // The form carries the version it was rendered from: a double submit repeats it.
    const formVersion = actionsOf(form.card).find((x) => x.verb === 'progress.save')?.data?.v;
    expect(typeof formVersion).toBe('string');
    const values = { bb_status: 'red', bb_progress: 'Recruitment paused', bb_evidence: 'Panel minutes 12/07', bb_revised: '2021-09-30', bb_note: 'Two posts vacant', v: formVersion };
    const saved = await click(action.id, 'progress.save', values);
    expect(saved.outcome).toBe('recorded');
    expect(textOf(saved.card)).toContain('✅ Recorded status 🔴 **Red** (off track), where we are now, evidence, revised date 30/09/2021, a note');
    const a = await t.db.action.findUniqueOrThrow({ where: { id: action.id } });
    expect(a).toMatchObject({ brag: 'red', progress: 'Recruitment paused', evidence: 'Panel minutes 12/07', dueRaw: '30/09/2021', dueDate: '2021-09-30' });
    const u = await t.db.statusUpdate.findFirstOrThrow({ where: { actionId: action.id } });
    expect(u).toMatchObject({ note: 'Two posts vacant', revisedDueRaw: '30/09/2021', fromDueRaw: '30/06/21', channel: 'teams' });
    // The same form submitted twice (same version, same values) records once.
    const again = await click(action.id, 'progress.save', values);
    expect(again.outcome).toBe('duplicate');
    expect(await t.db.statusUpdate.count({ where: { actionId: action.id } })).toBe(1);
  });

  it('a bad revised date sends the form back with what was typed and records nothing', async () => {
    const action = await ownedAction();
    const out = await click(action.id, 'progress.save', { bb_status: 'amber', bb_revised: '31/02/2021', bb_note: 'kept' });
    expect(out.outcome).toBe('invalid');
    expect(textOf(out.card)).toContain('⚠️ Revised date');
    expect(inputsOf(out.card).find((i) => i.id === 'bb_note')?.value).toBe('kept');
    expect(await t.db.statusUpdate.count({ where: { actionId: action.id } })).toBe(0);
  });

  it('Snooze a week stops reminders to this person about this action for seven days', async () => {
    const action = await ownedAction();
    const out = await click(action.id, 'snooze');
    expect(out.outcome).toBe('snoozed');
    const s = await t.db.snooze.findUniqueOrThrow({ where: { personId_actionId: { personId: std.owner.id, actionId: action.id } } });
    expect(s.until.toISOString()).toBe('2021-07-27T10:00:00.000Z');
    expect(textOf(out.card)).toContain('💤 Snoozed until Tue 27 Jul 2021');
  });

  it('Not mine… asks first; Hand it back removes the owner, records it once and closes the buttons', async () => {
    const action = await ownedAction();
    const ask = await click(action.id, 'notmine.ask');
    expect(textOf(ask.card)).toContain('Not your action?');
    expect(actionsOf(ask.card).map((x) => x.verb)).toEqual(['notmine', 'back']);
    const done = await click(action.id, 'notmine');
    expect(done.outcome).toBe('recorded');
    expect(await t.db.actionOwner.count({ where: { actionId: action.id, personId: std.owner.id } })).toBe(0);
    expect((await t.db.statusUpdate.findFirstOrThrow({ where: { actionId: action.id } })).kind).toBe('not-mine');
    expect(textOf(done.card)).toContain('You are no longer an owner');
    expect(actionsOf(done.card).filter((x) => x.data?.a === action.id && x.verb === 'brag')).toEqual([]);
    expect((await click(action.id, 'notmine')).outcome).toBe('duplicate');
  });

  it('Details: a line manager sees the history; someone outside the group is refused', async () => {
    const action = await ownedAction();
    await click(action.id, 'brag', { b: 'amber' });
    const scope = JSON.stringify({ k: 'escalation', ids: [action.id], n: 'Maya Manager', o: 'Olu Owner', x: 'red' });
    await t.db.person.update({ where: { id: std.manager.id }, data: { teamsUserId: 'aad-maya' } });
    const seen = await click(action.id, 'details', { bb_scope: scope }, { id: 'maya', aadObjectId: 'aad-maya' });
    expect(seen.outcome).toBe('shown');
    expect(textOf(seen.card)).toContain('Recent updates');
    expect(textOf(seen.card)).toContain('Olu Owner (teams): Green to **Amber**');
    const back = await click(action.id, 'back', { bb_scope: scope }, { id: 'maya', aadObjectId: 'aad-maya' });
    expect(textOf(back.card)).toContain('Red: Olu Owner');
    await t.db.person.update({ where: { id: std.stranger.id }, data: { teamsUserId: 'aad-stranger' } });
    const refused = await click(action.id, 'details', { bb_scope: scope }, { id: 'sam', aadObjectId: 'aad-stranger' });
    expect(refused.outcome).toBe('refused');
  });
});

describe('the Action.Submit fallback', () => {
  it('is recognised, recorded once like Action.Execute, and edits the card in place', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const action = await ownedAction({ brag: 'amber' });
    const activity = fixture('teams-submit-fallback', await clickVars(action.id));
    const turn = fakeTurn(activity);
    expect(isOurSubmit(turn)).toBe(true);
    const out = await handleCardSubmit(deps, turn);
    expect(out?.outcome).toBe('recorded');
    expect(turn.updates).toHaveLength(1);
    expect(turn.updates[0]!.id).toBe('1626098500000');
    expect(textOf(turn.updates[0]!.message.card)).toContain('Recorded 🟢 **Green**');
    expect((await t.db.action.findUniqueOrThrow({ where: { id: action.id } })).brag).toBe('green');
    expect(isOurSubmit(fakeTurn(fixture('playground-message-personal')))).toBe(false);
  });

  it('replies with the card when the message cannot be edited', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const action = await ownedAction({ brag: 'amber' });
    const turn = fakeTurn(fixture('teams-submit-fallback', await clickVars(action.id)), { failUpdate: true });
    await handleCardSubmit(deps, turn);
    expect(turn.replies).toHaveLength(1);
  });
});

describe('commands', () => {
  beforeEach(async () => {
    await t.db.inboundEvent.deleteMany();
  });

  it('my actions: the person’s open actions with buttons, once per activity', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    await ownedAction({ activity: 'Review pathway plans for every care leaver', brag: 'red', dueDate: '2021-01-01' });
    const turn = fakeTurn(fixture('playground-message-personal'));
    expect(await handleMyActions(deps, turn)).toBe('answered');
    const card = turn.replies[0]!.card;
    expect(textOf(card)).toMatch(/Your open actions \(\d+\)/);
    expect(textOf(card)).toContain('Review pathway plans for every care leaver');
    expect(actionsOf(card).some((x) => x.verb === 'brag')).toBe(true);
    expect(scopeOf(card)).toMatchObject({ k: 'list', p: 0 });
    expect(await handleMyActions(deps, fakeTurn(fixture('playground-message-personal')))).toBe('retry');
  });

  it('help answers anyone; an unknown message in a chat gets help; channel chatter gets nothing', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const h = fakeTurn(fixture('playground-message-personal', {}));
    h.activity.id = 'help-1';
    expect(await handleHelp(deps, h)).toBe('answered');
    expect(textOf(h.replies[0]!.card)).toContain('highlight-report [group] [date]');
    const u = fakeTurn({ ...fixture('playground-message-personal'), id: 'unknown-1', text: 'what is this?' });
    expect(await handleUnknown(deps, u)).toBe('answered');
    expect(textOf(u.replies[0]!.card)).toContain('I did not catch that');
    const chatter = fixture('playground-message-channel-mention');
    chatter.entities = [];
    chatter.text = 'lunch anyone?';
    expect(await handleUnknown(deps, fakeTurn(chatter))).toBe('ignored');
  });

  it('highlight-report with an @mention in the group’s channel answers with the report card', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    await setGroupChannel(t.db, std.group.id, { platform: 'teams', conversationId: '19:bragbot-demo-general@thread.tacv2' });
    const turn = fakeTurn(fixture('playground-message-channel-mention'));
    expect(await handleHighlightReport(deps, turn, '')).toBe('answered');
    expect(deps.reports.generated[0]).toMatchObject({ workspaceId: std.workspaceId, groupSlug: 'ops', requestedBy: 'Olu Owner', requesterPersonId: std.owner.id });
    expect(textOf(turn.replies[0]!.card)).toContain('Highlight Report');
    expect(actionsOf(turn.replies[0]!.card).map((x) => x.verb)).toEqual(['report.publish']);
  });

  it('highlight-report with the real report service, for a meeting date given UK-style', async () => {
    const { dbReportService } = await import('../../src/adapters/teams/report-service.js');
    const deps = handlerDeps(t.db, std.workspaceId, NOW, { reports: dbReportService(t.db) });
    await addMeeting(t.db, std.group.id, '2021-07-28', 'Operational Group');
    const turn = fakeTurn({ ...fixture('playground-message-personal'), id: 'report-real' });
    expect(await handleHighlightReport(deps, turn, 'ops 28/07/2021')).toBe('answered');
    const text = textOf(turn.replies[0]!.card);
    expect(text).toContain('Highlight Report');
    expect(text).toContain('Preview: version 1 (draft) of the report for 28 Jul 2021');
    expect(await t.db.highlightReport.count({ where: { groupId: std.group.id, meetingDate: '2021-07-28' } })).toBe(1);
  });

  it('highlight-report without a date: the next meeting after the clock (a cadence one), not the first recorded', async () => {
    const { dbReportService } = await import('../../src/adapters/teams/report-service.js');
    const deps = handlerDeps(t.db, std.workspaceId, NOW, { reports: dbReportService(t.db) });
    // Quarterly from 13 January 2021 (second Wednesdays), that meeting recorded; the clock says 20 July 2021.
    const board = await upsertGroup(t.db, std.workspaceId, { slug: 'board', name: 'Corporate Parenting Board', cadence: 'quarterly', cadenceAnchor: '2021-01-13' });
    await addMember(t.db, board.id, std.owner.id, 'member');
    await addMeeting(t.db, board.id, '2021-01-13');
    const turn = fakeTurn({ ...fixture('playground-message-personal'), id: 'report-next' });
    expect(await handleHighlightReport(deps, turn, 'board')).toBe('answered');
    expect(textOf(turn.replies[0]!.card)).toContain('13 Oct 2021');
    expect((await t.db.highlightReport.findMany({ where: { groupId: board.id }, select: { meetingDate: true } })).map((r) => r.meetingDate)).toEqual(['2021-10-13']);
  });

  it('highlight-report refuses nonsense arguments with the usage', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const turn = fakeTurn({ ...fixture('playground-message-personal'), id: 'report-bad' });
    expect(await handleHighlightReport(deps, turn, 'ops 31/13/2021')).toBe('rejected');
    expect(textOf(turn.replies[0]!.card)).toContain('Usage: **highlight-report [group] [meeting date]**');
  });

  it('set-channel: a chair links the channel to the group; others are refused', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    await t.db.groupChannel.deleteMany();
    const stranger = fixture('playground-message-channel-mention');
    stranger.from = { id: 'sam', aadObjectId: 'aad-stranger' };
    stranger.id = 'set-1';
    await t.db.person.update({ where: { id: std.stranger.id }, data: { teamsUserId: 'aad-stranger' } });
    expect(await handleSetChannel(deps, fakeTurn(stranger), 'ops')).toBe('refused');
    expect(await t.db.groupChannel.count()).toBe(0);

    const chair = fixture('playground-message-channel-mention');
    chair.from = { id: 'asha', aadObjectId: 'teams-chair' };
    chair.id = 'set-2';
    await t.db.person.update({ where: { id: std.chair.id }, data: { teamsUserId: 'teams-chair' } });
    const turn = fakeTurn(chair);
    expect(await handleSetChannel(deps, turn, '')).toBe('answered');
    expect(await t.db.groupChannel.findFirstOrThrow()).toMatchObject({ groupId: std.group.id, platform: 'teams', conversationId: '19:bragbot-demo-general@thread.tacv2', teamId: '19:bragbot-demo-general@thread.tacv2', serviceUrl: 'https://smba.trafficmanager.net/uk' });
    expect(textOf(turn.replies[0]!.card)).toContain('will open in this channel');

    const personal = fakeTurn({ ...fixture('playground-message-personal'), id: 'set-3' });
    expect(await handleSetChannel(deps, personal, 'ops')).toBe('rejected');
  });

  it('publishing a report posts it to the group’s channel', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    await setGroupChannel(t.db, std.group.id, { platform: 'teams', conversationId: '19:bragbot-demo-updates@thread.tacv2', serviceUrl: 'https://smba.trafficmanager.net/uk' });
    const activity = fixture('playground-invoke-brag', { ACTION_ID: 'x', VERSION: 'v', SCOPE: '' });
    const v = activity.value as { action: { verb: string; data: Record<string, unknown> } };
    v.action.verb = 'report.publish';
    v.action.data = { bb: 1, r: 'rep1', g: 'ops' };
    const out = await handleCardAction(deps, fakeTurn(activity));
    expect(out.outcome).toBe('published');
    expect(deps.reports.published[0]).toMatchObject({ reportId: 'rep1', byPersonId: std.owner.id, platform: 'teams' });
    expect(deps.connector.posts).toHaveLength(1);
    expect(deps.connector.posts[0]!.to).toMatchObject({ serviceUrl: 'https://smba.trafficmanager.net/uk', conversationId: '19:bragbot-demo-updates@thread.tacv2' });
    expect(textOf(out.card)).toContain('and posted to the group’s channel');
    expect(actionsOf(out.card)).toEqual([]);
  });
});

describe('update threads', () => {
  const ROOT = '1610370000000';
  it('a reply becomes a section (formatting kept), acknowledged once; edits replace it; deletion drops it', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const meeting = await addMeeting(t.db, std.group.id, '2021-01-13');
    await recordThreadOpened(t.db, { meetingId: meeting.id, platform: 'teams', conversationId: '19:bragbot-demo-updates@thread.tacv2', threadId: ROOT, now: NOW });
    const turn = fakeTurn(fixture('teams-channel-reply-html', { ROOT_ID: ROOT }));
    expect(await handleThreadReply(deps, turn)).toBe('captured');
    const section = await t.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: '1610373909123' } });
    expect(section).toMatchObject({ section: 'Pathway Team', personId: std.owner.id, authorName: 'Olu Owner' });
    expect(section.text).toBe('46 care leavers supported; 31 (67%) in education, employment or training.\n\n- 2 apprenticeships started\n- Staying Put: 9 young people');
    expect(textOf(turn.replies[0]!.card)).toContain('saved as the **Pathway Team** section');

    const retry = fakeTurn(fixture('teams-channel-reply-html', { ROOT_ID: ROOT }));
    expect(await handleThreadReply(deps, retry)).toBe('ignored');
    expect(retry.replies).toEqual([]);

    expect(await handleThreadEdit(deps, fakeTurn(fixture('teams-channel-reply-edited', { ROOT_ID: ROOT })))).toBe('updated');
    expect((await t.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: '1610373909123' } })).text).toBe('46 care leavers supported; 33 (72%) in EET.');
    expect(await handleThreadDelete(deps, fakeTurn(fixture('teams-channel-reply-deleted', { ROOT_ID: ROOT })))).toBe('deleted');
    expect((await t.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: '1610373909123' } })).deletedAt).not.toBeNull();
  });

  it('replies in other threads, and commands in the thread, are not sections', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    expect(await handleThreadReply(deps, fakeTurn(fixture('teams-channel-reply-html', { ROOT_ID: '999' })))).toBe('not-a-thread');
    const cmd = fixture('teams-channel-reply-html', { ROOT_ID: ROOT });
    cmd.attachments = [];
    cmd.text = '<at>bragbot</at> help';
    cmd.entities = [{ type: 'mention', mentioned: { id: '28:bragbot-demo', name: 'bragbot' }, text: '<at>bragbot</at>' }];
    expect(await handleThreadReply(deps, fakeTurn(cmd))).toBe('command');
  });

  it('the @mention fallback: the bot’s mention is not part of the section', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const a = fixture('teams-channel-reply-html', { ROOT_ID: ROOT });
    a.id = '1610373999999';
    a.attachments = [{ contentType: 'text/html', content: '<p><at id="0">bragbot</at> <strong>Fostering Service</strong></p><p>14 new carers approved.</p>' }];
    a.entities = [{ type: 'mention', mentioned: { id: '28:bragbot-demo', name: 'bragbot' }, text: '<at>bragbot</at>' }];
    expect(await handleThreadReply(deps, fakeTurn(a))).toBe('captured');
    expect(await t.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: '1610373999999' } })).toMatchObject({ section: 'Fostering Service', text: '14 new carers approved.' });
  });
});
