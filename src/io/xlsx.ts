/**
 * XLSX (SpreadsheetML) as tables of cells, read part by part whatever their order in the zip
 * (zip-xml.ts). What a cell shows is what the importer gets: shared and inline strings, numbers,
 * booleans, errors, and dates wherever the cell's number format is a date — including a formula's
 * cached value (`=DATE(2026,11,30)` formatted dd/mm/yyyy is 30/11/2026, not 46356). Only cells with
 * a value are kept, so an empty styled cell in column XFD costs nothing; rows and cells written
 * without `r=` (valid OOXML) take the next position. The fill colour of each cell comes along, for
 * BRAG cells shown only by colour.
 */
import { BragbotError } from '../core/errors.js';
import type { Cell, Issue, SourceRow, SourceTable } from '../core/import/parse-plan.js';
import { columnLetter } from '../core/import/parse-plan.js';
import { cellTooLong, tooManyRows, tooWide, type ReadLimits } from './limits.js';
import { readRelationships, ZipPackage } from './zip-xml.js';

interface Styles {
  /** cellXfs index → is a date format. */
  isDate: boolean[];
  /** cellXfs index → percent format. */
  isPercent: boolean[];
  /** cellXfs index → solid fill colour (RRGGBB) or undefined. */
  fill: (string | undefined)[];
}

/** Built-in number formats that are dates or times (ECMA-376 18.8.30). */
const BUILTIN_DATE = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);

/** A format code shows a date when it has d/m/y/h/s outside quotes, brackets and escapes. */
export function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '').replace(/\\./g, '').replace(/_./g, '').replace(/\*./g, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

async function readStyles(pkg: ZipPackage, path: string | undefined): Promise<Styles> {
  const styles: Styles = { isDate: [], isPercent: [], fill: [] };
  if (!path) return styles;
  const formats = new Map<number, string>();
  const fills: (string | undefined)[] = [];
  const xfs: { numFmtId: number; fillId: number }[] = [];
  let section = '';
  let fill: string | undefined;
  let inFill = false;
  await pkg.parse(path, {
    open: (name, a) => {
      if (name === 'numFmt' && a.numFmtId) formats.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (name === 'cellXfs' || name === 'cellStyleXfs' || name === 'fills') section = name;
      else if (name === 'fill' && section === 'fills') {
        inFill = true;
        fill = undefined;
      } else if (inFill && name === 'fgColor' && a.rgb) fill = a.rgb.slice(-6).toUpperCase();
      else if (name === 'xf' && section === 'cellXfs') xfs.push({ numFmtId: Number(a.numFmtId ?? 0), fillId: Number(a.fillId ?? 0) });
    },
    close: (name) => {
      if (name === 'fill' && inFill) {
        fills.push(fill);
        inFill = false;
      } else if (name === section) section = '';
    },
  });
  for (const xf of xfs) {
    const code = formats.get(xf.numFmtId);
    styles.isDate.push(code !== undefined ? isDateFormat(code) : BUILTIN_DATE.has(xf.numFmtId));
    styles.isPercent.push(code !== undefined ? /%/.test(code.replace(/"[^"]*"/g, '')) : xf.numFmtId === 9 || xf.numFmtId === 10);
    styles.fill.push(fills[xf.fillId]);
  }
  return styles;
}

async function readSharedStrings(pkg: ZipPackage, path: string | undefined): Promise<string[]> {
  const strings: string[] = [];
  if (!path) return strings;
  let current = '';
  let inT = false;
  let skip = 0; // inside <rPh> (phonetic runs): not part of the text
  await pkg.parse(path, {
    open: (name) => {
      if (name === 'si') current = '';
      else if (name === 't') inT = true;
      else if (name === 'rPh') skip += 1;
    },
    close: (name) => {
      if (name === 'si') strings.push(current);
      else if (name === 't') inT = false;
      else if (name === 'rPh') skip -= 1;
    },
    text: (t) => {
      if (inT && skip === 0) current += t;
    },
  });
  return strings;
}

/** "AB12" → { col: 28, row: 12 } (1-based). */
function parseRef(ref: string): { col: number; row: number } | undefined {
  const m = /^\$?([A-Z]{1,3})\$?(\d+)$/i.exec(ref);
  if (!m) return undefined;
  let col = 0;
  for (const ch of m[1]!.toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { col, row: Number(m[2]) };
}

/** An Excel serial day number as the calendar date it shows (UTC midnight), 1900 or 1904 system. */
export function excelSerialToDate(serial: number, date1904: boolean): Date {
  // 1900 system: day 60 is the fictitious 29 Feb 1900, so the epoch is 30 Dec 1899 from day 61 on.
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : serial < 61 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  return new Date(epoch + Math.round(serial * 86_400_000));
}

/** Rows a worksheet can have (Excel's own limit). */
const EXCEL_MAX_ROWS = 1_048_576;

export interface XlsxOptions {
  sheet?: string;
  onProgress?: (rowsRead: number) => void;
}

export async function readXlsx(path: string, fileName: string, limits: ReadLimits, options: XlsxOptions = {}): Promise<SourceTable[]> {
  const pkg = await ZipPackage.open(path, fileName, limits, 'an Excel .xlsx workbook');
  try {
    const root = await readRelationships(pkg, '_rels/.rels', '');
    const workbookPath = [...root.values()].find((r) => r.type.endsWith('/officeDocument'))?.target ?? 'xl/workbook.xml';
    const dir = workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1);
    const rels = await readRelationships(pkg, `${dir}_rels/${workbookPath.slice(dir.length)}.rels`, dir);
    const sheets: { name: string; rid: string }[] = [];
    let date1904 = false;
    const found = await pkg.parse(workbookPath, {
      open: (name, a) => {
        if (name === 'sheet' && a.name) sheets.push({ name: a.name, rid: a['r:id'] ?? Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1] ?? '' });
        else if (name === 'workbookPr' && (a.date1904 === '1' || a.date1904 === 'true')) date1904 = true;
      },
    });
    if (!found) throw new BragbotError('IMPORT_UNREADABLE', `${fileName} is not an Excel workbook: it has no workbook part (is it a Word or PowerPoint file renamed to .xlsx?)`);
    const byType = (suffix: string) => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target;
    const styles = await readStyles(pkg, byType('/styles'));
    const shared = await readSharedStrings(pkg, byType('/sharedStrings'));
    const wanted = options.sheet === undefined ? sheets : sheets.filter((s) => s.name === options.sheet);
    const tables: SourceTable[] = [];
    const progress = { rows: 0, elements: 0 };
    for (const s of wanted) {
      // A sheet listed without a relationship falls back to the usual part name.
      const part = rels.get(s.rid)?.target ?? `${dir}worksheets/sheet${sheets.indexOf(s) + 1}.xml`;
      tables.push(await readSheet(pkg, part, s.name, { styles, shared, date1904, limits, progress, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }));
    }
    return tables;
  } finally {
    pkg.close();
  }
}

interface SheetContext {
  styles: Styles;
  shared: string[];
  date1904: boolean;
  limits: ReadLimits;
  progress: { rows: number; elements: number };
  onProgress?: (rowsRead: number) => void;
}

async function readSheet(pkg: ZipPackage, part: string, sheet: string, ctx: SheetContext): Promise<SourceTable> {
  const { limits } = ctx;
  const rows: SourceRow[] = [];
  const errors: Issue[] = [];
  let rowNumber = 0;
  let col = 0;
  let cells: Cell[] = [];
  let fills: (string | undefined)[] | undefined;
  let cell: { type: string; style: number; col: number } | null = null;
  let text = '';
  let value: string | null = null;
  let inline: string | null = null;
  let capture: 'v' | 't' | null = null;
  let phonetic = 0;

  const finishCell = () => {
    if (!cell) return;
    const raw = cell.type === 'inlineStr' ? inline : value;
    let out: Cell = null;
    if (raw !== null && raw !== '') {
      switch (cell.type) {
        case 's':
          out = ctx.shared[Number(raw)] ?? '';
          break;
        case 'inlineStr':
        case 'str':
          out = raw;
          break;
        case 'b':
          out = raw === '1' || raw === 'true';
          break;
        case 'e':
          out = raw;
          break;
        case 'd':
          out = new Date(raw);
          break;
        default: {
          const n = Number(raw);
          if (!Number.isFinite(n)) out = raw;
          else if (ctx.styles.isDate[cell.style]) out = excelSerialToDate(n, ctx.date1904);
          else if (ctx.styles.isPercent[cell.style]) out = `${Math.round(n * 10_000) / 100}%`;
          else out = n;
        }
      }
    }
    const fill = ctx.styles.fill[cell.style];
    if (out !== null && out !== '') {
      if (cell.col > limits.maxColumns) throw tooWide(pkg.fileName, limits, `sheet "${sheet}" cell ${columnLetter(cell.col - 1)}${rowNumber}`);
      if (typeof out === 'string' && out.length > limits.maxCellChars) {
        errors.push({ row: rowNumber, column: columnLetter(cell.col - 1), message: `row ${rowNumber}: ${cellTooLong(out.length, limits)}` });
        out = `${out.slice(0, 200)}…`;
      }
      while (cells.length < cell.col - 1) cells.push(null);
      cells[cell.col - 1] = out;
    }
    if (fill !== undefined && cell.col <= limits.maxColumns) {
      fills ??= [];
      fills[cell.col - 1] = fill;
    }
    cell = null;
  };

  await pkg.parse(part, {
    open: (name, a) => {
      switch (name) {
        case 'row': {
          // Every row element counts towards the time check; only rows holding a value count against
          // maxRows, so a sheet formatted down to row 1,048,576 still imports its plan.
          ctx.progress.elements += 1;
          if (ctx.progress.elements > EXCEL_MAX_ROWS) throw tooManyRows(pkg.fileName, { ...limits, maxRows: EXCEL_MAX_ROWS }, ' (more than a worksheet can hold)');
          if (ctx.progress.elements % 5000 === 0) {
            pkg.checkTime();
            ctx.onProgress?.(ctx.progress.elements);
          }
          const r = Number(a.r);
          rowNumber = Number.isInteger(r) && r > rowNumber ? r : rowNumber + 1;
          col = 0;
          cells = [];
          fills = undefined;
          break;
        }
        case 'c': {
          const ref = a.r ? parseRef(a.r) : undefined;
          col = ref && ref.col > col ? ref.col : col + 1;
          cell = { type: a.t ?? 'n', style: Number(a.s ?? 0), col };
          value = null;
          inline = null;
          break;
        }
        case 'v':
          capture = 'v';
          text = '';
          break;
        case 'is':
          inline = '';
          break;
        case 't':
          if (inline !== null) {
            capture = 't';
            text = '';
          }
          break;
        case 'rPh':
          phonetic += 1;
          break;
      }
    },
    text: (t) => {
      if (capture !== null && phonetic === 0) text += t;
    },
    close: (name) => {
      switch (name) {
        case 'v':
          value = text;
          capture = null;
          break;
        case 't':
          if (capture === 't') inline = (inline ?? '') + text;
          capture = null;
          break;
        case 'rPh':
          phonetic -= 1;
          break;
        case 'c':
          finishCell();
          break;
        case 'row':
          if (cells.length > 0) {
            ctx.progress.rows += 1;
            if (ctx.progress.rows > limits.maxRows) throw tooManyRows(pkg.fileName, limits);
            // A row with colours and no words is dropped: a BRAG shown by colour alone has its action beside it.
            rows.push({ number: rowNumber, cells, ...(fills ? { fills } : {}) });
          }
          break;
      }
    },
  });
  return { fileName: pkg.fileName, sheet, rows, ...(errors.length ? { errors } : {}) };
}
