/**
 * Update-thread replies through the real Teams endpoint (recorded activity shapes over HTTP):
 * edits apply by their own timestamps, a deletion is final, whatever order Teams delivers in
 * (issue 10 pt 2); and a reply's HTML reaches the report as plain text (pt 3).
 */
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMeeting } from '../../src/services/groups.js';
import { generateReport, renderReport } from '../../src/services/reports.js';
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

describe('Teams HTML on the way in, through /api/messages (issue 10 pt 3)', () => {
  it('a reply’s HTML (entities, mentions, links) is stored as plain text, and the report prints & once', async () => {
    const id = '1610373909010';
    const html =
      '<div><p><strong>Fostering &amp; Adoption</strong></p>' +
      '<p>Thanks <span itemtype="http://schema.skype.com/Mention" itemscope="" itemid="1">Jo Demo</span> and <at>Sam Stranger</at>: ' +
      'caseloads &lt; 20 &amp; falling; see <a href="https://york.gov.uk/plan?a=1&amp;b=2" title="plan">the plan</a> and <a href="https://york.gov.uk/minutes">https://york.gov.uk/minutes</a>.</p></div>';
    expect((await e.post(activity('teams-channel-reply-html', id, '2021-01-11T14:06:00.000Z', html))).status).toBe(200);
    const section = await t.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: id } });
    expect(section.section).toBe('Fostering & Adoption');
    expect(section.text).toBe('Thanks Jo Demo and Sam Stranger: caseloads < 20 & falling; see the plan (https://york.gov.uk/plan?a=1&b=2) and https://york.gov.uk/minutes.');

    const { report } = await generateReport(t.db, { workspaceId: std.workspaceId, groupSlug: std.group.slug, meetingDate: '2021-01-13', requestedBy: 'test', now: NOW });
    expect(String((await renderReport(report, 'md')).body)).toContain('Fostering & Adoption');
    const html2 = String((await renderReport(report, 'html')).body);
    expect(html2).toContain('Fostering &amp; Adoption');
    expect(html2).not.toContain('&amp;amp;');
    const xml = await (await JSZip.loadAsync((await renderReport(report, 'docx')).body as Buffer)).file('word/document.xml')!.async('string');
    expect(xml).toContain('the plan (https://york.gov.uk/plan?a=1&amp;b=2)');
    expect(xml).not.toContain('&amp;amp;');
  });

  it('the bot’s own mention in the HTML attachment is not part of the section', async () => {
    const id = '1610373909011';
    const a = activity('teams-channel-reply-html', id, '2021-01-11T14:07:00.000Z', '<p><span itemscope="" itemtype="http://schema.skype.com/Mention" itemid="0">bragbot</span>&nbsp;<strong>Court Team</strong></p><p>32 cases.</p>');
    a.entities = [{ type: 'mention', mentioned: { id: '28:bragbot-demo', name: 'bragbot' }, text: '<at>bragbot</at>' }];
    await e.post(a);
    expect(await t.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: id } })).toMatchObject({ section: 'Court Team', text: '32 cases.' });
  });
});
