/**
 * The highlight report as a Word document, the councils' committee-paper format, accessible as
 * PSBAR 2018 / WCAG 2.2 AA ask: real Word headings (Title, Heading 1 per section, Heading 2 for a
 * lead's sub-headings; navigation pane, accessibility checker), tables whose header row repeats
 * on every page and whose title Word shows as the table's alt text, the BRAG word printed in
 * every coloured cell, the chart as an image with alt text, the language en-GB. A footer with
 * "page N of M", and document properties naming the group, the meeting and the convening
 * manager (not "bragbot" / "Un-named"), dated with the report's own instant. Built with `docx`.
 */
import JSZip from 'jszip';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import type { Brag } from '../core/brag.js';
import { longDate, longDateOf, longDateTime } from '../core/report/dates.js';
import type { HighlightReportContent, StatusMove } from '../core/report/types.js';
import {
  actionLabel,
  BRAG_COLOUR,
  BRAG_LABEL,
  bragText,
  chartAltText,
  dueText,
  glanceRows,
  metaLine,
  ownersText,
  PLAN_HEADING,
  textBlocks,
} from './common.js';

const FONT = 'Arial';
const hex = (c: string) => c.replace('#', '');

const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) => new Paragraph({ text, heading: level, keepNext: true });
const para = (text: string, opts: { italics?: boolean; bold?: boolean } = {}) =>
  new Paragraph({ children: [new TextRun({ text, ...opts })], spacing: { after: 120 } });

function blocks(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  for (const b of textBlocks(text)) {
    if (b.kind === 'subheading') {
      out.push(heading(b.text, HeadingLevel.HEADING_2));
      continue;
    }
    if (b.kind === 'list') {
      for (const item of b.items) out.push(new Paragraph({ text: item, bullet: { level: 0 } }));
      continue;
    }
    // A lead's single line breaks stay line breaks inside one paragraph.
    const runs: ParagraphChild[] = b.lines.map((line, i) => new TextRun({ text: line, ...(i > 0 ? { break: 1 } : {}) }));
    out.push(new Paragraph({ children: runs, spacing: { after: 120 } }));
  }
  return out;
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: 'B1B4B6' };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER };

/** Table text is 10 pt, so a date ("30/11/2020") fits its column and is never broken. */
const TABLE_SIZE = 20;

/** `keep`: keep with what follows (Word's "keep with next"), so the at-a-glance table stays with its chart. */
function textCell(text: string, opts: { bold?: boolean; header?: boolean; right?: boolean; width?: number; keep?: boolean } = {}): TableCell {
  return new TableCell({
    borders: BORDERS,
    ...(opts.header ? { shading: { type: ShadingType.CLEAR, fill: 'F3F2F1', color: 'auto' } } : {}),
    ...(opts.width ? { width: { size: opts.width, type: WidthType.PERCENTAGE } } : {}),
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
    children: [new Paragraph({
      keepNext: opts.keep === true,
      alignment: opts.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
      children: [new TextRun({ text, bold: opts.bold || opts.header === true, size: TABLE_SIZE })],
    })],
  });
}

/** A BRAG cell: the colour as shading, the word (and meaning) always printed on it. */
function bragCell(b: Brag, withMeaning = true, keep = false): TableCell {
  return new TableCell({
    borders: BORDERS,
    shading: { type: ShadingType.CLEAR, fill: hex(BRAG_COLOUR[b].fill), color: 'auto' },
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
    children: [new Paragraph({ keepNext: keep, children: [new TextRun({ text: withMeaning ? bragText(b) : BRAG_LABEL[b], bold: true, color: hex(BRAG_COLOUR[b].text), size: TABLE_SIZE })] })],
  });
}

/** Each table's title, in document order: written as its alt text (w:tblCaption) once packed. */
type Captions = string[];

function table(captions: Captions, caption: string, header: string[], rows: TableCell[][], widths?: number[], keep = false): Table {
  captions.push(caption);
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: header.map((h, i) => textCell(h, { header: true, keep, ...(widths?.[i] ? { width: widths[i] } : {}) })) }),
      ...rows.map((cells) => new TableRow({ cantSplit: true, children: cells })),
    ],
  });
}

/** "28." in bold, then the action as written: a long activity all in bold is hard to read. */
const labelRuns = (a: { ref: string; activity: string }): TextRun[] =>
  a.ref ? [new TextRun({ text: `${a.ref}.`, bold: true }), new TextRun(` ${actionLabel({ ref: '', activity: a.activity })}`)] : [new TextRun(actionLabel(a))];

const moveLine = (m: StatusMove) =>
  new Paragraph({
    bullet: { level: 0 },
    children: [
      ...labelRuns(m),
      new TextRun({ text: `: ${bragText(m.from)} → ${bragText(m.to)}${m.by ? ` (${m.by}, ${longDateTime(m.at)})` : ''}` }),
    ],
  });

export interface DocxOptions {
  chartPng?: Buffer | undefined;
}

export async function renderDocx(report: HighlightReportContent, options: DocxOptions = {}): Promise<Buffer> {
  const body: (Paragraph | Table)[] = [];
  const captions: Captions = [];
  body.push(new Paragraph({ text: report.title, heading: HeadingLevel.TITLE }));
  body.push(para(metaLine(report), { italics: true }));

  body.push(heading('Introduction', HeadingLevel.HEADING_1));
  for (const p of report.introduction) body.push(...blocks(p));

  for (const s of report.sections) {
    body.push(heading(s.heading, HeadingLevel.HEADING_1));
    body.push(...blocks(s.text));
  }

  const plan = report.plan;
  const cmp = plan.comparison;
  body.push(heading(PLAN_HEADING, HeadingLevel.HEADING_1));
  body.push(heading('At a glance', HeadingLevel.HEADING_2));
  const glance = glanceRows(report);
  const header = cmp ? ['Status', 'Now', `At ${cmp.label}`, 'Change'] : ['Status', 'Now'];
  // The table keeps with the chart after it, as one figure: a page break never parts them.
  const keep = options.chartPng !== undefined;
  const rows = glance.rows.map((r) => [
    bragCell(r.brag, true, keep),
    textCell(String(r.now), { right: true, keep }),
    ...(cmp ? [textCell(String(r.before), { right: true, keep }), textCell(r.change ?? '', { right: true, keep })] : []),
  ]);
  rows.push([
    textCell('Total', { bold: true, keep }),
    textCell(String(glance.total.now), { bold: true, right: true, keep }),
    ...(cmp ? [textCell(String(glance.total.before), { bold: true, right: true, keep }), textCell(glance.total.change ?? '', { bold: true, right: true, keep })] : []),
  ]);
  body.push(table(captions, `Actions by status as at ${longDate(report.asOfDate)}`, header, rows, cmp ? [30, 15, 40, 15] : [70, 30], keep));
  if (options.chartPng) {
    body.push(new Paragraph({
      spacing: { before: 200, after: 120 },
      children: [new ImageRun({
        type: 'png',
        data: options.chartPng,
        // 16 cm wide at 96 dpi, the chart's 2:1 shape.
        transformation: { width: 605, height: 302 },
        altText: { name: 'BRAG chart', title: 'Actions by status', description: chartAltText(report) },
      })],
    }));
  }

  if (!cmp) {
    body.push(heading('Changes', HeadingLevel.HEADING_2));
    body.push(para('There is no earlier report or meeting to compare with: this is the first report for the group.'));
  } else {
    body.push(heading(`Changes since ${cmp.label}`, HeadingLevel.HEADING_2));
    if (cmp.completions.length + cmp.moves.length + cmp.newActions.length + cmp.redated.length === 0) {
      body.push(para('No action changed status or date, and no action was added.'));
    }
    if (cmp.completions.length > 0) {
      body.push(heading(`Completed (now Blue): ${cmp.completions.length}`, HeadingLevel.HEADING_3), ...cmp.completions.map(moveLine));
    }
    if (cmp.moves.length > 0) body.push(heading(`Status changes: ${cmp.moves.length}`, HeadingLevel.HEADING_3), ...cmp.moves.map(moveLine));
    if (cmp.newActions.length > 0) {
      body.push(heading(`New actions: ${cmp.newActions.length}`, HeadingLevel.HEADING_3));
      for (const a of cmp.newActions) {
        body.push(new Paragraph({
          bullet: { level: 0 },
          children: [...labelRuns(a), new TextRun(`: ${bragText(a.brag)}, due ${dueText(a)}, ${ownersText(a)}`)],
        }));
      }
    }
    if (cmp.redated.length > 0) {
      body.push(heading(`Re-dated actions: ${cmp.redated.length}`, HeadingLevel.HEADING_3));
      for (const r of cmp.redated) {
        body.push(new Paragraph({
          bullet: { level: 0 },
          children: [
            ...labelRuns(r),
            new TextRun(`: due ${r.fromDueRaw || 'no date'} → ${r.toDueRaw || 'no date'}${r.by ? ` (${r.by}, ${longDateTime(r.at)})` : ''}${r.note ? `: “${r.note}”` : ''}`),
          ],
        }));
      }
    }
  }

  body.push(heading(`Overdue actions: ${plan.overdue.length}`, HeadingLevel.HEADING_2));
  if (plan.overdue.length === 0) body.push(para('No action is overdue.'));
  else {
    body.push(table(
      captions,
      `Overdue actions as at ${longDate(report.asOfDate)}, longest overdue first`,
      ['Ref', 'Action', 'Owner', 'Due', 'Working days overdue', 'Status'],
      plan.overdue.map((o) => [
        textCell(o.ref),
        textCell(actionLabel({ ref: '', activity: o.activity })),
        textCell(ownersText(o)),
        textCell(dueText(o)),
        textCell(String(o.daysOverdue), { right: true }),
        bragCell(o.brag, false),
      ]),
      // Wide enough for "30/11/2020" and for "overdue" in the header at 10 pt: Word breaks a word that does not fit.
      [6, 38, 17, 13, 13, 13],
    ));
  }

  body.push(heading(`Red and Amber actions: ${plan.redAmber.length}`, HeadingLevel.HEADING_2));
  if (plan.redAmber.length === 0) body.push(para('No action is Red or Amber.'));
  else {
    body.push(table(
      captions,
      'Red and Amber actions with their latest note',
      ['Ref', 'Action', 'Status', 'Owner', 'Latest note'],
      plan.redAmber.map((f) => [
        textCell(f.ref),
        textCell(actionLabel({ ref: '', activity: f.activity })),
        bragCell(f.brag),
        textCell(ownersText(f)),
        textCell(f.latestNote ? `${f.latestNote.text} (${f.latestNote.by}, ${longDateOf(f.latestNote.at)})` : f.progress || 'No note yet.'),
      ]),
      [6, 31, 15, 15, 33],
    ));
  }

  if (report.signOff) {
    body.push(new Paragraph({ spacing: { before: 480 }, children: [new TextRun({ text: report.signOff.name, bold: true })] }));
    if (report.signOff.role) body.push(new Paragraph({ text: report.signOff.role }));
  }

  const convenor = report.signOff?.name ?? report.group.name;
  const meeting = longDate(report.meeting.date);
  const small = { size: 17, color: '505A5F' };
  const doc = new Document({
    // Who the paper is from, as Word's File > Info shows it.
    creator: convenor,
    lastModifiedBy: convenor,
    title: report.title,
    subject: `${report.group.name}: highlight report for the meeting of ${meeting}`,
    keywords: [report.group.name, report.group.reportsToName, 'highlight report', meeting].filter(Boolean).join('; '),
    description: `Highlight report${report.group.reportsToName ? ` to the ${report.group.reportsToName}` : ''} for the meeting of the ${report.group.name} on ${meeting}${report.signOff ? `, from ${report.signOff.name}${report.signOff.role ? `, ${report.signOff.role}` : ''}` : ''}`.replace(/\.*$/, '.'),
    customProperties: [
      { name: 'Group', value: report.group.name },
      { name: 'Meeting', value: meeting },
      ...(report.signOff ? [{ name: 'Convening manager', value: report.signOff.name }] : []),
    ],
    styles: {
      default: {
        document: { run: { font: FONT, size: 24, language: { value: 'en-GB' } } },
        title: { run: { font: FONT, size: 44, bold: true, color: '0B0C0C' } },
        heading1: { run: { font: FONT, size: 32, bold: true, color: '0B0C0C' }, paragraph: { spacing: { before: 360, after: 120 } } },
        heading2: { run: { font: FONT, size: 28, bold: true, color: '0B0C0C' }, paragraph: { spacing: { before: 240, after: 120 } } },
        heading3: { run: { font: FONT, size: 24, bold: true, color: '0B0C0C' }, paragraph: { spacing: { before: 200, after: 80 } } },
      },
    },
    sections: [{
      properties: { page: { margin: { top: 1134, bottom: 1134, left: 1134, right: 1134, footer: 567 } } },
      footers: {
        default: new Footer({
          children: [new Paragraph({
            alignment: AlignmentType.CENTER,
            children: [
              new TextRun({ text: `${report.title} · page `, ...small }),
              new TextRun({ children: [PageNumber.CURRENT], ...small }),
              new TextRun({ text: ' of ', ...small }),
              new TextRun({ children: [PageNumber.TOTAL_PAGES], ...small }),
            ],
          })],
        }),
      },
      children: body,
    }],
  });
  return finish(await Packer.toBuffer(doc), { asOf: report.asOf, captions });
}

const xmlEscape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/**
 * What `docx` cannot say itself: the file's dates are the report's instant (not the time it was
 * rendered, so the same version gives the same file), and each table's title (w:tblCaption,
 * Word's Table Properties > Alt Text), in document order.
 */
async function finish(packed: Buffer, o: { asOf: string; captions: Captions }): Promise<Buffer> {
  const zip = await JSZip.loadAsync(packed);
  const when = `${o.asOf.slice(0, 19)}Z`;
  const core = zip.file('docProps/core.xml');
  if (core) {
    const xml = (await core.async('string'))
      .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${when}$2`)
      .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${when}$2`);
    zip.file('docProps/core.xml', xml);
  }
  const document = zip.file('word/document.xml');
  if (document) {
    let i = 0;
    const xml = (await document.async('string')).replace(/<\/w:tblPr>/g, (end) => {
      const caption = o.captions[i];
      i += 1;
      return caption ? `<w:tblCaption w:val="${xmlEscape(caption)}"/>${end}` : end;
    });
    zip.file('word/document.xml', xml);
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
