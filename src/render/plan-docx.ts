/**
 * A plan as a Word table, the way committee papers carry it (issue 13.6): the file's title, then
 * one table per sheet whose header row repeats on each page, objective headings as rows merged
 * across the table, a cell's lines as paragraphs, BRAG cells shaded with the word always in them.
 * bragbot's .docx reader (src/io/docx.ts) reads it back to the same plan.
 */
import { Document, HeadingLevel, Packer, PageOrientation, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { Brag } from '../core/brag.js';
import type { ExportSheet } from '../core/import/export-layout.js';

/** Word shading per BRAG (RRGGBB), as councils colour the cell. */
export const BRAG_SHADING: Record<Brag, string | null> = { blue: '9DC3E6', red: 'FF9999', amber: 'FFD966', green: 'A9D08E', unrated: null };

const paragraphs = (text: string, bold = false): Paragraph[] =>
  (text === '' ? [''] : text.split('\n')).map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] }));

export async function renderPlanDocx(sheets: ExportSheet[], meta: { title: string; creator?: string }): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [];
  sheets.forEach((sheet, k) => {
    const preamble = sheet.rows.filter((r) => r.kind === 'preamble' && r.cells.some((c) => c !== ''));
    if (k === 0 && preamble.length === 0) children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(meta.title)] }));
    for (const r of preamble) children.push(new Paragraph({ heading: k === 0 && r === preamble[0] ? HeadingLevel.HEADING_1 : undefined, children: [new TextRun(r.cells.filter((c) => c !== '').join(' '))] }));
    if (sheets.length > 1 && sheet.name && preamble.length === 0) children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(sheet.name)] }));
    const header = sheet.rows.find((r) => r.kind === 'header')!;
    const width = header.cells.length;
    const bragCol = sheet.layout.fields.brag;
    const rows = sheet.rows.filter((r) => r.kind !== 'preamble').map((r) => {
      if (r.kind === 'heading') {
        const text = r.cells.find((c) => c !== '') ?? '';
        return new TableRow({ cantSplit: true, children: [new TableCell({ columnSpan: width, shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'D9D9D9' }, children: paragraphs(text, true) })] });
      }
      return new TableRow({
        tableHeader: r.kind === 'header',
        children: r.cells.map((c, i) => {
          const fill = r.kind === 'action' && i === bragCol && r.brag ? BRAG_SHADING[r.brag] : null;
          return new TableCell({ ...(fill ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill } } : {}), children: paragraphs(c, r.kind === 'header') });
        }),
      });
    });
    children.push(new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows }));
  });
  const doc = new Document({
    creator: meta.creator ?? 'bragbot',
    title: meta.title,
    sections: [{ properties: { page: { size: { orientation: PageOrientation.LANDSCAPE } } }, children }],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}
