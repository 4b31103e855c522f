/**
 * Golden test: seed 003's "Children in Care and Care Leavers Strategic Partnership – Highlight
 * Report" (13 January 2021), rebuilt from thread replies posted in a scrambled order (a follow-up
 * without a heading, a reply without any heading, a deleted draft, an edit; york-paper.ts). The
 * paper must be the original: its sections in the partnership's order, every word as written
 * apart from the bot's own headings and its plan status, in Markdown, HTML, Word and PDF; and
 * none of the chasing (who replied, who did not) that belongs to the chair.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleReport } from '../../src/core/report/assemble.js';
import { renderChatSummary } from '../../src/render/chat.js';
import { metaLine } from '../../src/render/common.js';
import { loadReportInputs, renderReport, reportCoverNote } from '../../src/services/reports.js';
import { figuresOf, htmlText, keepOutput, noSpace, openDocx, pdfText, popplerAvailable, squash } from './support.js';
import { buildYorkPaper, expectSameText, golden, originalText, paperCore, SILENT_MEMBER, type YorkPaper } from './york-paper.js';

let paper: YorkPaper;

beforeAll(async () => {
  paper = await buildYorkPaper();
});

afterAll(async () => {
  await paper?.database.destroy();
});

const ORIGINAL = noSpace(originalText());
/** Nothing of the chasing may reach the circulated paper. */
const CHASING = [/Update from/, /Not yet replied/, /Could not be asked/, /has replied/, new RegExp(SILENT_MEMBER.name), /Rose Howley \(/];

describe('seed 003 highlight report, rebuilt from replies posted in a scrambled order', () => {
  it('has the seed title, the sections in the partnership’s order with their text as written, the chair’s introduction and the sign-off', () => {
    const c = paper.report.content;
    expect(c.title).toBe(golden.title);
    expect(c.meeting.date).toBe(golden.meetingDate);
    expect(c.sections.map((s) => s.heading)).toEqual(golden.sections.map((s) => s.heading));
    c.sections.forEach((s, i) => expect(s.text, s.heading).toBe(golden.sections[i]!.text));
    // The introduction is the chair's, and nothing else: no generated sentence between or after.
    expect(c.introduction).toEqual([golden.introduction]);
    expect(c.signOff).toEqual(golden.signOff);
    expect(JSON.stringify(c)).not.toContain('DELETED DRAFT');
    expect(JSON.stringify(c)).not.toContain('68.4%');
    // The follow-up continued the section: one section, two replies, one author.
    expect(c.sections[1]).toMatchObject({ heading: 'Children in Permanent Placements Update', authors: ['Permanence Manager'] });
    // The convening manager's own item is not a team's update.
    expect(c.sections.map((s) => s.convenorItem)).toEqual([false, false, false, false, false, false, true]);
  });

  it('the generated sentence, when a group asks for it, comes after the chair’s and counts 6 teams (not the chair’s item)', async () => {
    const { inputs } = await loadReportInputs(paper.db, paper.groupId, golden.meetingDate);
    const withLine = assembleReport({ ...inputs, settings: { ...inputs.settings, coverageLine: true } }, new Date(paper.report.content.asOf));
    expect(withLine.introduction[0]).toBe(golden.introduction);
    expect(withLine.introduction[1]).toContain('6 teams and services gave an update.');
    expect(withLine.introduction[1]).toContain('13 January 2021');
    expect(withLine.introduction[1]).toContain('11 November 2020');
  });

  it('Markdown: the original’s words in the original’s order, headings as ##, sub-headings as ###, no chasing', async () => {
    const md = (await renderReport(paper.report, 'md')).body as string;
    keepOutput('york-2021-01-13.md', md);
    expectSameText(paperCore(md, { planHeading: 'Action plan status', meta: metaLine(paper.report.content), markdown: true }), ORIGINAL, 'the paper');
    const h2 = [...md.matchAll(/^## (.*)$/gm)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
    expect(h2).toEqual(['Introduction', ...golden.sections.map((s) => s.heading), 'Action plan status']);
    expect(md).toContain('\n### Placement sufficiency:\n');
    expect(md).toContain('\n### Recruitment:\n');
    // "Fostering Panel" heads its section once, not again as its first paragraph.
    expect(md.match(/^(?:## )?Fostering Panel$/gm)).toEqual(['## Fostering Panel']);
    for (const re of CHASING) expect(md).not.toMatch(re);
    expect(md).toContain(`${golden.signOff.name}  \n${golden.signOff.role}`);
  });

  it('HTML: the original’s words, headings h2 in order, sub-headings h3, no chasing', async () => {
    const html = (await renderReport(paper.report, 'html')).body as string;
    keepOutput('york-2021-01-13.html', html);
    const text = htmlText(html.replace(/<head>[\s\S]*?<\/head>/, ''));
    expectSameText(paperCore(text, { planHeading: 'Action plan status', meta: metaLine(paper.report.content) }), ORIGINAL, 'the paper');
    const h2 = [...html.matchAll(/<h2 id="s\d+">([^<]*)<\/h2>/g)].map((m) => m[1]);
    expect(h2).toEqual(['Introduction', ...golden.sections.map((s) => s.heading.replace(/'/g, '&#39;')), 'Action plan status']);
    expect(html).toContain('<h3>Placement sufficiency:</h3>');
    for (const re of CHASING) expect(htmlText(html)).not.toMatch(re);
    expect(html).toContain('<html lang="en-GB">');
  });

  it('Word: the original’s words, each section a Heading 1 and its sub-headings Heading 2, no chasing', async () => {
    const file = await renderReport(paper.report, 'docx');
    keepOutput('york-2021-01-13.docx', file.body);
    const docx = await openDocx(file.body as Buffer);
    expectSameText(paperCore(docx.text, { planHeading: 'Action plan status', meta: metaLine(paper.report.content) }), ORIGINAL, 'the paper');
    expect(docx.paragraphs.find((p) => p.style === 'Title')?.text).toBe(golden.title);
    const h1 = docx.paragraphs.filter((p) => p.style === 'Heading1').map((p) => p.text);
    expect(h1).toEqual(['Introduction', ...golden.sections.map((s) => s.heading), 'Action plan status']);
    const h2 = docx.paragraphs.filter((p) => p.style === 'Heading2').map((p) => p.text);
    for (const sub of ['The Pathway Team:', 'Education, Training and Employment (ETE):', 'Accommodation:', 'Approved Foster Carers:', 'Placement sufficiency:', 'Recruitment:']) expect(h2).toContain(sub);
    // A sentence leading into a list is not a heading.
    expect(h2).not.toContain('At the 1st January 2021 we have 118 approved foster carer households:');
    for (const re of CHASING) expect(docx.text).not.toMatch(re);
  });

  it.runIf(popplerAvailable())('PDF: the original’s words in order (page footers aside), every figure, no chasing', async () => {
    const file = await renderReport(paper.report, 'pdf');
    keepOutput('york-2021-01-13.pdf', file.body);
    const text = pdfText(file.body as Buffer);
    expectSameText(paperCore(pdfText(file.body as Buffer, { raw: true }), { planHeading: 'Action plan status', meta: metaLine(paper.report.content), footer: /page \d+ of \d+\s*$/ }), ORIGINAL, 'the paper');
    const flat = noSpace(text);
    for (const s of golden.sections) for (const f of figuresOf(s.text)) expect(flat, `${s.heading}: ${f}`).toContain(noSpace(f));
    for (const re of CHASING) expect(squash(text)).not.toMatch(re);
  });

  it('who replied and who did not goes to the chair: the preview and the cover note', () => {
    const preview = renderChatSummary(paper.report.content, { flavour: 'slack-mrkdwn', maxChars: 3000 });
    expect(preview).toContain(`*Not yet replied (1)*\n• ${SILENT_MEMBER.name} (${SILENT_MEMBER.team})`);
    expect(preview).toContain('• Children in Permanent Placements Update: Permanence Manager');
    // Imported owners with no chat id could not be asked: listed apart, not as "not replied".
    expect(preview).toMatch(/\*Could not be asked in chat \(\d+\)\*\n• /);
    const note = reportCoverNote(paper.report);
    expect(note.filename).toBe('cicp-cover-note-2021-01-13-v1.md');
    const body = note.body as string;
    expect(body).toContain('## Updates received: 7');
    expect(body).toContain('| Court Team Update | Court Team Manager |');
    expect(body).toContain(`## Not yet replied: 1\n\n- ${SILENT_MEMBER.name} (${SILENT_MEMBER.team})`);
    expect(body).toContain('## Could not be asked in chat:');
    expect(body).toContain('- Rose Howley');
    keepOutput('york-2021-01-13-cover-note.md', body);
  });
});
