/**
 * The highlight report as a PDF (pdfkit): real, selectable text in a tagged PDF (headings,
 * paragraphs, lists, tables and the chart as structure elements, language en-GB), bookmarks for
 * each heading, the BRAG word printed in every coloured cell, the chart embedded as an image.
 *
 * Fonts: DejaVu Sans (Debian fonts-dejavu-core) when present, which covers every character a
 * lead may type; otherwise the PDF base font Helvetica, with the few arrows and dashes it lacks
 * replaced by ASCII.
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
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

const DEJAVU = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
  italic: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf',
};

export interface PdfOptions {
  chartPng?: Buffer | undefined;
}


const INK = '#0b0c0c';
const GREY = '#484949';
const RULE = '#b1b4b6';

export async function renderPdf(report: HighlightReportContent, options: PdfOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: report.title, Author: report.signOff?.name ?? 'bragbot', Subject: `Highlight report, meeting of ${longDate(report.meeting.date)}`, Creator: 'bragbot' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const unicode = existsSync(DEJAVU.regular) && existsSync(DEJAVU.bold) && existsSync(DEJAVU.italic);
  // Fonts are named by their source, not registered under aliases: PDFKit's table puts the font
  // back after each styled cell by its source, which missed the cache kept under an alias, so it
  // re-read and re-parsed the TTF for every cell (a 500-action report took ~9.5 s; report benchmark).
  const FONT = unicode
    ? { Body: DEJAVU.regular, Bold: DEJAVU.bold, Italic: DEJAVU.italic }
    : { Body: 'Helvetica', Bold: 'Helvetica-Bold', Italic: 'Helvetica-Oblique' };
  /** Text as the chosen font can show it. */
  const t = (s: string): string => (unicode ? s : s.replace(/→/g, '->').replace(/−/g, '-').replace(/[^\x20-\x7e\n\u00a0-\u00ff–—‘’“”•…€]/g, '?'));

  const root = doc.struct('Document');
  doc.addStructure(root);
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;
  const bottomLimit = () => doc.page.height - doc.page.margins.bottom;
  const ensure = (space: number) => {
    if (doc.y + space > bottomLimit()) doc.addPage();
  };

  const headingStyles = { H1: 20, H2: 15, H3: 12.5, H4: 11 } as const;
  /** `keep`: room the content after the heading needs, so a heading never ends a page alone. */
  const heading = (text: string, level: keyof typeof headingStyles, keep = 0) => {
    ensure((level === 'H1' ? 60 : 70) + keep);
    if (level !== 'H1') doc.moveDown(level === 'H2' ? 0.9 : 0.6);
    doc.x = left;
    doc.font(FONT.Bold).fontSize(headingStyles[level]).fillColor(INK);
    if (level === 'H2' || level === 'H3') doc.outline.addItem(t(text));
    doc.text(t(text), { width, structParent: root, structType: level });
    if (level === 'H2') {
      const y = doc.y + 2;
      doc.markContent('Artifact');
      doc.moveTo(left, y).lineTo(left + width, y).lineWidth(1).strokeColor(INK).stroke();
      doc.endMarkedContent();
      doc.y = y + 4;
    }
    doc.moveDown(0.3);
  };
  const paragraph = (text: string, style: { font?: 'Body' | 'Bold' | 'Italic'; colour?: string; size?: number } = {}) => {
    doc.x = left;
    doc.font(FONT[style.font ?? 'Body']).fontSize(style.size ?? 10.5).fillColor(style.colour ?? INK);
    doc.text(t(text), { width, lineGap: 2, paragraphGap: 6, structParent: root, structType: 'P' });
  };
  const bullets = (items: string[]) => {
    doc.x = left;
    doc.font(FONT.Body).fontSize(10.5).fillColor(INK);
    doc.list(items.map(t), left + 4, doc.y, { width: width - 4, lineGap: 2, bulletRadius: 2, textIndent: 14, paragraphGap: 3, structParent: root } as PDFKit.Mixins.TextOptions);
    doc.x = left;
    doc.moveDown(0.5);
  };
  const blocks = (text: string) => {
    for (const b of textBlocks(text)) {
      if (b.kind === 'subheading') heading(b.text, 'H3');
      else if (b.kind === 'list') bullets(b.items);
      else paragraph(b.lines.join('\n'));
    }
  };

  const headerCell = (text: string) => ({ text: t(text), type: 'TH' as const, font: { src: FONT.Bold }, backgroundColor: '#f3f2f1' });
  const bragCell = (b: Brag, withMeaning = true) => ({
    text: t(withMeaning ? bragText(b) : BRAG_LABEL[b]),
    font: { src: FONT.Bold },
    backgroundColor: BRAG_COLOUR[b].fill,
    textColor: BRAG_COLOUR[b].text,
  });
  type Cell = string | ReturnType<typeof headerCell> | ReturnType<typeof bragCell> | { text: string; font?: { src: string }; align?: 'right' };
  const table = (header: string[], rows: Cell[][], columns: number[]) => {
    // Keep a short table on one page, and a long one's header with its first rows.
    ensure(Math.min(rows.length + 1, 8) * 20 + 10);
    doc.x = left;
    doc.font(FONT.Body).fontSize(9.5).fillColor(INK);
    doc.table({
      position: { x: left, y: doc.y },
      maxWidth: width,
      columnStyles: columns.map((w) => ({ width: (w / 100) * width })),
      defaultStyle: { border: 0.5, borderColor: RULE, padding: { top: 3, bottom: 3, left: 4, right: 4 } },
      structParent: root,
      data: [header.map(headerCell), ...rows.map((r) => r.map((c) => (typeof c === 'string' ? t(c) : { ...c, text: t(c.text) })))],
    } as PDFKit.Mixins.TableOptionsWithData);
    doc.x = left;
    doc.moveDown(0.8);
  };
  const num = (n: number | string) => ({ text: String(n), align: 'right' as const });
  const moveText = (m: StatusMove) => `${actionLabel(m)}: ${bragText(m.from)} → ${bragText(m.to)}${m.by ? ` (${m.by}, ${longDateTime(m.at)})` : ''}`;

  // Title block
  heading(report.title, 'H1');
  paragraph(metaLine(report), { font: 'Italic', colour: GREY, size: 10 });

  heading('Introduction', 'H2');
  for (const p of report.introduction) blocks(p);

  for (const s of report.sections) {
    heading(s.heading, 'H2');
    blocks(s.text);
  }

  const plan = report.plan;
  const cmp = plan.comparison;
  heading(PLAN_HEADING, 'H2', 190);
  heading('At a glance', 'H3', 150);
  const glance = glanceRows(report);
  table(
    cmp ? ['Status', 'Now', `At ${cmp.label}`, 'Change'] : ['Status', 'Now'],
    [
      ...glance.rows.map((r): Cell[] => [bragCell(r.brag), num(r.now), ...(cmp ? [num(r.before ?? ''), num(r.change ?? '')] : [])]),
      [
        { text: 'Total', font: { src: FONT.Bold } },
        { ...num(glance.total.now), font: { src: FONT.Bold } },
        ...(cmp ? [{ ...num(glance.total.before ?? ''), font: { src: FONT.Bold } }, { ...num(glance.total.change ?? ''), font: { src: FONT.Bold } }] : []),
      ],
    ],
    cmp ? [30, 15, 40, 15] : [70, 30],
  );
  if (options.chartPng) {
    const h = width / 2;
    ensure(h + 10);
    const y = doc.y;
    const figure = doc.struct('Figure', { alt: chartAltText(report) }, () => {
      doc.image(options.chartPng!, left, y, { width, height: h });
    });
    root.add(figure);
    doc.y = y + h + 10;
    doc.x = left;
  }

  if (!cmp) {
    heading('Changes', 'H3');
    paragraph('There is no earlier report or meeting to compare with: this is the first report for the group.');
  } else {
    heading(`Changes since ${cmp.label}`, 'H3');
    if (cmp.completions.length + cmp.moves.length + cmp.newActions.length + cmp.redated.length === 0) {
      paragraph('No action changed status or date, and no action was added.');
    }
    if (cmp.completions.length > 0) {
      heading(`Completed (now Blue): ${cmp.completions.length}`, 'H4');
      bullets(cmp.completions.map(moveText));
    }
    if (cmp.moves.length > 0) {
      heading(`Status changes: ${cmp.moves.length}`, 'H4');
      bullets(cmp.moves.map(moveText));
    }
    if (cmp.newActions.length > 0) {
      heading(`New actions: ${cmp.newActions.length}`, 'H4');
      bullets(cmp.newActions.map((a) => `${actionLabel(a)}: ${bragText(a.brag)}, due ${dueText(a)}, ${ownersText(a)}`));
    }
    if (cmp.redated.length > 0) {
      heading(`Re-dated actions: ${cmp.redated.length}`, 'H4');
      bullets(cmp.redated.map((r) => `${actionLabel(r)}: due ${r.fromDueRaw || 'no date'} → ${r.toDueRaw || 'no date'}${r.by ? ` (${r.by}, ${longDateTime(r.at)})` : ''}${r.note ? `: “${r.note}”` : ''}`));
    }
  }

  heading(`Overdue actions: ${plan.overdue.length}`, 'H3');
  if (plan.overdue.length === 0) paragraph('No action is overdue.');
  else {
    table(
      ['Ref', 'Action', 'Owner', 'Due', 'Working days overdue', 'Status'],
      plan.overdue.map((o): Cell[] => [o.ref, actionLabel({ ref: '', activity: o.activity }), ownersText(o), dueText(o), num(o.daysOverdue), bragCell(o.brag, false)]),
      [7, 41, 18, 12, 11, 11],
    );
  }

  heading(`Red and Amber actions: ${plan.redAmber.length}`, 'H3');
  if (plan.redAmber.length === 0) paragraph('No action is Red or Amber.');
  else {
    table(
      ['Ref', 'Action', 'Status', 'Owner', 'Latest note'],
      plan.redAmber.map((f): Cell[] => [
        f.ref,
        actionLabel({ ref: '', activity: f.activity }),
        bragCell(f.brag),
        ownersText(f),
        f.latestNote ? `${f.latestNote.text} (${f.latestNote.by}, ${longDateOf(f.latestNote.at)})` : f.progress || 'No note yet.',
      ]),
      [7, 33, 15, 15, 30],
    );
  }

  if (report.signOff) {
    ensure(60);
    doc.moveDown(1.5);
    paragraph(report.signOff.name, { font: 'Bold' });
    if (report.signOff.role) paragraph(report.signOff.role);
  }

  root.end();

  // Page numbers, as artifacts (not part of the document's reading order).
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.font(FONT.Body).fontSize(8.5).fillColor(GREY)
      .text(t(`${report.title} · page ${i + 1 - range.start} of ${range.count}`), left, doc.page.height - 40, { width, align: 'center', lineBreak: false });
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
