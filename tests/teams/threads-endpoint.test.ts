/**
 * Update-thread replies through the real Teams endpoint (recorded activity shapes over HTTP):
 * edits apply by their own timestamps, a deletion is final, whatever order Teams delivers in
 * (issue 10 pt 2); and a reply's HTML reaches the report as plain text (pt 3).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMeeting } from '../../src/services/groups.js';
import { recordThreadOpened } from '../../src/services/threads.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeStandardGroup } from '../support/factories.js';
import { startTeamsEndpoint, type TeamsEndpoint } from './support/endpoint.js';
import { DEMO_AAD } from './support/harness.js';

const NOW = new Date('2021-01-12T10:00:00Z');
const ROOT = '1610370000000';
const CHANNEL = '19:bragbot-demo-updates@thread.tacv2';
let t: TestDatabase;
let e: TeamsEndpoint;
let std: Awaited<ReturnType<typeof makeStandardGroup>>;

beforeAll(async () => {
  t = await createTestDatabase('sqlite');
  std = await makeStandardGroup(t.db);
  await t.db.person.update({ where: { id: std.owner.id }, data: { teamsUserId: DEMO_AAD.owner } });
  const meeting = await addMeeting(t.db, std.group.id, '2021-01-13');
  await recordThreadOpened(t.db, { meetingId: meeting.id, platform: 'teams', conversationId: CHANNEL, threadId: ROOT, now: NOW });
  e = await startTeamsEndpoint(t.db, std.workspaceId, NOW);
});
afterAll(async () => {
  await e?.stop();
  await t?.destroy();
});

const row = (id: string) => t.db.sectionUpdate.findFirst({ where: { platformMessageId: id } });
/** A recorded reply, edit or deletion of message `id`, stamped `timestamp`. */
function activity(name: 'teams-channel-reply-html' | 'teams-channel-reply-edited' | 'teams-channel-reply-deleted', id: string, timestamp: string, html?: string) {
  const a = e.activity(name, { ROOT_ID: ROOT });
  a.id = id;
  a.timestamp = timestamp;
  if (html !== undefined) a.attachments = [{ contentType: 'text/html', content: html }];
  return a;
}

describe('Teams edits and deletions out of order, through /api/messages', () => {
  it('an older edit delivered after a newer one does not win', async () => {
    const id = '1610373909001';
    expect((await e.post(activity('teams-channel-reply-html', id, '2021-01-11T14:05:09.001Z', '<p>Caseloads at 25 per worker.</p>'))).status).toBe(200);
    expect((await e.post(activity('teams-channel-reply-edited', id, '2021-01-11T15:00:00.000Z', '<p>Caseloads at 19 per worker.</p>'))).status).toBe(200);
    expect((await e.post(activity('teams-channel-reply-edited', id, '2021-01-11T14:30:00.000Z', '<p>Caseloads at 22 per worker.</p>'))).status).toBe(200);
    expect(await row(id)).toMatchObject({ text: 'Caseloads at 19 per worker.', editedAt: new Date('2021-01-11T15:00:00.000Z'), deletedAt: null });
  });

  it('a deletion is final: a later-delivered edit does not bring the reply back', async () => {
    const id = '1610373909002';
    await e.post(activity('teams-channel-reply-html', id, '2021-01-11T14:05:09.002Z', '<p>Staying Put: 9 young people.</p>'));
    expect((await e.post(activity('teams-channel-reply-deleted', id, '2021-01-11T16:00:00.000Z'))).status).toBe(200);
    expect((await e.post(activity('teams-channel-reply-edited', id, '2021-01-11T15:00:00.000Z', '<p>Staying Put: 10 young people.</p>'))).status).toBe(200);
    expect(await row(id)).toMatchObject({ text: 'Staying Put: 9 young people.', deletedAt: new Date('2021-01-11T16:00:00.000Z') });
  });

  it('a deletion that overtakes its post: the late post is not a section and is not acknowledged', async () => {
    const id = '1610373909003';
    expect((await e.post(activity('teams-channel-reply-deleted', id, '2021-01-11T16:00:00.000Z'))).status).toBe(200);
    const replies = e.calls.length;
    expect((await e.post(activity('teams-channel-reply-html', id, '2021-01-11T14:05:09.003Z', '<p>Pathway: 46 care leavers.</p>'))).status).toBe(200);
    expect(await row(id)).toMatchObject({ text: '', deletedAt: new Date('2021-01-11T16:00:00.000Z') });
    expect(e.calls.slice(replies).filter((c) => c.url.includes('/activities'))).toEqual([]);
  });
});
