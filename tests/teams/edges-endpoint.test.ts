/**
 * Issue 10 pts 1 and 4 on Teams through the real /api/messages (recorded activity shapes, a fake
 * Bot Connector), where tests/teams/seam.test.ts calls the handlers directly: a stranger's reply in
 * the update thread is answered with a note and never stored; a progress over its limit comes back
 * on the card (the invoke's answer) with the reason, and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionOf } from '../../src/adapters/teams/ids.js';
import { addMeeting } from '../../src/services/groups.js';
import { recordThreadOpened } from '../../src/services/threads.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';
import { inputsOf, textOf } from './support/cards.js';
import { startTeamsEndpoint, type TeamsEndpoint } from './support/endpoint.js';

const NOW = new Date('2021-01-12T10:00:00Z');
const ROOT = '1610370000000';
const CHANNEL = '19:bragbot-demo-updates@thread.tacv2';
let t: TestDatabase;
let e: TeamsEndpoint;
let std: Awaited<ReturnType<typeof makeStandardGroup>>;

beforeAll(async () => {
  t = await createTestDatabase('sqlite');
  std = await makeStandardGroup(t.db);
  const meeting = await addMeeting(t.db, std.group.id, '2021-01-13');
  await recordThreadOpened(t.db, { meetingId: meeting.id, platform: 'teams', conversationId: CHANNEL, threadId: ROOT, now: NOW });
  e = await startTeamsEndpoint(t.db, std.workspaceId, NOW);
});
afterAll(async () => {
  await e?.stop();
  await t?.destroy();
});

describe('pt 1: strangers’ replies in the update thread (Teams, /api/messages)', () => {
  it.each([
    ['a mapped person who is not in the group', { id: '29:sam', name: 'Sam Stranger', aadObjectId: 'teams-stranger' }, 'Only members of Children in Care Operational Group'],
    ['a Teams user bragbot does not know', { id: '29:nobody', name: 'No Body', aadObjectId: 'aad-nobody' }, 'does not know your Teams account'],
  ])('%s: a note in the thread, nothing stored', async (_who, from, why) => {
    const id = `1610373909${from.aadObjectId.length}`;
    const a = e.activity('teams-channel-reply-html', { ROOT_ID: ROOT });
    Object.assign(a, { id, from, attachments: [{ contentType: 'text/html', content: '<p><strong>My Team</strong></p><p>An update nobody asked for.</p>' }] });
    const before = e.calls.length;
    expect((await e.post(a)).status).toBe(200);
    expect(await t.db.sectionUpdate.count({ where: { platformMessageId: id } })).toBe(0);
    const notes = e.calls.slice(before).filter((c) => c.method === 'POST' && c.url.includes('/activities'));
    expect(notes).toHaveLength(1);
    const said = JSON.stringify(notes[0]!.body);
    expect(said).toContain('Not saved');
    expect(said).toContain(why);
  });

  it('a member’s reply is captured (the same activity shape)', async () => {
    const a = e.activity('teams-channel-reply-html', { ROOT_ID: ROOT });
    Object.assign(a, { id: '1610373909999', from: { id: '29:olu', name: 'Olu Owner', aadObjectId: 'teams-owner' } });
    expect((await e.post(a)).status).toBe(200);
    expect(await t.db.sectionUpdate.findFirst({ where: { platformMessageId: '1610373909999' } })).toMatchObject({ authorName: 'Olu Owner', section: 'Pathway Team' });
  });
});

describe('pt 4: limits answered on the card (Teams, /api/messages)', () => {
  it('a 10,000-character progress: the card says the limit, keeps what was typed elsewhere, writes nothing', async () => {
    const action = await makeAction(t.db, std.group.id, { ownerIds: [std.owner.id], brag: 'green', progress: 'As it was' });
    const v = versionOf((await t.db.action.findUniqueOrThrow({ where: { id: action.id } })).updatedAt);
    const scope = JSON.stringify({ k: 'nudge', ids: [action.id], n: 'Olu Owner', r: ['overdue'] });
    const a = e.activity('playground-invoke-brag', { ACTION_ID: action.id, VERSION: v, SCOPE: scope });
    Object.assign(a, { from: { id: '29:olu', name: 'Olu Owner', aadObjectId: 'teams-owner' }, conversation: { ...a.conversation, id: 'a:olu-personal' } });
    (a.value as { action: unknown }).action = {
      type: 'Action.Execute', verb: 'progress.save',
      data: { bb: 1, a: action.id, v, bb_scope: scope, bb_status: 'red', bb_progress: 'p'.repeat(10_000), bb_note: 'kept' },
    };
    const res = await e.post(a);
    expect(res.status).toBe(200);
    const card = (JSON.parse(res.text) as { value: unknown }).value;
    expect(textOf(card)).toContain('Where are we now? is 10,000 characters; the most is 4,000.');
    expect(inputsOf(card).find((i) => i.id === 'bb_progress')?.value).toBe('As it was');
    expect(inputsOf(card).find((i) => i.id === 'bb_note')?.value).toBe('kept');
    expect(await t.db.statusUpdate.count({ where: { actionId: action.id } })).toBe(0);
    expect(await t.db.action.findUniqueOrThrow({ where: { id: action.id } })).toMatchObject({ brag: 'green', progress: 'As it was' });
  });
});
