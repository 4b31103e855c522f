/**
 * Issue 10 pt 3: Slack's text encoding never reaches the record or the paper. A thread reply, a
 * slash command's note and a modal's fields, sent as Slack sends them (HMAC-signed, to the real
 * Bolt receiver), are stored decoded: `&` once, mentions as names (never a raw member id), links
 * as label and address. The report then prints `&` once in Markdown, HTML and Word.
 */
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSlackThreadOpened } from '../../src/adapters/slack/threads.js';
import { addMeeting } from '../../src/services/groups.js';
import { generateReport, renderReport } from '../../src/services/reports.js';
import { makeAction } from '../support/factories.js';
import { FAKE_TEAM_ID, fixture, NOW, startHarness, type Harness } from './harness.js';

const ENCODED = [
  '*Fostering &amp; Adoption*',
  'Thanks to <@UOWNER> and <@UNOBODY> (and <@UCHAIR|asha>): caseloads &lt; 20 &amp; falling &gt; 5%.',
  'See <https://york.gov.uk/plan?a=1&amp;b=2|the plan> and <https://york.gov.uk/minutes>; posted in <#C0GROUP|cic-partnership>, <#C0OTHER>.',
  '<!here> <!channel> <!subteam^S0LEADS|@leads> by <!date^1610496000^{date_short}|13 Jan 2021>; mail <mailto:team@york.gov.uk|team@york.gov.uk>.',
].join('\n');
const DECODED = [
  'Thanks to Olu Owner and someone (and Asha Chair): caseloads < 20 & falling > 5%.',
  'See the plan (https://york.gov.uk/plan?a=1&b=2) and https://york.gov.uk/minutes; posted in #cic-partnership, a channel.',
  '@here @channel @leads by 13 Jan 2021; mail team@york.gov.uk.',
].join('\n');

describe('Slack text decoding on the way in (sqlite)', () => {
  let h: Harness;
  let threadTs: string;
  beforeAll(async () => {
    h = await startHarness('sqlite');
    const meeting = await addMeeting(h.database.db, h.world.group.id, '2026-12-03');
    const sent = await h.slack.port.send({ platform: 'slack', conversationId: 'C0GROUP' }, { kind: 'thread-open', groupName: h.world.group.name, meetingDate: '2026-12-03', askedNames: [] });
    await recordSlackThreadOpened(h.database.db, { meetingId: meeting.id, channelId: 'C0GROUP', sent, now: NOW });
    threadTs = sent.providerMessageId;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a thread reply: stored as plain text, and the report prints & once in Markdown, HTML and Word', async () => {
    await h.event(fixture('event-thread-reply.json', { TEAM_ID: FAKE_TEAM_ID, USER_ID: 'UOWNER', TS: '1795000000.000100', TEXT: ENCODED, THREAD_TS: threadTs, CHANNEL_ID: 'C0GROUP', EVENT_ID: 'Ev0DEC1' }));
    await expect.poll(async () => (await h.database.db.sectionUpdate.findFirst({ where: { platformMessageId: '1795000000.000100' } }))?.text).toBe(DECODED);
    const section = await h.database.db.sectionUpdate.findFirstOrThrow({ where: { platformMessageId: '1795000000.000100' } });
    expect(section.section).toBe('Fostering & Adoption');
    expect(section.text).not.toMatch(/U0|UNOBODY|UOWNER|C0GROUP|&amp;|&lt;|&gt;/);

    const { report } = await generateReport(h.database.db, { workspaceId: h.world.workspaceId, groupSlug: h.world.group.slug, meetingDate: '2026-12-03', requestedBy: 'test', now: NOW });
    const md = String((await renderReport(report, 'md')).body);
    expect(md).toContain('Fostering & Adoption');
    expect(md).not.toContain('&amp;');
    const html = String((await renderReport(report, 'html')).body);
    expect(html).toContain('Fostering &amp; Adoption');
    expect(html).toContain('&lt; 20 &amp; falling &gt; 5%');
    expect(html).not.toContain('&amp;amp;');
    expect(html).not.toContain('&amp;lt;');
    const docx = await JSZip.loadAsync((await renderReport(report, 'docx')).body as Buffer);
    const xml = await docx.file('word/document.xml')!.async('string');
    expect(xml).toContain('Fostering &amp; Adoption');
    expect(xml).toContain('the plan (https://york.gov.uk/plan?a=1&amp;b=2)');
    expect(xml).not.toContain('&amp;amp;');
  });

  it('an edit is decoded the same way', async () => {
    const edit = fixture('event-message-changed.json', { TEAM_ID: FAKE_TEAM_ID, USER_ID: 'UOWNER', EDIT_TS: '1795000100.000100', TEXT: 'Court &amp; Pathway: <@UOWNER> on it.', THREAD_TS: threadTs, TS: '1795000000.000100', CHANNEL_ID: 'C0GROUP', EVENT_ID: 'Ev0DEC2' });
    await h.event(edit);
    await expect.poll(async () => (await h.database.db.sectionUpdate.findFirst({ where: { platformMessageId: '1795000000.000100' } }))?.text).toBe('Court & Pathway: Olu Owner on it.');
  });

  it('a slash command note: /brag REF green with Slack-encoded text', async () => {
    const action = await makeAction(h.database.db, h.world.group.id, { ref: 'D1', brag: 'amber', ownerIds: [h.world.owner.id] });
    const fields = fixture<Record<string, string>>('command.json', {
      TEAM_ID: FAKE_TEAM_ID, CHANNEL_ID: 'DOWNER', USER_ID: 'UOWNER', COMMAND: '/brag', TEXT: 'D1 green Funding &amp; staff agreed with <@UCHAIR>, see <https://york.gov.uk/x|minutes>',
      RESPONSE_URL: h.fake.responseUrl('dec-cmd'), TRIGGER_ID: 'trigger-dec-cmd',
    });
    expect((await h.command(fields)).status).toBe(200);
    await expect.poll(async () => (await h.database.db.statusUpdate.findFirst({ where: { actionId: action.id } }))?.note).toBe('Funding & staff agreed with Asha Chair, see minutes (https://york.gov.uk/x)');
  });

  it('a modal’s text fields', async () => {
    const action = await makeAction(h.database.db, h.world.group.id, { ref: 'D2', brag: 'green', ownerIds: [h.world.owner.id] });
    const submission = fixture('view-submission-progress.json', {
      TEAM_ID: FAKE_TEAM_ID, USER_ID: 'UOWNER', TRIGGER_ID: 'trigger-dec-modal', VIEW_ID: `VDEC${action.id}`, PRIVATE_METADATA: JSON.stringify({ a: action.id }),
      BRAG: 'amber', PROGRESS: 'Panel &amp; training booked with <@UCHAIR>', EVIDENCE: 'Minutes &lt;12/11&gt;', REVISED_DUE: '',
    });
    expect((await h.interaction(submission)).status).toBe(200);
    expect(await h.database.db.action.findUniqueOrThrow({ where: { id: action.id } })).toMatchObject({ progress: 'Panel & training booked with Asha Chair', evidence: 'Minutes <12/11>' });
  });
});
