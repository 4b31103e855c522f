/**
 * Reads a council's plan file into rows of cells for the pure parser: CSV with csv-parse; XLSX,
 * ODS and DOCX with bragbot's own streaming readers over JSZip + saxes (io/xlsx.ts, io/ods.ts,
 * io/docx.ts), which read the parts in any order and stop at the limits of what a plan can be
 * (io/limits.ts). Files that cannot be read at all raise IMPORT_UNREADABLE with a message an
 * officer can act on.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { BragbotError } from '../core/errors.js';
import { columnLetter, type Issue, type SourceRow, type SourceTable } from '../core/import/parse-plan.js';
import { undefuseCsvCell } from '../render/csv.js';
import { readDocx } from './docx.js';
import { cellTooLong, DEFAULT_LIMITS, tooBig, tooManyRows, type ReadLimits } from './limits.js';
import { readOds } from './ods.js';
import { readXlsx } from './xlsx.js';

export interface ReadOptions {
  /** XLSX: read only this sheet (by name). */
  sheet?: string;
  onProgress?: (rowsRead: number) => void;
  /** Give up on reading after this long (a shorter limits.maxReadMs; tests of damaged files use it). */
  idleTimeoutMs?: number;
  /** What a plan can be (rows, columns, cell size, time); DEFAULT_LIMITS unless a test narrows them. */
  limits?: Partial<ReadLimits>;
}

/** One table per sheet (a CSV is one sheet). */
export async function readTables(path: string, options: ReadOptions = {}): Promise<SourceTable[]> {
  const info = await stat(path).catch(() => null);
  if (!info || !info.isFile()) throw new BragbotError('IMPORT_UNREADABLE', `cannot read ${path}: no such file`);
  const ext = extname(path).toLowerCase();
  const limits = { ...DEFAULT_LIMITS, ...(options.idleTimeoutMs ? { maxReadMs: options.idleTimeoutMs } : {}), ...options.limits };
  if (info.size > limits.maxFileBytes) throw tooBig(basename(path), limits, info.size);
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return [await readCsvFile(path, ext === '.tsv' ? '\t' : undefined, limits)];
  if (ext === '.xlsx' || ext === '.xlsm') return readXlsxFile(path, { ...options, limits });
  if (ext === '.ods') return checkSheets(await readOds(path, basename(path), limits, options.sheet !== undefined ? { sheet: options.sheet } : {}), basename(path), options.sheet);
  if (ext === '.docx') return [await readDocx(path, basename(path), limits)];
  if (ext === '.xls') throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} is an old Excel 97-2003 .xls file: open it in Excel and "Save As" Excel Workbook (.xlsx), or CSV UTF-8`);
  if (ext === '.doc') throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} is an old Word 97-2003 .doc file: open it in Word and "Save As" Word Document (.docx)`);
  if (ext === '.pdf') throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} is a PDF: open the paper in Word (or copy the action plan table into Excel) and save it as .docx, .xlsx or .csv`);
  throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)}: unsupported file type "${ext}" (use .xlsx, .ods, .docx or .csv)`);
}

/**
 * Council exports are often Windows-1252 ("Children’s" with a curly apostrophe): detect and decode.
 * `invalidAt` is the byte offset of the first byte that is not UTF-8 when the file was re-read as
 * Windows-1252, so the importer can warn (a file that is neither reads as "Ã( ¡ÿþÀ¯").
 */
function decode(buf: Buffer): { text: string; invalidAt?: number } {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString('utf8') };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: buf.subarray(2).toString('utf16le') };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf) };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(buf), invalidAt: firstInvalidUtf8(buf) };
  }
}

/** Offset of the first byte sequence that is not valid UTF-8 (a plain scan: lead byte, then continuations). */
function firstInvalidUtf8(buf: Buffer): number {
  for (let i = 0; i < buf.length; ) {
    const b = buf[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (((buf[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return buf.length;
}

/**
 * Excel in some locales saves "CSV" with semicolons. Decide once from the first lines which
 * separator the file uses: accepting all three at once would split "Objective 3; Achieving…".
 */
export function sniffDelimiter(text: string): string {
  const sample = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 5).join('\n');
  const count = (d: string) => sample.split(d).length - 1;
  const best = [',', ';', '\t'].map((d) => ({ d, n: count(d) })).sort((a, b) => b.n - a.n)[0]!;
  return best.n > 0 ? best.d : ',';
}

export async function readCsvFile(path: string, delimiter?: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<SourceTable> {
  const buf = await readFile(path);
  if (buf.includes(0)) {
    throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} is not a text CSV file (it contains binary data): if it is an Excel file, give it the .xlsx extension`);
  }
  const { text, invalidAt } = decode(buf);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      relax_column_count: true,
      skip_empty_lines: false,
      delimiter: delimiter ?? sniffDelimiter(text),
      bom: true,
      info: true,
      // Memory is bounded by the file size limit; a cell longer than Excel allows is a row error below.
      to: limits.maxRows + 1,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} is not valid CSV${line ? ` (near line ${line})` : ''}: ${(e as Error).message}`);
  }
  if (records.length > limits.maxRows) throw tooManyRows(basename(path), limits);
  const warnings: Issue[] = [];
  const errors: Issue[] = [];
  if (invalidAt !== undefined) {
    const line = buf.subarray(0, invalidAt).reduce((n, b) => (b === 0x0a ? n + 1 : n), 1);
    const row = (records.findIndex((r) => r.info.lines >= line) + 1) || 1;
    warnings.push({ row, message: `the file is not UTF-8 (first odd byte on line ${line}): read it as Windows-1252, as Excel saves "CSV" on Windows; check accented letters and curly quotes came out right, or save it again as "CSV UTF-8"` });
  }
  const rows: SourceRow[] = records.map(({ record }, i) => {
    const cells = record.map((c, col) => {
      if (c.length <= limits.maxCellChars) return undefuseCsvCell(c);
      errors.push({ row: i + 1, column: columnLetter(col), message: `row ${i + 1}: ${cellTooLong(c.length, limits)}` });
      // Keep only the start, so the row's other checks still read it and nothing huge is held.
      return `${c.slice(0, 200)}…`;
    });
    return { number: i + 1, cells };
  });
  return { fileName: basename(path), rows, ...(warnings.length ? { warnings } : {}), ...(errors.length ? { errors } : {}) };
}

export async function readXlsxFile(path: string, options: ReadOptions = {}): Promise<SourceTable[]> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const fileName = basename(path);
  const tables = await readXlsx(path, fileName, limits, {
    ...(options.sheet !== undefined ? { sheet: options.sheet } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return checkSheets(tables, fileName, options.sheet);
}

function checkSheets(tables: SourceTable[], fileName: string, sheet: string | undefined): SourceTable[] {
  if (sheet !== undefined && tables.length === 0) throw new BragbotError('IMPORT_UNREADABLE', `${fileName} has no sheet named "${sheet}"`);
  if (tables.length === 0) throw new BragbotError('IMPORT_UNREADABLE', `${fileName} has no worksheets`);
  return tables;
}
