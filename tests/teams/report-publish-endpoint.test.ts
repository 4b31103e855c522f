/**
 * Issue 10 pt 6 on Teams, through the real /api/messages (recorded activity shapes, a fake Bot
 * Connector): Publish on a report card in the chair's personal chat posts the card into the
 * group's Teams channel and nowhere else; a group with no Teams channel gets a plain sentence on
 * the card saying so, and nothing is frozen or posted. (Before: "Published by … at …." and the
 * version frozen, with no word that it went nowhere.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMeeting, addMember, setGroupChannel } from '../../src/services/groups.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeAction, makeGroup, makeStandardGroup } from '../support/factories.js';
import { actionsOf, textOf } from './support/cards.js';
import { startTeamsEndpoint, type TeamsEndpoint } from './support/endpoint.js';

const NOW = new Date('2026-12-01T10:00:00Z');
const GROUP_CHANNEL = '19:ops-updates@thread.tacv2';
const CHAT = 'a:chair-personal-chat';
let t: TestDatabase;
let e: TeamsEndpoint;
let std: Awaited<ReturnType<typeof makeStandardGroup>>;
let boardId: string;
let n = 0;

beforeAll(async () => {
  t = await createTestDatabase('sqlite');
  std = await makeStandardGroup(t.db);
  await makeAction(t.db, std.group.id, { ref: '7', brag: 'red', ownerIds: [std.owner.id] });
  await addMeeting(t.db, std.group.id, '2026-12-03');
  const board = await makeGroup(t.db, std.workspaceId, { slug: 'board', name: 'Corporate Parenting Board' });
  boardId = board.id;
  await addMember(t.db, board.id, std.chair.id, 'chair');
  await makeAction(t.db, board.id, { ref: '1', brag: 'amber', ownerIds: [std.owner.id] });
  await addMeeting(t.db, board.id, '2026-12-03');
  e = await startTeamsEndpoint(t.db, std.workspaceId, NOW);
  await setGroupChannel(t.db, std.group.id, { platform: 'teams', conversationId: GROUP_CHANNEL, serviceUrl: e.connectorUrl.replace(/\/$/, '') });
});
afterAll(async () => {
  await e?.stop();
  await t?.destroy();
});

const chair = { id: '29:asha', name: 'Asha Chair', aadObjectId: 'teams-chair' };

/** `highlight-report …` typed in a personal chat (the chair's, by default); the card the bot replied with. */
async function previewCard(text: string, from: { id: string; name: string; aadObjectId: string } = chair) {
  n += 1;
  const before = e.calls.length;
  const a = e.activity('playground-message-personal');
  Object.assign(a, { id: `pub-msg-${n}`, text, from, conversation: { ...a.conversation, id: CHAT }, timestamp: NOW.toISOString() });
  expect((await e.post(a)).status).toBe(200);
  const reply = e.calls.slice(before).find((c) => decodeURIComponent(c.url).includes(CHAT));
  const attachments = reply?.body.attachments as { content: unknown }[] | undefined;
  if (!attachments?.[0]) throw new Error(`no card in reply: ${JSON.stringify(e.calls.slice(before))}`);
  return attachments[0].content;
}

/** Publish pressed on that card (an Action.Execute invoke, as Teams sends it); the card shown in its place. */
async function pressPublish(card: unknown) {
  n += 1;
  const publish = actionsOf(card).find((x) => x.verb === 'report.publish');
  expect(publish).toBeDefined();
  const a = e.activity('playground-invoke-brag', { ACTION_ID: 'x', VERSION: 'v', SCOPE: '' });
  Object.assign(a, { id: `pub-invoke-${n}`, from: chair, conversation: { ...a.conversation, id: CHAT }, replyToId: `card-${n}`, timestamp: NOW.toISOString() });
  (a.value as { action: unknown }).action = { type: 'Action.Execute', verb: 'report.publish', data: publish!.data };
  const before = e.calls.length;
  const res = await e.post(a);
  expect(res.status).toBe(200);
  return { shown: (JSON.parse(res.text) as { value: unknown }).value, posted: e.calls.slice(before).filter((c) => c.method === 'POST' && c.url.includes('/activities')) };
}

describe('Teams Publish goes to the group’s channel (issue 10 pt 6)', () => {
  it('from a personal chat: posted in the group’s channel only, and the card says so', async () => {
    const { shown, posted } = await pressPublish(await previewCard('highlight-report ops 03/12/2026'));
    expect(posted).toHaveLength(1);
    expect(decodeURIComponent(posted[0]!.url)).toBe(`/v3/conversations/${GROUP_CHANNEL}/activities`);
    expect(textOf(shown)).toContain('Published by Asha Chair');
    expect(textOf(shown)).toContain('posted to the group’s channel');
    expect(await t.db.highlightReport.findFirstOrThrow({ where: { groupId: std.group.id } })).toMatchObject({ status: 'published', publishedBy: 'Asha Chair' });
  });

  it('a group with no Teams channel: the card says so plainly, keeps the preview, nothing frozen or posted', async () => {
    const { shown, posted } = await pressPublish(await previewCard('highlight-report board 03/12/2026'));
    expect(posted).toEqual([]);
    const text = textOf(shown);
    expect(text).toContain('Nothing was published: **Corporate Parenting Board** has no Teams channel to publish to');
    expect(text).toContain('@bragbot set-channel board');
    expect(text).toContain('Highlight Report');
    expect(actionsOf(shown).map((x) => x.verb)).toEqual(['report.publish']);
    expect(await t.db.highlightReport.findFirstOrThrow({ where: { groupId: boardId } })).toMatchObject({ status: 'draft', publishedAt: null });
  });
});

describe('Teams highlight-report and who sees what, through /api/messages (issue 10 pt 11)', () => {
  it('a stranger naming a group learns no group slugs; a member’s card has no Publish', async () => {
    const stranger = { id: '29:sam', name: 'Sam Stranger', aadObjectId: 'teams-stranger' };
    const refused = textOf(await previewCard('highlight-report secret-group', stranger));
    expect(refused).toMatch(/^Not found\n/);
    expect(refused).toContain('There is no group “secret-group” that you can see.');
    for (const slug of ['ops', 'board']) expect(refused).not.toContain(slug);
    const member = await previewCard('highlight-report ops 03/12/2026', { id: '29:olu', name: 'Olu Owner', aadObjectId: 'teams-owner' });
    expect(textOf(member)).toContain('Highlight Report');
    expect(actionsOf(member)).toEqual([]);
  });
});
