/**
 * The highlight report as a PDF (pdfkit), accessible as PSBAR 2018 / WCAG 2.2 AA ask of papers
 * published with an agenda: a tagged PDF whose structure tree is the reading order (Document >
 * Sect > H1–H4, P, L > LI > Lbl/LBody, Table > TR > TH (Scope) / TD, Figure with alt text and a
 * bounding box), the document's language (en-GB) and title shown as its title, page furniture
 * (footers, rules, cell shading and borders, repeated header rows) as artifacts, nested bookmarks,
 * and the BRAG word printed in every coloured cell.
 *
 * Tables are laid out here, not by PDFKit's table: columns are sized to their content so that no
 * word or date is ever broken ("30/11/202" / "0"), text wraps and is never cut, a row never
 * splits across pages, and a table that runs on repeats its header row.
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
import { OVERDUE_UNIT } from '../core/overdue.js';
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

type Level = 'H1' | 'H2' | 'H3' | 'H4';
type Struct = PDFKit.PDFStructureElement;
/** What PDFKit 0.20 accepts for a structure element; its typings lack the table scope and the layout box. */
interface StructOptions {
  alt?: string;
  scope?: 'Row' | 'Column';
  bbox?: [number, number, number, number];
  placement?: 'Block';
}
const structOptions = (o: StructOptions) => o as PDFKit.Mixins.StructureElementOptions;

interface Cell {
  text: string;
  bold?: boolean;
  fill?: string;
  colour?: string;
  align?: 'left' | 'right';
  /** Kept on one line ("Amber (at risk)"): its column is at least this wide. */
  nowrap?: boolean;
}
type CellIn = string | Cell;

export async function renderPdf(report: HighlightReportContent, options: PdfOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 56, bottom: 64, left: 56, right: 56 },
    bufferPages: true,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'en-GB',
    displayTitle: true,
    info: {
      Title: report.title,
      Author: report.signOff?.name ?? report.group.name,
      Subject: `${report.group.name}: highlight report for the meeting of ${longDate(report.meeting.date)}`,
      Keywords: [report.group.name, report.group.reportsToName, 'highlight report', longDate(report.meeting.date)].filter(Boolean).join('; '),
      Creator: 'bragbot',
      // The report's own instant, not the time of rendering: the same version gives the same file.
      CreationDate: new Date(report.asOf),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const unicode = existsSync(DEJAVU.regular) && existsSync(DEJAVU.bold) && existsSync(DEJAVU.italic);
  // Fonts are named by their source, not registered under aliases: PDFKit puts the font back
  // after each styled cell by its source, which missed the cache kept under an alias, so it
  // re-read and re-parsed the TTF for every cell (a 500-action report took ~9.5 s; report benchmark).
  const FONT = unicode
    ? { Body: DEJAVU.regular, Bold: DEJAVU.bold, Italic: DEJAVU.italic }
    : { Body: 'Helvetica', Bold: 'Helvetica-Bold', Italic: 'Helvetica-Oblique' };
  /** Text as the chosen font can show it. */
  const t = (s: string): string => (unicode ? s : s.replace(/→/g, '->').replace(/−/g, '-').replace(/[^\x20-\x7e\n\u00a0-\u00ff–—‘’“”•…€]/g, '?'));

  const root = doc.struct('Document');
  doc.addStructure(root);
  /** The structure element new content goes into: the document, or the current section. */
  let parent: Struct = root;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const left = doc.page.margins.left;
  const bottomLimit = () => doc.page.height - doc.page.margins.bottom;
  const ensure = (space: number) => {
    if (doc.y + space > bottomLimit()) doc.addPage();
  };
  /** Drawing that is page furniture, not content: kept out of the structure tree and the reading order. */
  const artifact = (draw: () => void, type: 'Layout' | 'Pagination' = 'Layout') => {
    doc.markContent('Artifact', { type });
    draw();
    doc.endMarkedContent();
  };

  /**
   * Content of a structure element, drawn inside it. A closure, not PDFKit's `structParent`
   * option: that one writes the element when its first line is drawn, so the rest of a
   * paragraph that runs onto the next page was left out of the structure tree (untagged, and
   * skipped by a screen reader). A closure's element is written when it ends, pages and all.
   */
  const tagged = (type: string, draw: () => void, into: Struct = parent, o: StructOptions = {}): Struct => {
    const el = doc.struct(type, structOptions(o));
    into.add(el);
    el.add(draw);
    el.end();
    return el;
  };

  /** A section of the paper (Sect): its heading and everything under it, until the next one. */
  const openSection = () => {
    if (parent !== root) parent.end();
    const sect = doc.struct('Sect');
    root.add(sect);
    parent = sect;
  };

  const headingStyles: Record<Level, number> = { H1: 20, H2: 15, H3: 12.5, H4: 11 };
  let outlineTop: PDFKit.PDFOutline | null = null;
  /** `keep`: room the content after the heading needs, so a heading never ends a page alone. */
  const heading = (text: string, level: Level, keep = 0) => {
    ensure((level === 'H1' ? 60 : 70) + keep);
    if (level !== 'H1') doc.moveDown(level === 'H2' ? 0.9 : 0.6);
    doc.x = left;
    doc.font(FONT.Bold).fontSize(headingStyles[level]).fillColor(INK);
    // Bookmarks follow the headings: sections at the top level, their sub-headings under them.
    if (level === 'H2') outlineTop = doc.outline.addItem(t(text));
    else if (level === 'H3') (outlineTop ?? doc.outline).addItem(t(text));
    tagged(level, () => doc.text(t(text), { width }));
    if (level === 'H2') {
      const y = doc.y + 2;
      artifact(() => doc.moveTo(left, y).lineTo(left + width, y).lineWidth(1).strokeColor(INK).stroke());
      doc.y = y + 4;
    }
    doc.moveDown(0.3);
  };
  const paragraph = (text: string, style: { font?: 'Body' | 'Bold' | 'Italic'; colour?: string; size?: number } = {}) => {
    doc.x = left;
    doc.font(FONT[style.font ?? 'Body']).fontSize(style.size ?? 10.5).fillColor(style.colour ?? INK);
    // No widows or orphans: a paragraph that would leave one line alone at the foot of a page,
    // or carry one line alone over to the next ("figure."), starts on the next page instead.
    const line = doc.currentLineHeight(true) + 2;
    const lines = Math.round(doc.heightOfString(t(text), { width, lineGap: 2 }) / line);
    const here = Math.floor((bottomLimit() - doc.y) / line);
    if (lines > here && lines < 40 && (here < 2 || lines - here < 2)) doc.addPage();
    tagged('P', () => doc.text(t(text), { width, lineGap: 2, paragraphGap: 6 }));
  };
  /** A list: L > LI > Lbl (the bullet) + LBody (the item's text, which may run onto the next page). */
  const bullets = (items: string[]) => {
    const list = doc.struct('L');
    parent.add(list);
    const indent = 18;
    for (const item of items) {
      doc.font(FONT.Body).fontSize(10.5).fillColor(INK);
      ensure(doc.currentLineHeight(true) + 4);
      const li = doc.struct('LI');
      list.add(li);
      const y = doc.y;
      tagged('Lbl', () => doc.circle(left + 7, y + doc.currentLineHeight() / 2 + 0.5, 2).fill(INK), li);
      tagged('LBody', () => {
        doc.fillColor(INK);
        doc.text(t(item), left + indent, y, { width: width - indent, lineGap: 2 });
      }, li);
      li.end();
      doc.moveDown(0.25);
    }
    list.end();
    doc.x = left;
    doc.moveDown(0.4);
  };
  const blocks = (text: string) => {
    for (const b of textBlocks(text)) {
      if (b.kind === 'subheading') heading(b.text, 'H3');
      else if (b.kind === 'list') bullets(b.items);
      else paragraph(b.lines.join('\n'));
    }
  };

  const TABLE_SIZE = 9.5;
  const PAD = { x: 4, y: 3 };
  const cellOf = (c: CellIn): Cell => (typeof c === 'string' ? { text: c } : c);
  const fontOf = (c: Cell, header: boolean) => (header || c.bold ? FONT.Bold : FONT.Body);
  const textWidth = (text: string, font: string) => {
    doc.font(font).fontSize(TABLE_SIZE);
    return doc.widthOfString(text);
  };
  /**
   * Column widths the way a browser lays out a table: every column at least as wide as its
   * longest word (so a date or a ref is never broken), the rest of the width shared in
   * proportion to how much more each column's text would like.
   */
  const columnWidths = (header: string[], rows: Cell[][]): number[] => {
    const min = header.map(() => 0);
    const natural = header.map(() => 0);
    const measure = (c: Cell, i: number, isHeader: boolean) => {
      const font = fontOf(c, isHeader);
      const whole = textWidth(t(c.text).replace(/\s+/g, ' '), font) + 2 * PAD.x + 1;
      for (const word of t(c.text).split(/\s+/)) if (word) min[i] = Math.max(min[i]!, textWidth(word, font) + 2 * PAD.x + 1);
      if (c.nowrap) min[i] = Math.max(min[i]!, whole);
      natural[i] = Math.max(natural[i]!, whole);
    };
    header.forEach((h, i) => measure({ text: h }, i, true));
    for (const r of rows) r.forEach((c, i) => measure(c, i, false));
    const sumMin = min.reduce((a, b) => a + b, 0);
    const sumNatural = natural.reduce((a, b) => a + b, 0);
    if (sumMin >= width) return min.map((m) => (m / sumMin) * width);
    // Room to spare goes to every column alike, so a short table does not balloon one wide column.
    if (sumNatural <= width) return natural.map((n) => n + (width - sumNatural) / natural.length);
    const k = (width - sumMin) / (sumNatural - sumMin);
    return min.map((m, i) => m + (natural[i]! - m) * k);
  };
  const cellHeight = (c: Cell, w: number, isHeader: boolean) => {
    doc.font(fontOf(c, isHeader)).fontSize(TABLE_SIZE);
    return doc.heightOfString(t(c.text), { width: w - 2 * PAD.x, lineGap: 1 }) + 2 * PAD.y;
  };
  /**
   * A table: a header row of column headers (TH, Scope Column), then rows whose first cell is the
   * row's header (TH, Scope Row), as the HTML paper has them. Shading and borders are artifacts.
   */
  const table = (header: string[], rowsIn: CellIn[][]) => {
    const rows = rowsIn.map((r) => r.map(cellOf));
    const widths = columnWidths(header, rows);
    const xs = widths.map((_, i) => left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const headerCells = header.map((h): Cell => ({ text: h, fill: '#f3f2f1' }));
    const heightOf = (cells: Cell[], isHeader: boolean) => Math.max(...cells.map((c, i) => cellHeight(c, widths[i]!, isHeader)));
    const headerHeight = heightOf(headerCells, true);

    const drawRow = (cells: Cell[], h: number, isHeader: boolean, tr: Struct | null) => {
      const y = doc.y;
      cells.forEach((c, i) => {
        const x = xs[i]!;
        const w = widths[i]!;
        artifact(() => {
          if (c.fill) doc.save().rect(x, y, w, h).fill(c.fill).restore();
          doc.save().lineWidth(0.5).strokeColor(RULE).rect(x, y, w, h).stroke().restore();
        });
        const draw = () => {
          doc.font(fontOf(c, isHeader)).fontSize(TABLE_SIZE).fillColor(c.colour ?? INK);
          doc.text(t(c.text), x + PAD.x, y + PAD.y, { width: w - 2 * PAD.x, lineGap: 1, align: c.align ?? 'left' });
        };
        if (!tr) {
          artifact(draw);
          return;
        }
        const type = isHeader || i === 0 ? 'TH' : 'TD';
        const cell = doc.struct(type, structOptions(isHeader ? { scope: 'Column' } : i === 0 ? { scope: 'Row' } : {}));
        tr.add(cell);
        cell.add(draw);
        cell.end();
      });
      doc.x = left;
      doc.y = y + h;
    };

    // A short table stays on one page; a long one keeps its header with its first row.
    const firstRow = rows[0] ? heightOf(rows[0], false) : 0;
    const all = headerHeight + rows.reduce((sum, r) => sum + heightOf(r, false), 0);
    ensure(all < 260 ? all + 6 : headerHeight + firstRow + 6);
    const tableStruct = doc.struct('Table');
    parent.add(tableStruct);
    const headerRow = doc.struct('TR');
    tableStruct.add(headerRow);
    drawRow(headerCells, headerHeight, true, headerRow);
    headerRow.end();
    for (const r of rows) {
      const h = heightOf(r, false);
      if (doc.y + h > bottomLimit()) {
        doc.addPage();
        // The header again on the new page, for the eye only: the structure has it once.
        drawRow(headerCells, headerHeight, true, null);
      }
      const tr = doc.struct('TR');
      tableStruct.add(tr);
      drawRow(r, h, false, tr);
      tr.end();
    }
    tableStruct.end();
    doc.x = left;
    doc.moveDown(0.8);
  };

  const num = (n: number | string, bold = false): Cell => ({ text: String(n), align: 'right', bold });
  const bragCell = (b: Brag, withMeaning = true): Cell => ({ text: withMeaning ? bragText(b) : BRAG_LABEL[b], bold: true, fill: BRAG_COLOUR[b].fill, colour: BRAG_COLOUR[b].text, nowrap: true });
  const moveText = (m: StatusMove) => `${actionLabel(m)}: ${bragText(m.from)} → ${bragText(m.to)}${m.by ? ` (${m.by}, ${longDateTime(m.at)})` : ''}`;

  // Title block
  heading(report.title, 'H1');
  paragraph(metaLine(report), { font: 'Italic', colour: GREY, size: 10 });

  openSection();
  heading('Introduction', 'H2');
  for (const p of report.introduction) blocks(p);

  for (const s of report.sections) {
    openSection();
    heading(s.heading, 'H2');
    blocks(s.text);
  }

  const plan = report.plan;
  const cmp = plan.comparison;
  openSection();
  heading(PLAN_HEADING, 'H2', 190);
  heading('At a glance', 'H3', 150);
  const glance = glanceRows(report);
  table(
    cmp ? ['Status', 'Now', `At ${cmp.label}`, 'Change'] : ['Status', 'Now'],
    [
      ...glance.rows.map((r): CellIn[] => [bragCell(r.brag), num(r.now), ...(cmp ? [num(r.before ?? ''), num(r.change ?? '')] : [])]),
      [
        { text: 'Total', bold: true },
        num(glance.total.now, true),
        ...(cmp ? [num(glance.total.before ?? '', true), num(glance.total.change ?? '', true)] : []),
      ],
    ],
  );
  if (options.chartPng) {
    const h = width / 2;
    ensure(h + 30);
    const y = doc.y;
    // The figure's alt text says the figures in words; the table above gives them as a table.
    const figure = doc.struct('Figure', structOptions({ alt: chartAltText(report), bbox: [left, y, left + width, y + h], placement: 'Block' }), () => {
      doc.image(options.chartPng!, left, y, { width, height: h });
    });
    parent.add(figure);
    doc.y = y + h + 6;
    doc.x = left;
    paragraph(`Actions by status${cmp ? `, now and at ${cmp.label}` : ''}. The table above gives the same figures.`, { colour: GREY, size: 9.5 });
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

  heading(`Overdue actions: ${plan.overdue.length}`, 'H3', 40);
  if (plan.overdue.length === 0) paragraph('No action is overdue.');
  else {
    table(
      ['Ref', 'Action', 'Owner', 'Due', `${OVERDUE_UNIT[0]!.toUpperCase()}${OVERDUE_UNIT.slice(1)} overdue`, 'Status'],
      plan.overdue.map((o): CellIn[] => [o.ref, o.activity, ownersText(o), dueText(o), num(o.daysOverdue), bragCell(o.brag, false)]),
    );
  }

  heading(`Red and Amber actions: ${plan.redAmber.length}`, 'H3', 40);
  if (plan.redAmber.length === 0) paragraph('No action is Red or Amber.');
  else {
    table(
      ['Ref', 'Action', 'Status', 'Owner', 'Latest note'],
      plan.redAmber.map((f): CellIn[] => [
        f.ref,
        f.activity,
        bragCell(f.brag),
        ownersText(f),
        f.latestNote ? `${f.latestNote.text} (${f.latestNote.by}, ${longDateOf(f.latestNote.at)})` : f.progress || 'No note yet.',
      ]),
    );
  }

  if (report.signOff) {
    ensure(60);
    doc.moveDown(1.5);
    paragraph(report.signOff.name, { font: 'Bold' });
    if (report.signOff.role) paragraph(report.signOff.role);
  }

  if (parent !== root) parent.end();
  root.end();

  // Page numbers, as artifacts (not part of the document's reading order).
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    artifact(() => {
      doc.font(FONT.Body).fontSize(8.5).fillColor(GREY)
        .text(t(`${report.title} · page ${i + 1 - range.start} of ${range.count}`), left, doc.page.height - 40, { width, align: 'center', lineBreak: false });
    }, 'Pagination');
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
