/**
 * The 13 January 2021 paper (york-paper.ts) as the Public Sector Bodies Accessibility
 * Regulations 2018 (WCAG 2.2 AA) need it, read back from the files themselves:
 *  - PDF: Poppler's `pdfinfo -struct` / `-struct-text` (the structure tree: headings in order,
 *    lists, table header cells with their scope, a figure with a bounding box), the alt text and
 *    the document language from the file, the title shown as the title, and the structure tree's
 *    text in the paper's reading order;
 *  - Word: the XML (heading styles, header rows that repeat, table titles, the chart's alt text,
 *    language, footer page numbers, document properties);
 *  - HTML: axe-core's WCAG 2.2 A/AA rules in real Chromium (Debian's, via playwright-core).
 * BRAG is never told by colour alone, in any of them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartAltText, metaLine } from '../../src/render/common.js';
import { renderReport } from '../../src/services/reports.js';
import { browserAvailable, expectNoAxeViolations, launchChromium, scrollWidth } from '../support/browser.js';
import { keepOutput, noSpace, openDocx, popplerAvailable } from './support.js';
import { buildYorkPaper, expectSameText, golden, originalText, paperCore, type YorkPaper } from './york-paper.js';

let paper: YorkPaper;
let pdf: Buffer;

beforeAll(async () => {
  paper = await buildYorkPaper();
  pdf = (await renderReport(paper.report, 'pdf')).body as Buffer;
  keepOutput('york-2021-01-13-a11y.pdf', pdf);
});

afterAll(async () => {
  await paper?.database.destroy();
});

interface StructNode {
  type: string;
  attributes: string[];
  text: string[];
  children: StructNode[];
}

/** `pdfinfo -struct-text` as a tree: two spaces of indent per level, attributes as "/Key value", text in quotes. */
function structTree(file: Buffer): StructNode {
  const dir = mkdtempSync(join(tmpdir(), 'bragbot-struct-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), file);
    const out = execFileSync('pdfinfo', ['-struct-text', join(dir, 'r.pdf')], { encoding: 'utf8', maxBuffer: 50 * 1024 * 1024 });
    const root: StructNode = { type: '(root)', attributes: [], text: [], children: [] };
    const stack: { node: StructNode; indent: number }[] = [{ node: root, indent: -2 }];
    for (const line of out.split('\n')) {
      if (line.trim() === '') continue;
      const indent = line.length - line.trimStart().length;
      const body = line.trim();
      while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
      const top = stack[stack.length - 1]!.node;
      if (body.startsWith('"')) top.text.push(JSON.parse(body) as string);
      else if (body.startsWith('/')) top.attributes.push(body);
      else {
        const node: StructNode = { type: body.split(/[\s:<(]/)[0]!, attributes: [], text: [], children: [] };
        top.children.push(node);
        stack.push({ node, indent });
      }
    }
    return root.children[0]!;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const walk = (n: StructNode): StructNode[] => [n, ...n.children.flatMap(walk)];
const textOf = (n: StructNode): string => [...n.text, ...n.children.map(textOf)].join(' ');

/** Literal and UTF-16 hex strings of a key (e.g. /Alt, /Lang) straight from the PDF's objects (PDFKit leaves them uncompressed). */
function pdfStrings(file: Buffer, key: string): string[] {
  const raw = file.toString('latin1');
  const out: string[] = [];
  for (const m of raw.matchAll(new RegExp(`/${key} (?:\\(((?:\\\\.|[^\\\\)])*)\\)|<([0-9A-Fa-f]+)>)`, 'g'))) {
    if (m[1] !== undefined) out.push(m[1].replace(/\\(.)/g, '$1'));
    else {
      const hex = m[2]!;
      const bytes = Buffer.from(hex, 'hex');
      out.push(bytes[0] === 0xfe && bytes[1] === 0xff ? bytes.subarray(2).swap16().toString('utf16le') : bytes.toString('latin1'));
    }
  }
  return out;
}

describe.runIf(popplerAvailable())('PDF: tagged, with a structure tree a screen reader can follow', () => {
  it('is tagged, in en-GB, and shows its title as the title', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bragbot-info-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), pdf);
      const info = execFileSync('pdfinfo', [join(dir, 'r.pdf')], { encoding: 'utf8' });
      expect(info).toMatch(/^Tagged:\s+yes$/m);
      expect(info).toContain(`Title:           ${golden.title}`);
      expect(info).toContain(`Author:          ${golden.signOff.name}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(pdfStrings(pdf, 'Lang')).toContain('en-GB');
    expect(pdf.toString('latin1')).toMatch(/\/DisplayDocTitle true/);
  });

  it('has the headings in order: the title H1, a section (Sect) per H2, the leads’ sub-headings H3', () => {
    const tree = structTree(pdf);
    expect(tree.type).toBe('Document');
    const headings = walk(tree).filter((n) => /^H\d$/.test(n.type));
    expect(headings[0]).toMatchObject({ type: 'H1' });
    expect(textOf(headings[0]!)).toBe(golden.title);
    expect(headings.filter((h) => h.type === 'H2').map(textOf)).toEqual(['Introduction', ...golden.sections.map((s) => s.heading), 'Action plan status']);
    const h3 = headings.filter((h) => h.type === 'H3').map(textOf);
    for (const sub of ['The Pathway Team:', 'Placement sufficiency:', 'Recruitment:', 'At a glance']) expect(h3).toContain(sub);
    // No level is skipped: every heading is at most one level below the one before it.
    headings.forEach((h, i) => {
      if (i > 0) expect(Number(h.type[1]) - Number(headings[i - 1]!.type[1]), textOf(h)).toBeLessThanOrEqual(1);
    });
    // Each section's heading opens its Sect.
    const sects = tree.children.filter((n) => n.type === 'Sect');
    expect(sects.map((s) => [s.children[0]!.type, textOf(s.children[0]!)])).toEqual(['Introduction', ...golden.sections.map((s) => s.heading), 'Action plan status'].map((h) => ['H2', h]));
  });

  it('has tables with column header cells (TH, Scope Column) and row headers (TH, Scope Row)', () => {
    const tables = walk(structTree(pdf)).filter((n) => n.type === 'Table');
    expect(tables.length).toBe(3);
    for (const table of tables) {
      const [header, ...rows] = table.children;
      expect(header!.type).toBe('TR');
      expect(header!.children.every((c) => c.type === 'TH' && c.attributes.includes('/Scope /Column'))).toBe(true);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.type).toBe('TR');
        expect(row.children.length).toBe(header!.children.length);
        expect(row.children[0]).toMatchObject({ type: 'TH' });
        expect(row.children[0]!.attributes).toContain('/Scope /Row');
        expect(row.children.slice(1).every((c) => c.type === 'TD')).toBe(true);
      }
    }
    // The overdue table: its header once in the structure, its BRAG cells in words.
    const overdue = tables[1]!;
    expect(overdue.children[0]!.children.map(textOf)).toEqual(['Ref', 'Action', 'Owner', 'Due', 'Working days overdue', 'Status']);
    expect(overdue.children.slice(1).map((r) => textOf(r.children[5]!))).toEqual(paper.report.content.plan.overdue.map((o) => ({ red: 'Red', amber: 'Amber', green: 'Green', blue: 'Blue', unrated: 'Not rated' })[o.brag]));
  });

  it('has lists as L > LI > Lbl + LBody, and the chart as a Figure with a box and alt text giving its figures', () => {
    const nodes = walk(structTree(pdf));
    const items = nodes.filter((n) => n.type === 'LI');
    expect(items.length).toBeGreaterThan(3);
    const lists = nodes.filter((n) => n.type === 'L');
    expect(lists.flatMap((l) => l.children).every((c) => c.type === 'LI')).toBe(true);
    expect(lists.flatMap((l) => l.children).length).toBe(items.length);
    for (const li of items) expect(li.children.map((c) => c.type)).toEqual(['Lbl', 'LBody']);
    const figures = nodes.filter((n) => n.type === 'Figure');
    expect(figures).toHaveLength(1);
    expect(figures[0]!.attributes.some((a) => a.startsWith('/BBox'))).toBe(true);
    expect(pdfStrings(pdf, 'Alt')).toEqual([chartAltText(paper.report.content)]);
    expect(chartAltText(paper.report.content)).toMatch(/Red 1, Amber 2, Green 39, Blue 2, Not rated 4/);
  });

  it('reads in the paper’s order: the structure tree’s text is the original, word for word', () => {
    const tree = structTree(pdf);
    // The tree's text, one block per line: what a screen reader reads, in its order.
    const blocks = walk(tree).filter((n) => n.text.length > 0).map((n) => n.text.join(''));
    expectSameText(paperCore(blocks.join('\n'), { planHeading: 'Action plan status', meta: metaLine(paper.report.content) }), noSpace(originalText()), 'structure text');
  });
});

describe('Word: headings, header rows, table titles and alt text in the XML', () => {
  it('uses Word’s heading styles, repeats each table’s header row, titles the tables and the chart', async () => {
    const file = await renderReport(paper.report, 'docx');
    const docx = await openDocx(file.body as Buffer);
    const styles = await docx.zip.file('word/styles.xml')!.async('string');
    for (const [id, name] of [['Title', 'Title'], ['Heading1', 'Heading 1'], ['Heading2', 'Heading 2'], ['Heading3', 'Heading 3']]) {
      expect(styles).toMatch(new RegExp(`<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/>`, 'i'));
    }
    expect(styles).toContain('<w:lang w:val="en-GB"/>');
    const h1 = docx.paragraphs.filter((p) => p.style === 'Heading1').map((p) => p.text);
    expect(h1).toEqual(['Introduction', ...golden.sections.map((s) => s.heading), 'Action plan status']);

    const tables = docx.documentXml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g) ?? [];
    expect(tables).toHaveLength(3);
    for (const t of tables) {
      const rows = t.match(/<w:tr>[\s\S]*?<\/w:tr>/g) ?? [];
      // The first row, and only it, is the header row Word repeats at the top of each page.
      expect(rows[0]).toContain('<w:tblHeader/>');
      expect(rows.slice(1).some((r) => r.includes('<w:tblHeader/>'))).toBe(false);
      expect(rows.every((r) => r.includes('<w:cantSplit/>'))).toBe(true);
      expect(t).toMatch(/<w:tblCaption w:val="[^"]+"\/><\/w:tblPr>/);
    }
    expect([...docx.documentXml.matchAll(/<w:tblCaption w:val="([^"]+)"/g)].map((m) => m[1])).toEqual([
      // The plan status is as at the meeting's cut-off: the end of the working day before it.
      'Actions by status as at 12 January 2021',
      'Overdue actions as at 12 January 2021, longest overdue first',
      'Red and Amber actions with their latest note',
    ]);
    // The at-a-glance table keeps with its chart (keep with next on every row), so a page break never parts them.
    const glanceRows = tables[0]!.match(/<w:tr>[\s\S]*?<\/w:tr>/g) ?? [];
    expect(glanceRows.every((r) => r.includes('<w:keepNext/>'))).toBe(true);
    expect(tables[1]).not.toContain('<w:keepNext/>');
    const docPr = /<wp:docPr [^>]*>/.exec(docx.documentXml)![0];
    expect(docPr).toContain(`descr="${chartAltText(paper.report.content).replace(/'/g, '&apos;')}"`);
    expect(docPr).toContain('title="Actions by status"');
    // Every shaded BRAG cell prints its word.
    const shaded = [...docx.documentXml.matchAll(/<w:tc>(?:(?!<\/w:tc>)[\s\S])*?w:fill="(C00000|FFC000|00B050|0070C0|D9D9D9)"[\s\S]*?<\/w:tc>/g)];
    expect(shaded.length).toBeGreaterThan(5);
    for (const [cell, fill] of shaded) {
      const words = [...cell.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
      expect(words, fill).toMatch({ C00000: /^Red/, FFC000: /^Amber/, '00B050': /^Green/, '0070C0': /^Blue/, D9D9D9: /^Not rated/ }[fill!]!);
    }
  });

  it('has a footer with page N of M, and properties naming the group, the meeting and the convening manager', async () => {
    const file = await renderReport(paper.report, 'docx');
    const docx = await openDocx(file.body as Buffer);
    const footers = Object.keys(docx.zip.files).filter((f) => /^word\/footer\d+\.xml$/.test(f));
    expect(footers.length).toBeGreaterThan(0);
    const footer = await docx.zip.file(footers[0]!)!.async('string');
    expect(footer).toMatch(/PAGE/);
    expect(footer).toMatch(/NUMPAGES/);
    expect(docx.documentXml).toMatch(/<w:footerReference w:type="default"/);
    const core = await docx.zip.file('docProps/core.xml')!.async('string');
    expect(core).toContain(`<dc:creator>${golden.signOff.name}</dc:creator>`);
    expect(core).toContain(`<cp:lastModifiedBy>${golden.signOff.name}</cp:lastModifiedBy>`);
    expect(core).toContain(`<dc:title>${golden.title}</dc:title>`);
    expect(core).toContain('<dc:subject>Children in Care and Care Leavers Strategic Partnership: highlight report for the meeting of 13 January 2021</dc:subject>');
    expect(core).not.toMatch(/bragbot|Un-named/);
    // Dated with the report's instant, not the moment it was rendered.
    // The instant the paper describes (its cut-off), so the same paper has the same properties whenever it is rendered.
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2021-01-12T23:59:59Z</dcterms:created>');
    const custom = await docx.zip.file('docProps/custom.xml')!.async('string');
    for (const [name, value] of [['Group', 'Children in Care and Care Leavers Strategic Partnership'], ['Meeting', '13 January 2021'], ['Convening manager', golden.signOff.name]]) {
      expect(custom).toMatch(new RegExp(`name="${name}"><vt:lpwstr>${value}</vt:lpwstr>`));
    }
  });
});

const chromiumAvailable = browserAvailable('the axe-core check of the HTML paper');

describe.skipIf(!chromiumAvailable)('HTML: no WCAG 2.2 AA violations (axe-core in Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it.each([
    ['desktop', { width: 1280, height: 900 }],
    // Reflow (WCAG 1.4.10): 320 CSS pixels wide, as a phone or 400% zoom.
    ['320 px wide', { width: 320, height: 640 }],
  ] as const)('%s', async (_name, viewport) => {
    const html = (await renderReport(paper.report, 'html')).body as string;
    const page = await browser.newPage({ viewport });
    try {
      await page.setContent(html, { waitUntil: 'load' });
      const result = await expectNoAxeViolations(page, `the HTML paper at ${viewport.width} px`);
      // The rules that matter here did run and pass (a page axe could not read would pass nothing).
      const passed = new Set(result.passes.map((p) => p.id));
      for (const rule of ['color-contrast', 'document-title', 'html-lang-valid', 'image-alt', 'td-headers-attr', 'th-has-data-cells']) expect(passed, rule).toContain(rule);
      // Nothing is wider than the screen at 320 px, so nobody scrolls sideways to read a line.
      if (viewport.width === 320) expect(await scrollWidth(page)).toBeLessThanOrEqual(320);
    } finally {
      await page.close();
    }
  }, 60_000);
});
