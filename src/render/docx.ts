/**
 * The highlight report as a Word document, the councils' committee-paper format: real Word
 * headings (navigation pane, accessibility checker), tables with repeating header rows, the BRAG
 * word printed in every coloured cell, the chart as an image with alt text. Built with `docx`.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
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

function textCell(text: string, opts: { bold?: boolean; header?: boolean; right?: boolean; width?: number } = {}): TableCell {
  return new TableCell({
    borders: BORDERS,
    ...(opts.header ? { shading: { type: ShadingType.CLEAR, fill: 'F3F2F1', color: 'auto' } } : {}),
    ...(opts.width ? { width: { size: opts.width, type: WidthType.PERCENTAGE } } : {}),
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
    children: [new Paragraph({
      alignment: opts.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
      children: [new TextRun({ text, bold: opts.bold || opts.header === true })],
    })],
  });
}

/** A BRAG cell: the colour as shading, the word (and meaning) always printed on it. */
function bragCell(b: Brag, withMeaning = true): TableCell {
  return new TableCell({
    borders: BORDERS,
    shading: { type: ShadingType.CLEAR, fill: hex(BRAG_COLOUR[b].fill), color: 'auto' },
    margins: { top: 60, bottom: 60, left: 100, right: 100 },
    children: [new Paragraph({ children: [new TextRun({ text: withMeaning ? bragText(b) : BRAG_LABEL[b], bold: true, color: hex(BRAG_COLOUR[b].text) })] })],
  });
}

function table(header: string[], rows: TableCell[][], widths?: number[]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: header.map((h, i) => textCell(h, { header: true, ...(widths?.[i] ? { width: widths[i] } : {}) })) }),
      ...rows.map((cells) => new TableRow({ cantSplit: true, children: cells })),
    ],
  });
}

const moveLine = (m: StatusMove) =>
  new Paragraph({
    bullet: { level: 0 },
    children: [
      new TextRun({ text: actionLabel(m), bold: true }),
      new TextRun({ text: `: ${bragText(m.from)} → ${bragText(m.to)}${m.by ? ` (${m.by}, ${longDateTime(m.at)})` : ''}` }),
    ],
  });

export interface DocxOptions {
  chartPng?: Buffer | undefined;
}

export async function renderDocx(report: HighlightReportContent, options: DocxOptions = {}): Promise<Buffer> {
  const body: (Paragraph | Table)[] = [];
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
  const rows = glance.rows.map((r) => [
    bragCell(r.brag),
    textCell(String(r.now), { right: true }),
    ...(cmp ? [textCell(String(r.before), { right: true }), textCell(r.change ?? '', { right: true })] : []),
  ]);
  rows.push([
    textCell('Total', { bold: true }),
    textCell(String(glance.total.now), { bold: true, right: true }),
    ...(cmp ? [textCell(String(glance.total.before), { bold: true, right: true }), textCell(glance.total.change ?? '', { bold: true, right: true })] : []),
  ]);
  body.push(table(header, rows, cmp ? [30, 15, 40, 15] : [70, 30]));
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
          children: [new TextRun({ text: actionLabel(a), bold: true }), new TextRun(`: ${bragText(a.brag)}, due ${dueText(a)}, ${ownersText(a)}`)],
        }));
      }
    }
    if (cmp.redated.length > 0) {
      body.push(heading(`Re-dated actions: ${cmp.redated.length}`, HeadingLevel.HEADING_3));
      for (const r of cmp.redated) {
        body.push(new Paragraph({
          bullet: { level: 0 },
          children: [
            new TextRun({ text: actionLabel(r), bold: true }),
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
      ['Ref', 'Action', 'Owner', 'Due', 'Working days overdue', 'Status'],
      plan.overdue.map((o) => [
        textCell(o.ref),
        textCell(actionLabel({ ref: '', activity: o.activity })),
        textCell(ownersText(o)),
        textCell(dueText(o)),
        textCell(String(o.daysOverdue), { right: true }),
        bragCell(o.brag, false),
      ]),
      [7, 43, 18, 12, 10, 10],
    ));
  }

  body.push(heading(`Red and Amber actions: ${plan.redAmber.length}`, HeadingLevel.HEADING_2));
  if (plan.redAmber.length === 0) body.push(para('No action is Red or Amber.'));
  else {
    body.push(table(
      ['Ref', 'Action', 'Status', 'Owner', 'Latest note'],
      plan.redAmber.map((f) => [
        textCell(f.ref),
        textCell(actionLabel({ ref: '', activity: f.activity })),
        bragCell(f.brag),
        textCell(ownersText(f)),
        textCell(f.latestNote ? `${f.latestNote.text} (${f.latestNote.by}, ${longDateOf(f.latestNote.at)})` : f.progress || 'No note yet.'),
      ]),
      [7, 33, 15, 15, 30],
    ));
  }

  if (report.signOff) {
    body.push(new Paragraph({ spacing: { before: 480 }, children: [new TextRun({ text: report.signOff.name, bold: true })] }));
    if (report.signOff.role) body.push(new Paragraph({ text: report.signOff.role }));
  }

  const doc = new Document({
    creator: 'bragbot',
    title: report.title,
    description: `Highlight report for the meeting of ${longDate(report.meeting.date)}`,
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
      properties: { page: { margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } },
      children: body,
    }],
  });
  return Packer.toBuffer(doc);
}
