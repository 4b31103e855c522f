/**
 * Issue 10 pts 1 and 4 in Teams, handler by handler on recorded activities (the channel
 * suite in tests/seam replays clicks through the real endpoint): only members and the people
 * asked become sections; a progress too long to pre-fill is left out of the card and kept;
 * the limits answer in the card with nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCardAction } from '../../src/adapters/teams/handlers/card-action.js';
import { handleHelp } from '../../src/adapters/teams/handlers/help-command.js';
import { handleHighlightReport } from '../../src/adapters/teams/handlers/highlight-report-command.js';
import { handleThreadEdit } from '../../src/adapters/teams/handlers/thread-edit.js';
import { handleThreadReply } from '../../src/adapters/teams/handlers/thread-reply.js';
import { versionOf } from '../../src/adapters/teams/ids.js';
import { addMeeting } from '../../src/services/groups.js';
import { recordThreadOpened } from '../../src/services/threads.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';
import { actionsOf, inputsOf, textOf } from './support/cards.js';
import { DEMO_AAD, fakeTurn, fixture, handlerDeps } from './support/harness.js';

const NOW = new Date('2021-07-20T10:00:00Z');
const ROOT = '1610370000001';
let t: TestDatabase;
let std: Awaited<ReturnType<typeof makeStandardGroup>>;

beforeAll(async () => {
  t = await createTestDatabase('sqlite');
  std = await makeStandardGroup(t.db);
  await t.db.person.update({ where: { id: std.owner.id }, data: { teamsUserId: DEMO_AAD.owner } });
  await t.db.person.update({ where: { id: std.stranger.id }, data: { teamsUserId: 'aad-stranger' } });
  const meeting = await addMeeting(t.db, std.group.id, '2021-01-13');
  await recordThreadOpened(t.db, { meetingId: meeting.id, platform: 'teams', conversationId: '19:bragbot-demo-updates@thread.tacv2', threadId: ROOT, now: NOW });
});
afterAll(async () => t?.destroy());

function replyFrom(from: { id: string; aadObjectId?: string; name?: string }, id: string, html = '<p><strong>My Team</strong></p><p>An update nobody asked for.</p>') {
  const a = fixture('teams-channel-reply-html', { ROOT_ID: ROOT });
  a.id = id;
  a.from = from;
  a.attachments = [{ contentType: 'text/html', content: html }];
  return a;
}

describe('pt 1: only members and the people asked become sections (Teams)', () => {
  it.each([
    ['a mapped person who is not in the group', { id: '29:sam', aadObjectId: 'aad-stranger', name: 'Sam Stranger' }, 'Only members of Children in Care Operational Group'],
    ['a Teams user bragbot does not know', { id: '29:nobody', aadObjectId: 'aad-nobody', name: 'No Body' }, 'does not know your Teams account'],
  ])('%s: a note in the thread saying why, nothing stored', async (_who, from, why) => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const id = `reply-${from.aadObjectId}`;
    const turn = fakeTurn(replyFrom(from, id));
    expect(await handleThreadReply(deps, turn)).toBe('refused');
    expect(await t.db.sectionUpdate.count({ where: { platformMessageId: id } })).toBe(0);
    expect(turn.replies).toHaveLength(1);
    expect(textOf(turn.replies[0]!.card)).toContain('Not saved');
    expect(textOf(turn.replies[0]!.card)).toContain(why);
    expect(textOf(turn.replies[0]!.card)).not.toContain('saved as the');
    // An edit of the refused reply is not taken either, and not answered again.
    const edit = fakeTurn({ ...replyFrom(from, id), type: 'messageUpdate' });
    expect(await handleThreadEdit(deps, edit)).toBe('refused');
    expect(edit.replies).toEqual([]);
    expect(await t.db.sectionUpdate.count({ where: { platformMessageId: id } })).toBe(0);
  });

  it('a member is thanked and captured', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const turn = fakeTurn(replyFrom({ id: '29:1jo', aadObjectId: DEMO_AAD.owner, name: 'Jo Demo' }, 'reply-member', '<p><strong>Pathway Team</strong></p><p>31 in EET.</p>'));
    expect(await handleThreadReply(deps, turn)).toBe('captured');
    expect(textOf(turn.replies[0]!.card)).toContain('saved as the **Pathway Team** section');
  });
});

describe('pt 4: never a cut pre-fill; limits in the service (Teams)', () => {
  const LONG = 'Staying Put arrangements reviewed with each young person and their carers. '.repeat(60).trim();
  async function click(actionId: string, verb: string, data: Record<string, unknown> = {}) {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const a = await t.db.action.findUniqueOrThrow({ where: { id: actionId } });
    const scope = JSON.stringify({ k: 'nudge', ids: [actionId], n: 'Olu Owner', r: ['overdue'] });
    const activity = fixture('playground-invoke-brag', { ACTION_ID: actionId, VERSION: versionOf(a.updatedAt), SCOPE: scope });
    const v = activity.value as { action: { verb: string; data: Record<string, unknown> } };
    v.action.verb = verb;
    v.action.data = { bb: 1, a: actionId, v: versionOf(a.updatedAt), bb_scope: scope, ...data };
    return handleCardAction(deps, fakeTurn(activity));
  }

  it('a progress longer than the card can pre-fill is left out, said so, and kept on a status-only save', async () => {
    expect(LONG.length).toBeGreaterThan(3000);
    const action = await makeAction(t.db, std.group.id, { ownerIds: [std.owner.id], brag: 'amber', progress: LONG });
    const form = await click(action.id, 'progress.open');
    const progress = inputsOf(form.card).find((i) => i.id === 'bb_progress')!;
    expect(progress.value).toBeUndefined();
    expect(textOf(form.card)).toContain('longer than this form can show, so it is not shown here and stays as it is unless you type a new one');
    const v = actionsOf(form.card).find((x) => x.verb === 'progress.save')?.data?.v;
    const saved = await click(action.id, 'progress.save', { bb_status: 'green', bb_progress: '', v });
    expect(saved.outcome).toBe('recorded');
    expect(await t.db.action.findUniqueOrThrow({ where: { id: action.id } })).toMatchObject({ brag: 'green', progress: LONG });
  });

  it('a field over its limit comes back in the card with the reason, nothing written, and no cut value in the form', async () => {
    const action = await makeAction(t.db, std.group.id, { ownerIds: [std.owner.id], brag: 'green', progress: 'As it was' });
    const out = await click(action.id, 'progress.save', { bb_status: 'red', bb_progress: 'p'.repeat(10_000), bb_note: 'kept' });
    expect(out.outcome).toBe('invalid');
    expect(textOf(out.card)).toContain('Where are we now? is 10,000 characters; the most is 4,000.');
    expect(inputsOf(out.card).find((i) => i.id === 'bb_progress')?.value).toBe('As it was');
    expect(inputsOf(out.card).find((i) => i.id === 'bb_note')?.value).toBe('kept');
    expect(await t.db.statusUpdate.count({ where: { actionId: action.id } })).toBe(0);
  });

  it('a missing action is headed "Not found", not "Not allowed" (pt 11)', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const activity = fixture('playground-invoke-brag', { ACTION_ID: 'clmissingaction000000000', VERSION: 'x', SCOPE: '' });
    const v = activity.value as { action: { data: Record<string, unknown> } };
    delete v.action.data.bb_scope;
    const out = await handleCardAction(deps, fakeTurn(activity));
    expect(out.outcome).toBe('refused');
    expect(textOf(out.card)).toMatch(/^Not found\n/);
    expect(textOf(out.card)).toContain('not in your workspace’s plans');
  });
});

describe('pt 11: what the report command shows, and to whom (Teams)', () => {
  const say = (text: string, id: string, from = { id: 'user-jo-demo', aadObjectId: DEMO_AAD.owner }) => ({ ...fixture('playground-message-personal'), id, text, from });

  it('a group that is not found is headed "Not found", and its answer names no other group', async () => {
    const { dbReportService } = await import('../../src/adapters/teams/report-service.js');
    const deps = handlerDeps(t.db, std.workspaceId, NOW, { reports: dbReportService(t.db) });
    const turn = fakeTurn(say('highlight-report secret-group', 'nf-1'));
    expect(await handleHighlightReport(deps, turn, 'secret-group')).toBe('refused');
    const text = textOf(turn.replies[0]!.card);
    expect(text).toMatch(/^Not found\n/);
    expect(text).toContain('There is no group “secret-group” that you can see. Yours: ops.');
  });

  it('help’s example is one of the person’s own groups', async () => {
    const deps = handlerDeps(t.db, std.workspaceId, NOW);
    const turn = fakeTurn(say('help', 'help-own'));
    await handleHelp(deps, turn);
    const text = textOf(turn.replies[0]!.card);
    expect(text).toContain('highlight-report ops dd/mm/yyyy');
    expect(text).not.toContain('cic-partnership');
  });

  it('a member’s preview has no Publish; a refused Publish keeps the preview with the reason on it', async () => {
    const { dbReportService } = await import('../../src/adapters/teams/report-service.js');
    const deps = handlerDeps(t.db, std.workspaceId, NOW, { reports: dbReportService(t.db) });
    const turn = fakeTurn(say('highlight-report ops 13/01/2021', 'prev-1'));
    expect(await handleHighlightReport(deps, turn, 'ops 13/01/2021')).toBe('answered');
    expect(actionsOf(turn.replies[0]!.card)).toEqual([]);
    const report = await t.db.highlightReport.findFirstOrThrow({ where: { groupId: std.group.id } });
    const click = fixture('playground-invoke-brag', { ACTION_ID: 'x', VERSION: 'v', SCOPE: '' });
    (click.value as { action: { verb: string; data: Record<string, unknown> } }).action = { verb: 'report.publish', data: { bb: 1, r: report.id, g: 'ops' } } as never;
    const out = await handleCardAction(deps, fakeTurn(click));
    expect(out.outcome).toBe('refused');
    const text = textOf(out.card);
    expect(text).toContain('Highlight Report');
    expect(text).toContain('Only the group’s chair, a manager or an admin can publish its highlight report.');
    expect(text).not.toMatch(/^Not allowed/);
    expect((await t.db.highlightReport.findUniqueOrThrow({ where: { id: report.id } })).status).toBe('draft');
  });
});
