/**
 * OpenDocument spreadsheets (.ods, LibreOffice Calc) as tables of cells: content.xml streamed
 * through the same zip + SAX reader as XLSX, under the same limits. Repeated rows and columns
 * (LibreOffice writes the empty rest of a sheet as one row repeated 1,048,000 times) are skipped
 * without being laid out; repeated cells with a value count against the limits like any other.
 * Dates come from office:date-value, paragraphs of a cell are its lines, and a cell's background
 * colour comes along for BRAG cells shown only by colour.
 */
import type { Cell, Issue, SourceRow, SourceTable } from '../core/import/parse-plan.js';
import { columnLetter } from '../core/import/parse-plan.js';
import { BragbotError } from '../core/errors.js';
import { cellTooLong, tooManyRows, tooWide, type ReadLimits } from './limits.js';
import { ZipPackage } from './zip-xml.js';

export async function readOds(path: string, fileName: string, limits: ReadLimits, options: { sheet?: string } = {}): Promise<SourceTable[]> {
  const pkg = await ZipPackage.open(path, fileName, limits, 'an OpenDocument spreadsheet (.ods)');
  try {
    const tables: SourceTable[] = [];
    const styleFill = new Map<string, string>();
    let styleName: string | null = null;
    let sheet: { name: string; rows: SourceRow[]; errors: Issue[]; wanted: boolean } | null = null;
    let rowNumber = 0;
    let rowRepeat = 1;
    let cells: Cell[] = [];
    let fills: (string | undefined)[] | undefined;
    let col = 0;
    let cell: { type: string; attrs: Record<string, string>; repeat: number; covered: boolean } | null = null;
    let paragraphs: string[] = [];
    let para: string | null = null;
    let depth = 0; // nested tables (a table inside a cell): their text belongs to the outer cell
    let annotation = 0;
    let elements = 0; // row elements read (time checks; a sheet cannot hold more than 1,048,576)
    let filledRows = 0; // rows holding a value, repeats counted: these count against maxRows

    const finishCell = () => {
      if (!cell || !sheet) return;
      const c = cell;
      cell = null;
      const text = paragraphs.join('\n');
      let value: Cell = null;
      if (!c.covered) {
        if (c.type === 'date' && c.attrs['office:date-value']) {
          const d = /^(\d{4})-(\d{2})-(\d{2})/.exec(c.attrs['office:date-value']);
          value = d ? new Date(Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]))) : text;
        } else if ((c.type === 'float' || c.type === 'currency') && c.attrs['office:value'] !== undefined) {
          const n = Number(c.attrs['office:value']);
          value = Number.isFinite(n) ? n : text;
        } else if (c.type === 'percentage') {
          value = text || `${Number(c.attrs['office:value'] ?? 0) * 100}%`;
        } else if (c.type === 'boolean') {
          value = c.attrs['office:boolean-value'] === 'true';
        } else {
          value = c.attrs['office:string-value'] ?? text;
        }
      }
      const fill = c.attrs['table:style-name'] ? styleFill.get(c.attrs['table:style-name']) : undefined;
      const has = value !== null && value !== '';
      if (!has && !fill) {
        col += c.repeat;
        return;
      }
      const start = col;
      const times = has ? c.repeat : Math.min(c.repeat, Math.max(0, limits.maxColumns - start));
      for (let k = 1; k <= times; k++) {
        const at = start + k;
        if (at > limits.maxColumns) throw tooWide(fileName, limits, `sheet "${sheet.name}" cell ${columnLetter(at - 1)}${rowNumber + 1}`);
        if (has) {
          let v = value;
          if (typeof v === 'string' && v.length > limits.maxCellChars) {
            sheet.errors.push({ row: rowNumber + 1, column: columnLetter(at - 1), message: `row ${rowNumber + 1}: ${cellTooLong(v.length, limits)}` });
            v = `${v.slice(0, 200)}…`;
          }
          while (cells.length < at - 1) cells.push(null);
          cells[at - 1] = v;
        }
        if (fill) (fills ??= [])[at - 1] = fill;
      }
      col = start + c.repeat;
    };

    await pkg.parse('content.xml', {
      open: (name, a) => {
        if (name === 'style' && a['style:family'] === 'table-cell') styleName = a['style:name'] ?? null;
        else if (name === 'table-cell-properties' && styleName && a['fo:background-color'] && a['fo:background-color'] !== 'transparent') {
          styleFill.set(styleName, a['fo:background-color'].replace('#', '').toUpperCase());
        } else if (name === 'table') {
          depth += 1;
          if (depth === 1) {
            const sheetName = a['table:name'] ?? `Sheet${tables.length + 1}`;
            sheet = { name: sheetName, rows: [], errors: [], wanted: options.sheet === undefined || options.sheet === sheetName };
            rowNumber = 0;
          }
        } else if (depth === 1 && name === 'table-row' && sheet) {
          rowRepeat = Math.max(1, Number(a['table:number-rows-repeated'] ?? 1) || 1);
          cells = [];
          fills = undefined;
          col = 0;
        } else if (depth === 1 && (name === 'table-cell' || name === 'covered-table-cell')) {
          cell = { type: a['office:value-type'] ?? '', attrs: a, repeat: Math.max(1, Number(a['table:number-columns-repeated'] ?? 1) || 1), covered: name === 'covered-table-cell' };
          paragraphs = [];
        } else if (name === 'annotation') annotation += 1;
        else if (cell && annotation === 0 && (name === 'p' || name === 'h')) para = '';
        else if (para !== null && annotation === 0) {
          if (name === 's') para += ' '.repeat(Math.min(1000, Number(a['text:c'] ?? 1) || 1));
          else if (name === 'tab') para += '\t';
          else if (name === 'line-break') para += '\n';
        }
      },
      text: (t) => {
        if (para !== null && annotation === 0) para += t;
      },
      close: (name) => {
        if (name === 'style') styleName = null;
        else if (name === 'annotation') annotation -= 1;
        else if ((name === 'p' || name === 'h') && para !== null && annotation === 0) {
          paragraphs.push(para);
          para = null;
        } else if (depth === 1 && (name === 'table-cell' || name === 'covered-table-cell')) finishCell();
        else if (depth === 1 && name === 'table-row' && sheet) {
          elements += 1;
          if (elements % 5000 === 0) pkg.checkTime();
          if (elements > 1_048_576) throw tooManyRows(fileName, { ...limits, maxRows: 1_048_576 }, ' (more than a sheet can hold)');
          // Repeated empty rows are the sheet's blank rest: skipped, not laid out.
          if (cells.length > 0) {
            filledRows += rowRepeat;
            if (filledRows > limits.maxRows) throw tooManyRows(fileName, limits);
            for (let k = 0; k < rowRepeat; k++) {
              if (sheet.wanted) sheet.rows.push({ number: rowNumber + 1 + k, cells: [...cells], ...(fills ? { fills: [...fills] } : {}) });
            }
          }
          rowNumber += rowRepeat;
        } else if (name === 'table') {
          depth -= 1;
          if (depth === 0 && sheet) {
            if (sheet.wanted) tables.push({ fileName, sheet: sheet.name, rows: sheet.rows, ...(sheet.errors.length ? { errors: sheet.errors } : {}) });
            sheet = null;
          }
        }
      },
    }).then((found) => {
      if (!found) throw new BragbotError('IMPORT_UNREADABLE', `${fileName} is not an OpenDocument spreadsheet: it has no content.xml`);
    });
    return tables;
  } finally {
    pkg.close();
  }
}
