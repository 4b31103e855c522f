/**
 * Word documents (.docx): the plan in a committee paper is a Word table (York's delivery plan,
 * seed 000). word/document.xml is streamed through the zip + SAX reader; each top-level table is
 * laid out as rows of cells:
 *  - a cell of several paragraphs is one cell with a line per paragraph;
 *  - a cell merged across columns (w:gridSpan — York's objective headings) fills its first column
 *    and leaves the rest blank, so it reads as a heading row;
 *  - a cell merged down (w:vMerge) is the text of the cell it continues;
 *  - a cell's shading (w:shd w:fill) comes along for BRAG cells shown only by colour;
 *  - a header row repeated on each page is left to the parser, which skips repeats.
 * The tables that hold the plan (the first with a header the parser recognises, and the tables
 * after it that continue it: the same header, or the same number of columns) become one table;
 * paragraphs before the plan are rows above it (the title), paragraphs between its tables are rows
 * between (objective headings written outside the table). Rows are numbered from the top of the
 * document, one per paragraph or table row, so a warning's "row 14" can be found.
 */
import { looksLikeHeader, mapHeaders } from '../core/import/layout.js';
import type { Cell, Issue, SourceRow, SourceTable } from '../core/import/parse-plan.js';
import { columnLetter } from '../core/import/parse-plan.js';
import { BragbotError } from '../core/errors.js';
import { cellTooLong, tooManyRows, tooWide, type ReadLimits } from './limits.js';
import { ZipPackage } from './zip-xml.js';

type Block = { kind: 'paragraph'; text: string } | { kind: 'table'; rows: { cells: string[]; fills: (string | undefined)[]; merged: boolean[] }[] };

export async function readDocx(path: string, fileName: string, limits: ReadLimits): Promise<SourceTable> {
  const pkg = await ZipPackage.open(path, fileName, limits, 'a Word .docx document');
  const blocks: Block[] = [];
  try {
    let tableDepth = 0;
    let rows: Extract<Block, { kind: 'table' }>['rows'] = [];
    let row: { cells: string[]; fills: (string | undefined)[]; merged: boolean[] } | null = null;
    let cellParas: string[] = [];
    let span = 1;
    let vMerge: 'restart' | 'continue' | null = null;
    let fill: string | undefined;
    let para: string | null = null;
    let inText = false;
    let deleted = 0;
    let rowsRead = 0;
    const found = await pkg.parse('word/document.xml', {
      open: (name, a) => {
        switch (name) {
          case 'tbl':
            tableDepth += 1;
            if (tableDepth === 1) rows = [];
            break;
          case 'tr':
            if (tableDepth === 1) {
              rowsRead += 1;
              if (rowsRead > limits.maxRows) throw tooManyRows(fileName, limits); // table rows: Word has no blank rest
              if (rowsRead % 5000 === 0) pkg.checkTime();
              row = { cells: [], fills: [], merged: [] };
            }
            break;
          case 'tc':
            if (tableDepth === 1) {
              cellParas = [];
              span = 1;
              vMerge = null;
              fill = undefined;
            }
            break;
          case 'gridSpan':
            if (tableDepth === 1) span = Math.max(1, Math.min(limits.maxColumns + 1, Number(a['w:val'] ?? 1) || 1));
            break;
          case 'vMerge':
            if (tableDepth === 1) vMerge = a['w:val'] === 'restart' ? 'restart' : 'continue';
            break;
          case 'shd':
            if (tableDepth === 1 && a['w:fill'] && /^[0-9a-f]{6}$/i.test(a['w:fill'])) fill = a['w:fill'].toUpperCase();
            break;
          case 'p':
            para = '';
            break;
          case 't':
            inText = true;
            break;
          case 'tab':
            if (para !== null && deleted === 0) para += '\t';
            break;
          case 'br':
          case 'cr':
            if (para !== null && deleted === 0) para += '\n';
            break;
          case 'del':
            deleted += 1; // tracked deletions are not the document's text
            break;
        }
      },
      text: (t) => {
        if (inText && para !== null && deleted === 0) para += t;
      },
      close: (name) => {
        switch (name) {
          case 't':
            inText = false;
            break;
          case 'del':
            deleted -= 1;
            break;
          case 'p':
            if (para === null) break;
            if (tableDepth > 0) cellParas.push(para);
            else if (para.trim() !== '') blocks.push({ kind: 'paragraph', text: para });
            para = null;
            break;
          case 'tc':
            if (tableDepth === 1 && row) {
              const text = cellParas.join('\n').replace(/\n+$/, '');
              const at = row.cells.length;
              if (at + span > limits.maxColumns && text.trim() !== '') throw tooWide(fileName, limits, `a table cell in column ${at + 1}`);
              for (let k = 0; k < span && at + k < limits.maxColumns; k++) {
                row.cells.push(k === 0 ? text : '');
                row.fills.push(k === 0 ? fill : undefined);
                row.merged.push(k === 0 && vMerge === 'continue');
              }
            }
            break;
          case 'tr':
            if (tableDepth === 1 && row) rows.push(row);
            row = null;
            break;
          case 'tbl':
            if (tableDepth === 1) blocks.push({ kind: 'table', rows });
            tableDepth -= 1;
            break;
        }
      },
    });
    if (!found) throw new BragbotError('IMPORT_UNREADABLE', `${fileName} is not a Word document: it has no word/document.xml`);
  } finally {
    pkg.close();
  }
  return planTable(blocks, fileName, limits);
}

const headerOf = (rows: Extract<Block, { kind: 'table' }>['rows']): string[] | undefined => {
  for (const r of rows.slice(0, 5)) if (looksLikeHeader(mapHeaders(r.cells))) return r.cells;
  return undefined;
};

/** The plan's tables (and the paragraphs around them) as one table of rows. */
function planTable(blocks: Block[], fileName: string, limits: ReadLimits): SourceTable {
  const first = blocks.findIndex((b) => b.kind === 'table' && headerOf(b.rows) !== undefined);
  if (first < 0) {
    // No plan table: the paragraphs as rows, so the parser says what it looked for and did not find.
    return { fileName, rows: blocks.filter((b) => b.kind === 'paragraph').slice(0, 40).map((b, i) => ({ number: i + 1, cells: [b.text] })) };
  }
  const header = headerOf((blocks[first] as Extract<Block, { kind: 'table' }>).rows)!;
  const chosen: Block[] = blocks.slice(0, first).filter((b) => b.kind === 'paragraph');
  let pending: Block[] = [];
  for (const b of blocks.slice(first)) {
    if (b.kind === 'paragraph') {
      pending.push(b);
      continue;
    }
    const own = headerOf(b.rows);
    const continues = b === blocks[first] || (own !== undefined ? own.join('\u0000') === header.join('\u0000') : b.rows.every((r) => r.cells.length === header.length || r.cells.filter((c) => c !== '').length <= 1));
    if (!continues) break;
    chosen.push(...pending, b);
    pending = [];
  }

  const rows: SourceRow[] = [];
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  let n = 0;
  for (const b of chosen) {
    if (b.kind === 'paragraph') {
      rows.push({ number: ++n, cells: [b.text] });
      continue;
    }
    let above: string[] = [];
    for (const r of b.rows) {
      n += 1;
      const cells: Cell[] = r.cells.map((c, i) => {
        if (r.merged[i]) {
          // A cell merged down shows the text of the cell it continues.
          if ((above[i] ?? '') !== '') warnings.push({ row: n, column: columnLetter(i), message: `this cell is merged with the one above: read it as "${short(above[i]!)}"` });
          return above[i] ?? '';
        }
        if (c.length > limits.maxCellChars) {
          errors.push({ row: n, column: columnLetter(i), message: `row ${n}: ${cellTooLong(c.length, limits)}` });
          return `${c.slice(0, 200)}…`;
        }
        return c;
      });
      above = cells.map((c) => (typeof c === 'string' ? c : ''));
      const fills = r.fills.some((f) => f !== undefined) ? r.fills : undefined;
      rows.push({ number: n, cells, ...(fills ? { fills } : {}) });
    }
  }
  return { fileName, rows, ...(warnings.length ? { warnings } : {}), ...(errors.length ? { errors } : {}) };
}

const short = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);
