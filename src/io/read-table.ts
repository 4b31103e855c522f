/**
 * Reads a council's CSV or XLSX file into rows of cells for the pure parser.
 * XLSX is read with exceljs's streaming reader, so a 100,000-row plan does not sit in memory
 * as a workbook; CSV with csv-parse. Files that cannot be read at all raise IMPORT_UNREADABLE
 * with a message an officer can act on.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { BragbotError } from '../core/errors.js';
import { columnLetter, type Cell, type Issue, type SourceRow, type SourceTable } from '../core/import/parse-plan.js';
import { undefuseCsvCell } from '../render/csv.js';
import { cellTooLong, DEFAULT_LIMITS, tooBig, tooManyRows, type ReadLimits } from './limits.js';

export interface ReadOptions {
  /** XLSX: read only this sheet (by name). */
  sheet?: string;
  onProgress?: (rowsRead: number) => void;
  /** Give up on a workbook that makes no progress for this long (damaged data). Default 15 s. */
  idleTimeoutMs?: number;
  /** What a plan can be (rows, columns, cell size, time); DEFAULT_LIMITS unless a test narrows them. */
  limits?: Partial<ReadLimits>;
}

/** One table per sheet (a CSV is one sheet). */
export async function readTables(path: string, options: ReadOptions = {}): Promise<SourceTable[]> {
  const info = await stat(path).catch(() => null);
  if (!info || !info.isFile()) throw new BragbotError('IMPORT_UNREADABLE', `cannot read ${path}: no such file`);
  const ext = extname(path).toLowerCase();
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  if (info.size > limits.maxFileBytes) throw tooBig(basename(path), limits, info.size);
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return [await readCsvFile(path, ext === '.tsv' ? '\t' : undefined, limits)];
  if (ext === '.xlsx' || ext === '.xlsm') return readXlsxFile(path, options);
  if (ext === '.xls') throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} is an old Excel 97-2003 .xls file: open it in Excel and "Save As" Excel Workbook (.xlsx), or CSV UTF-8`);
  if (ext === '.docx' || ext === '.doc' || ext === '.pdf') throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} is a document, not a spreadsheet: copy the action plan table into Excel and save it as .xlsx or .csv`);
  throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)}: unsupported file type "${ext}" (use .xlsx or .csv)`);
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

function xlsxCell(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text; // hyperlink
    if ('result' in value) return xlsxCell((value.result ?? null) as ExcelJS.CellValue); // formula
    if ('error' in value) return String(value.error);
    return null;
  }
  return value;
}

export async function readXlsxFile(path: string, options: ReadOptions = {}): Promise<SourceTable[]> {
  const head = Buffer.alloc(4);
  const fd = await import('node:fs/promises').then((m) => m.open(path, 'r'));
  try {
    await fd.read(head, 0, 4, 0);
  } finally {
    await fd.close();
  }
  if (head[0] !== 0x50 || head[1] !== 0x4b) {
    throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} is not an Excel .xlsx workbook (the file is damaged or is another format renamed to .xlsx)`);
  }
  const sheets: { name: string; rows: SourceRow[] }[] = [];
  const file = createReadStream(path);
  // exceljs's streaming unzip never settles on some damaged deflate data (found by the hostile-input
  // tests): a watchdog turns "no progress for idleTimeoutMs" into a clear error instead of a hang.
  const idleMs = options.idleTimeoutMs ?? 15_000;
  let timer: NodeJS.Timeout | undefined;
  let failIdle: (e: Error) => void = () => undefined;
  const idle = new Promise<never>((_, reject) => (failIdle = reject));
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      file.destroy();
      failIdle(new BragbotError('IMPORT_UNREADABLE', `${basename(path)} could not be read: the workbook is damaged (its data stopped making sense part-way through). Open it in Excel and save it again.`));
    }, idleMs);
  };
  const read = async () => {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'cache', // needed to tell date cells from numbers
      worksheets: 'emit',
      entries: 'emit',
    });
    (reader as unknown as NodeJS.EventEmitter).on('entry', touch);
    let total = 0;
    for await (const worksheet of reader) {
      touch();
      const ws = worksheet as unknown as AsyncIterable<ExcelJS.Row> & { name: string };
      const rows: SourceRow[] = [];
      const wanted = options.sheet === undefined || ws.name === options.sheet;
      for await (const row of ws) {
        if (!wanted) continue;
        const values = row.values as ExcelJS.CellValue[];
        // exceljs rows are 1-based: values[0] is always empty.
        rows.push({ number: row.number, cells: values.slice(1).map(xlsxCell) });
        total += 1;
        if (total % 1000 === 0) {
          touch();
          options.onProgress?.(total);
        }
      }
      if (wanted) sheets.push({ name: ws.name, rows });
      if (options.sheet !== undefined && wanted) break;
    }
  };
  touch();
  try {
    await Promise.race([read(), idle]);
  } catch (e) {
    if (e instanceof BragbotError) throw e;
    throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} could not be read as an Excel workbook: ${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
    file.destroy();
  }
  if (options.sheet !== undefined && sheets.length === 0) {
    throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} has no sheet named "${options.sheet}"`);
  }
  if (sheets.length === 0) throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} has no worksheets`);
  return sheets.map((s) => ({ fileName: basename(path), sheet: s.name, rows: s.rows }));
}
