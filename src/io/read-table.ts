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
import type { Cell, SourceRow, SourceTable } from '../core/import/parse-plan.js';

export interface ReadOptions {
  /** XLSX: read only this sheet (by name). */
  sheet?: string;
  onProgress?: (rowsRead: number) => void;
  /** Give up on a workbook that makes no progress for this long (damaged data). Default 15 s. */
  idleTimeoutMs?: number;
}

/** One table per sheet (a CSV is one sheet). */
export async function readTables(path: string, options: ReadOptions = {}): Promise<SourceTable[]> {
  const info = await stat(path).catch(() => null);
  if (!info || !info.isFile()) throw new BragbotError('IMPORT_UNREADABLE', `cannot read ${path}: no such file`);
  const ext = extname(path).toLowerCase();
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return [await readCsvFile(path, ext === '.tsv' ? '\t' : undefined)];
  if (ext === '.xlsx' || ext === '.xlsm') return readXlsxFile(path, options);
  if (ext === '.xls') throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} is an old Excel 97-2003 .xls file: open it in Excel and "Save As" Excel Workbook (.xlsx), or CSV UTF-8`);
  if (ext === '.docx' || ext === '.doc' || ext === '.pdf') throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} is a document, not a spreadsheet: copy the action plan table into Excel and save it as .xlsx or .csv`);
  throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)}: unsupported file type "${ext}" (use .xlsx or .csv)`);
}

/** Council exports are often Windows-1252 ("Children’s" with a curly apostrophe): detect and decode. */
function decode(buf: Buffer): string {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  const utf8 = buf.toString('utf8');
  if (!utf8.includes('\uFFFD')) return utf8;
  return new TextDecoder('windows-1252').decode(buf);
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

export async function readCsvFile(path: string, delimiter?: string): Promise<SourceTable> {
  const buf = await readFile(path);
  if (buf.includes(0)) {
    throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} is not a text CSV file (it contains binary data): if it is an Excel file, give it the .xlsx extension`);
  }
  const text = decode(buf);
  let records: string[][];
  try {
    records = parseCsv(text, {
      relax_column_count: true,
      skip_empty_lines: false,
      delimiter: delimiter ?? sniffDelimiter(text),
      bom: true,
    }) as string[][];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new BragbotError('IMPORT_UNREADABLE', `${basename(path)} is not valid CSV${line ? ` (near line ${line})` : ''}: ${(e as Error).message}`);
  }
  const rows: SourceRow[] = records.map((cells, i) => ({ number: i + 1, cells }));
  return { fileName: basename(path), rows };
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
