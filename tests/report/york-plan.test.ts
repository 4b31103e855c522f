/**
 * York's imported plan (seed 000, tests/fixtures/plans/york-2021.csv: 48 actions, 42 Green,
 * 2 Blue, 4 not rated) reported as of dates: the right counts, the overdue list and what changed
 * since the previous (published) report. The renderings of that report are read back: DOCX
 * (headings, BRAG table, chart image), PDF (pages to PNG with pdftoppm), chat summaries in limits.
 */
import { join } from 'node:path';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { renderChatSummary, SLACK_SECTION_TEXT_LIMIT, TEAMS_CARD_TEXT_LIMIT } from '../../src/render/chat.js';
import { addMeeting, addMember, upsertGroup } from '../../src/services/groups.js';
import { importPlan } from '../../src/services/import-plan.js';
import { findPerson, upsertPerson } from '../../src/services/people.js';
import { generate, publish, renderReport, reportChatSummary, type StoredReport } from '../../src/services/reports.js';
import { recordUpdate } from '../../src/services/status-updates.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeAction, makeWorkspace } from '../support/factories.js';
import { keepOutput, openDocx, pdfText, pdfToPngs, popplerAvailable, squash } from './support.js';

const PLAN = join(import.meta.dirname, '..', 'fixtures', 'plans', 'york-2021.csv');
const at = (iso: string) => new Date(iso);
const IMPORTED_AT = at('2021-01-19T10:00:00Z');

let database: TestDatabase;
let db: Db;
let groupId: string;
let february: StoredReport;
let march: StoredReport;

async function actionId(ref: string): Promise<string> {
  const a = await db.action.findFirstOrThrow({ where: { groupId, ref }, orderBy: { position: 'asc' } });
  return a.id;
}

beforeAll(async () => {
  database = await createTestDatabase('sqlite');
  db = database.db;
  const workspaceId = await makeWorkspace(db, 'york');
  const group = await upsertGroup(db, workspaceId, { slug: 'york-ops', name: 'Children in Care and Care Leavers Operational Group', cadence: 'monthly' });
  groupId = group.id;
  const summary = await importPlan(db, { workspaceId, groupSlug: 'york-ops', path: PLAN, now: IMPORTED_AT });
  expect(summary.actions).toBe(48);
  // The importer dates new rows with the import's clock, so "new since the last report" works as of any date.
  expect(await db.action.count({ where: { groupId, createdAt: IMPORTED_AT } })).toBe(48);

  const chair = await upsertPerson(db, workspaceId, { name: 'Asha Chair', role: 'Group Manager' });
  await addMember(db, groupId, chair.id, 'chair');
  const rose = (await findPerson(db, workspaceId, 'Rose Howley'))!;
  await upsertPerson(db, workspaceId, { name: 'Rose Howley', team: 'Pathway Team' });
  await addMeeting(db, groupId, '2021-02-10');
  await addMeeting(db, groupId, '2021-03-10');

  february = (await generate(db, groupId, '2021-02-10', 'Asha Chair', at('2021-02-08T09:00:00Z'))).report;
  await publish(db, february.id, 'Asha Chair', at('2021-02-10T15:00:00Z'));

  const update = (ref: string, personId: string, when: string, change: { brag?: 'blue' | 'amber' | 'red'; note?: string; revisedDue?: string }) =>
    actionId(ref).then((id) => recordUpdate(db, { workspaceId, actionId: id, personId, channel: 'slack', idempotencyKey: `${ref}-${when}`, now: at(when), ...change }));
  await update('29', chair.id, '2021-02-15T10:00:00Z', { brag: 'blue', note: 'Sufficiency review signed off' });
  await update('8', rose.id, '2021-02-20T10:00:00Z', { brag: 'amber', note: 'Recruitment of two social workers delayed' });
  await update('30', chair.id, '2021-02-25T10:00:00Z', { revisedDue: '30/06/21', note: 'Contract slipped' });
  await update('44', chair.id, '2021-03-01T10:00:00Z', { brag: 'red', note: 'No funding agreed yet' });
  const added = await makeAction(db, groupId, { ref: '48', activity: 'Care leavers covenant sign-up', brag: 'green', dueDate: '2021-03-01', dueRaw: '01/03/21' });
  await db.action.update({ where: { id: added.id }, data: { createdAt: at('2021-02-26T12:00:00Z') } });

  march = (await generate(db, groupId, '2021-03-10', 'Asha Chair', at('2021-03-08T09:00:00Z'))).report;
});

afterAll(async () => {
  await database?.destroy();
});

describe("York's imported plan, reported as of a date", () => {
  it('as of 8 February 2021: 42 Green, 2 Blue, 4 not rated; overdue refs 29 and 45', () => {
    const plan = february.content.plan;
    expect(plan.counts).toEqual({ red: 0, amber: 0, green: 42, blue: 2, unrated: 4 });
    expect(plan.total).toBe(48);
    expect(plan.overdue.map((o) => [o.ref, o.dueRaw, o.daysOverdue, o.brag, o.owners])).toEqual([
      // Working days in England: Christmas, Boxing Day (Monday 28th) and New Year's Day are not.
      ['29', '30/11/20', 47, 'green', ["Children's Social Care"]],
      ['45', '31/12/20', 26, 'unrated', ["Safeguarding Children's Partnership"]],
    ]);
    expect(plan.redAmber).toEqual([]);
    // No report before it: changes since the plan's previous meeting (none, as the plan arrived after it).
    expect(plan.comparison).toBeNull();
  });

  it('as of 8 March 2021: counts, overdue and changes since the published February report', () => {
    const plan = march.content.plan;
    expect(plan.counts).toEqual({ red: 1, amber: 1, green: 40, blue: 3, unrated: 4 });
    expect(plan.total).toBe(49);
    expect(plan.overdue.map((o) => [o.ref, o.daysOverdue])).toEqual([['45', 46], ['48', 5]]);
    expect(plan.redAmber.map((f) => [f.ref, f.brag, f.latestNote?.text, f.latestNote?.by])).toEqual([
      ['44', 'red', 'No funding agreed yet', 'Asha Chair'],
      ['8', 'amber', 'Recruitment of two social workers delayed', 'Rose Howley'],
    ]);
    const cmp = plan.comparison!;
    expect(cmp.kind).toBe('report');
    expect(cmp.label).toBe('the last report (meeting of 10 February 2021, version 1, as at 8 February 2021)');
    expect(cmp.counts).toEqual(february.content.plan.counts);
    expect(cmp.completions.map((m) => [m.ref, m.from, m.to, m.by])).toEqual([['29', 'green', 'blue', 'Asha Chair']]);
    expect(cmp.moves.map((m) => [m.ref, m.from, m.to, m.by])).toEqual([['8', 'green', 'amber', 'Rose Howley'], ['44', 'green', 'red', 'Asha Chair']]);
    expect(cmp.newActions.map((a) => a.ref)).toEqual(['48']);
    expect(cmp.redated.map((r) => [r.ref, r.fromDueRaw, r.toDueRaw, r.note])).toEqual([['30', '31/03/21', '30/06/21', 'Contract slipped']]);
    // Rose owns an open action and posted nothing in the (empty) thread, but has no Slack or
    // Teams id: bragbot could not ask her, so she is listed apart (for the chair), not as "not replied".
    expect(march.content.notReplied).toEqual([]);
    expect(march.content.notAsked).toEqual([{ name: 'Rose Howley', team: 'Pathway Team' }]);
  });

  it('the February report, published, still says what it said', async () => {
    const again = await db.highlightReport.findUniqueOrThrow({ where: { id: february.id } });
    expect(again.status).toBe('published');
    expect(JSON.parse(again.contentJson)).toEqual(february.content);
  });
});

describe('renderings of the March report', () => {
  it('Markdown and HTML carry the counts, changes and overdue list', async () => {
    const md = (await renderReport(march, 'md')).body as string;
    keepOutput('york-march.md', md);
    expect(md).toContain('| Red | off track | 1 | 0 | +1 |');
    expect(md).toContain('| **Total** |  | **49** | **48** | **+1** |');
    expect(md).toContain('#### Completed (now Blue): 1');
    expect(md).toMatch(/\| 45 \| .* \| Safeguarding Children's Partnership \| 31\/12\/20 \| 46 \| Not rated \|/);
    expect(md).toContain('| Ref | Action | Owner | Due | Working days overdue | Status |');
    const html = (await renderReport(march, 'html')).body as string;
    keepOutput('york-march.html', html);
    expect(html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]{1000,}" alt="Bar chart of the action plan&#39;s 49 actions/);
    expect(html).toContain('<span class="brag brag-red"><span class="swatch" aria-hidden="true"></span>Red</span> <span class="meaning">off track</span>');
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('DOCX: real Word headings, a BRAG table with the word in every coloured cell, the chart embedded', async () => {
    const file = await renderReport(march, 'docx');
    expect(file.filename).toBe('york-ops-highlight-report-2021-03-10-v1.docx');
    expect(file.mimeType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    keepOutput(file.filename, file.body);
    const docx = await openDocx(file.body as Buffer);
    const styled = (style: string) => docx.paragraphs.filter((p) => p.style === style).map((p) => p.text);
    expect(styled('Title')).toEqual(['Children in Care and Care Leavers Operational Group – Highlight Report']);
    expect(styled('Heading1')).toEqual(['Introduction', 'Action plan status']);
    expect(styled('Heading2')).toEqual([
      'At a glance',
      'Changes since the last report (meeting of 10 February 2021, version 1, as at 8 February 2021)',
      'Overdue actions: 2',
      'Red and Amber actions: 2',
    ]);
    expect(styled('Heading3')).toEqual(['Completed (now Blue): 1', 'Status changes: 2', 'New actions: 1', 'Re-dated actions: 1']);
    // The heading styles exist in the package, so Word shows them in the navigation pane.
    const styles = await docx.zip.file('word/styles.xml')!.async('string');
    for (const id of ['Title', 'Heading1', 'Heading2', 'Heading3']) expect(styles).toContain(`w:styleId="${id}"`);

    const tables = docx.documentXml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g) ?? [];
    expect(tables.length).toBe(3);
    const glance = tables[0]!;
    expect(glance).toContain('<w:tblHeader/>');
    // Every shaded BRAG cell prints its word: colour is never the only signal.
    const shadedCells = glance.match(/<w:tc>(?:(?!<\/w:tc>)[\s\S])*?w:fill="(?:C00000|FFC000|00B050|0070C0|D9D9D9)"[\s\S]*?<\/w:tc>/g) ?? [];
    const cellWords = shadedCells.map((c) => [...c.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));
    expect(cellWords).toEqual(['Red (off track)', 'Amber (at risk)', 'Green (on track)', 'Blue (complete)', 'Not rated (not yet rated)']);

    expect(docx.media.filter((m) => m.endsWith('.png'))).toHaveLength(1);
    const png = await docx.zip.file(docx.media[0]!)!.async('nodebuffer');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(docx.documentXml).toMatch(/<wp:docPr [^>]*descr="Bar chart of the action plan&apos;s 49 actions/);
  });

  it.runIf(popplerAvailable())('PDF: real text, pages render to PNG', async () => {
    const file = await renderReport(march, 'pdf');
    keepOutput(file.filename, file.body);
    const text = squash(pdfText(file.body as Buffer));
    for (const s of ['Action plan status', 'Overdue actions: 2', 'Red (off track)', 'Recruitment of two social workers delayed', 'Asha Chair']) {
      expect(text).toContain(s);
    }
    const dir = process.env.REPORT_OUT_DIR ? join(process.env.REPORT_OUT_DIR, 'york-march-pages') : mkdtempSync(join(tmpdir(), 'bragbot-pages-'));
    const pages = pdfToPngs(file.body as Buffer, dir);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const p of pages) {
      const png = readFileSync(p);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(5_000); // a blank page compresses to far less
    }
  });

  it('chat summaries stay within Slack’s and Teams’ limits and point at the attached paper', () => {
    const slack = reportChatSummary(march, { flavour: 'slack-mrkdwn', maxChars: SLACK_SECTION_TEXT_LIMIT, attachmentName: 'york-ops-highlight-report-2021-03-10-v1.pdf' });
    expect(slack.length).toBeLessThanOrEqual(SLACK_SECTION_TEXT_LIMIT);
    expect(slack).toContain('*Children in Care and Care Leavers Operational Group – Highlight Report* (version 1, draft)');
    expect(slack).toContain('Red 1 (+1) · Amber 1 (+1) · Green 40 (−2) · Blue 3 (+1) · Not rated 4 (0)');
    expect(slack).toContain('1 completed, 2 changed status, 1 new, 1 re-dated');
    // Refs read as refs, not as list numbers (Teams renumbered "28." items).
    expect(slack).toContain('*Overdue (2)*\n• Ref 45: ');
    // The chair's preview says who could not be asked; the paper does not.
    expect(slack).toContain('*Could not be asked in chat (1)*\n• Rose Howley (Pathway Team)');
    expect(slack.endsWith('_Full paper attached: york-ops-highlight-report-2021-03-10-v1.pdf_')).toBe(true);

    const teams = reportChatSummary(march, { flavour: 'markdown', maxChars: TEAMS_CARD_TEXT_LIMIT });
    expect(teams.length).toBeLessThanOrEqual(TEAMS_CARD_TEXT_LIMIT);
    expect(teams).toContain('**Status**');

    // A tight limit cuts lists with "…and N more", never the headline figures.
    const tight = renderChatSummary(march.content, { flavour: 'slack-mrkdwn', maxChars: 600, attachmentName: 'paper.pdf' });
    expect(tight.length).toBeLessThanOrEqual(600);
    expect(tight).toContain('Red 1 (+1)');
    expect(tight).toMatch(/…and \d+ more|_Full paper attached: paper.pdf_$/);
    for (const limit of [50, 200, 400, 800, 1500]) {
      expect(renderChatSummary(march.content, { flavour: 'markdown', maxChars: limit }).length).toBeLessThanOrEqual(limit);
    }
  });
});
