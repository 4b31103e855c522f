/**
 * Golden test: seed 003's "Children in Care and Care Leavers Strategic Partnership – Highlight
 * Report" (13 January 2021), rebuilt from its sections posted as replies in the meeting's update
 * thread. Same title, section order and headings, the leads' text as written, the same sign-off,
 * and every figure of every section character for character in Markdown, HTML, DOCX and PDF.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport, generateReport, type StoredReport } from '../../src/services/reports.js';
import { addMeeting, addMember, upsertGroup } from '../../src/services/groups.js';
import { upsertPerson } from '../../src/services/people.js';
import { captureThreadReply, recordThreadOpened, type ThreadReply } from '../../src/services/threads.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeWorkspace } from '../support/factories.js';
import { figuresOf, htmlText, keepOutput, noSpace, openDocx, pdfText, popplerAvailable, readFixture, squash } from './support.js';

interface Golden {
  title: string;
  meetingDate: string;
  introduction: string;
  sections: { heading: string; author: string | null; text: string }[];
  signOff: { name: string; role: string };
}

const golden = readFixture<Golden>(join(import.meta.dirname, '..', 'fixtures', 'highlight-report', 'york-2021-01-13.json'));
const GROUP_NAME = 'Children in Care and Care Leavers Strategic Partnership';
const PURPOSE = golden.introduction.split(/(?<=\.) /)[0]!;

let database: TestDatabase;
let report: StoredReport;

beforeAll(async () => {
  database = await createTestDatabase('sqlite');
  const db = database.db;
  const workspaceId = await makeWorkspace(db, 'york');
  await upsertGroup(db, workspaceId, { slug: 'cpb', name: 'Corporate Parenting Board', cadence: 'quarterly' });
  const group = await upsertGroup(db, workspaceId, { slug: 'cicp', name: GROUP_NAME, cadence: 'bimonthly', reportsTo: 'cpb' });
  // The sign-off is the convening manager, not the chair: configured in the group's report settings.
  await db.group.update({ where: { id: group.id }, data: { settingsJson: JSON.stringify({ report: { purpose: PURPOSE, signOff: golden.signOff.name } }) } });
  const chair = await upsertPerson(db, workspaceId, { name: 'Assistant Director', role: 'Assistant Director, Children’s Social Care' });
  await addMember(db, group.id, chair.id, 'chair');
  await upsertPerson(db, workspaceId, { name: golden.signOff.name, role: golden.signOff.role });

  await addMeeting(db, group.id, '2020-11-11');
  const meeting = await addMeeting(db, group.id, golden.meetingDate);
  const thread = { platform: 'slack' as const, conversationId: 'C0PARTNER', threadId: '1610010000.000100' };
  await recordThreadOpened(db, { meetingId: meeting.id, ...thread, now: new Date('2021-01-06T09:00:00Z') });
  const reply = (userId: string, messageId: string, at: string, event: ThreadReply['event']) =>
    captureThreadReply(db, { workspaceId, ...thread, messageId, userId, at: new Date(at), event });

  // A reply posted first and then deleted must neither put its heading first nor appear at all.
  await upsertPerson(db, workspaceId, { name: 'Court Team Manager', slackUserId: 'U0COURT' });
  expect(await reply('U0COURT', '1610100000.000001', '2021-01-07T09:00:00Z', { kind: 'posted', text: 'Court Team Update:\n\nDELETED DRAFT - please ignore' })).toBe('captured');
  expect(await reply('U0COURT', '1610100000.000001', '2021-01-07T09:05:00Z', { kind: 'deleted' })).toBe('deleted');

  // Each lead posts their section as a reply: the heading line, then their update as written.
  for (const [i, s] of golden.sections.entries()) {
    const userId = `U0LEAD${i}`;
    const lead = await upsertPerson(db, workspaceId, { name: s.author ?? `${s.heading} lead`, team: s.heading, slackUserId: userId });
    await addMember(db, group.id, lead.id, 'member');
    const at = new Date(Date.UTC(2021, 0, 8 + Math.floor(i / 3), 10, i)).toISOString();
    const messageId = `1610200000.00010${i}`;
    if (i === 1) {
      // One lead corrects a figure after posting: the report shows the edited text.
      await reply(userId, messageId, at, { kind: 'posted', text: `${s.heading}:\n\n${s.text.replace('86.4%', '68.4%')}` });
      expect(await reply(userId, messageId, '2021-01-12T16:00:00Z', { kind: 'edited', text: `${s.heading}:\n\n${s.text}` })).toBe('updated');
    } else {
      expect(await reply(userId, messageId, at, { kind: 'posted', text: `${s.heading}:\n\n${s.text}` })).toBe('captured');
    }
  }
  report = (await generateReport(db, { workspaceId, groupSlug: 'cicp', meetingDate: golden.meetingDate, requestedBy: 'Assistant Director', now: new Date('2021-01-13T17:00:00Z') })).report;
});

afterAll(async () => {
  await database?.destroy();
});

describe('seed 003 highlight report, rebuilt from thread replies', () => {
  it('has the seed title, section order and headings, text as written, and sign-off', () => {
    const c = report.content;
    expect(c.title).toBe(golden.title);
    expect(c.meeting.date).toBe(golden.meetingDate);
    expect(c.sections.map((s) => s.heading)).toEqual(golden.sections.map((s) => s.heading));
    c.sections.forEach((s, i) => expect(s.text).toBe(golden.sections[i]!.text));
    expect(c.signOff).toEqual(golden.signOff);
    expect(c.introduction[0]).toBe(PURPOSE);
    expect(c.introduction[1]).toContain('13 January 2021');
    expect(c.introduction[1]).toContain('11 November 2020');
    expect(JSON.stringify(c)).not.toContain('DELETED DRAFT');
    expect(JSON.stringify(c)).not.toContain('68.4%');
    expect(c.notReplied).toEqual([]);
  });

  it('keeps every figure in Markdown, in order under the same headings', async () => {
    const md = (await renderReport(report, 'md')).body as string;
    keepOutput('york-2021-01-13.md', md);
    const positions = golden.sections.map((s) => md.indexOf(`\n## ${s.heading}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const s of golden.sections) for (const f of figuresOf(s.text)) expect(squash(md), `${s.heading}: ${f}`).toContain(f);
    expect(md).toContain(`${golden.signOff.name}  \n${golden.signOff.role}`);
  });

  it('keeps every figure in HTML, with headings as h2 in order', async () => {
    const html = (await renderReport(report, 'html')).body as string;
    keepOutput('york-2021-01-13.html', html);
    const h2 = [...html.matchAll(/<h2 id="s\d+">([^<]*)<\/h2>/g)].map((m) => m[1]);
    expect(h2).toEqual(['Introduction', ...golden.sections.map((s) => s.heading.replace(/'/g, '&#39;')), 'Action plan status']);
    const text = squash(htmlText(html));
    for (const s of golden.sections) for (const f of figuresOf(s.text)) expect(text, `${s.heading}: ${f}`).toContain(f);
    expect(html).toContain('<html lang="en-GB">');
  });

  it('keeps every figure in DOCX, with each section a Heading 1 in order', async () => {
    const file = await renderReport(report, 'docx');
    keepOutput('york-2021-01-13.docx', file.body);
    const docx = await openDocx(file.body as Buffer);
    expect(docx.paragraphs.find((p) => p.style === 'Title')?.text).toBe(golden.title);
    const h1 = docx.paragraphs.filter((p) => p.style === 'Heading1').map((p) => p.text);
    expect(h1).toEqual(['Introduction', ...golden.sections.map((s) => s.heading), 'Action plan status']);
    const text = squash(docx.text);
    for (const s of golden.sections) for (const f of figuresOf(s.text)) expect(text, `${s.heading}: ${f}`).toContain(f);
    expect(docx.text).toContain(golden.signOff.role);
  });

  it.runIf(popplerAvailable())('keeps every figure in the PDF text', async () => {
    const file = await renderReport(report, 'pdf');
    keepOutput('york-2021-01-13.pdf', file.body);
    const text = pdfText(file.body as Buffer);
    // Lines wrap anywhere a space (or a hyphen) allows, so compare without whitespace.
    const flat = noSpace(text);
    for (const s of golden.sections) {
      expect(flat).toContain(noSpace(s.heading));
      for (const f of figuresOf(s.text)) expect(flat, `${s.heading}: ${f}`).toContain(noSpace(f));
    }
    expect(text).toContain(golden.title);
    expect(text).toContain(golden.signOff.role);
  });
});
