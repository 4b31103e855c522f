/**
 * Every CSV bragbot writes goes through here (plan export, audit trail), so none can carry a
 * formula into the spreadsheet that opens it.
 */
import { stringify } from 'csv-stringify/sync';

/** Characters a spreadsheet reads as the start of a formula (or that can smuggle one in). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A spreadsheet opening the CSV would run a cell starting with = + - @ (or a tab or CR before one)
 * as a formula (CSV injection): such cells get a leading apostrophe, as OWASP advises. Excel shows
 * the cell without it; bragbot's CSV reader takes it off again (undefuseCsvCell), so a plan
 * exported and re-imported is unchanged.
 */
export function defuseCsvCell(cell: string): string {
  return needsDefusing(cell) ? `'${cell}` : cell;
}

/**
 * Starts with a formula character, or with apostrophes before one: a cell that already reads "'=x"
 * gets another apostrophe too, so the reader's inverse gives every cell back exactly (found by the
 * round-trip property).
 */
function needsDefusing(cell: string): boolean {
  let i = 0;
  while (cell[i] === "'") i += 1;
  return FORMULA_START.test(cell.slice(i));
}

/** The reader's inverse of defuseCsvCell: "'=SUM(A1)" as written by a defusing writer reads "=SUM(A1)". */
export function undefuseCsvCell(cell: string): string {
  return cell.startsWith("'") && needsDefusing(cell.slice(1)) ? cell.slice(1) : cell;
}

export interface CsvOptions {
  /** CRLF line ends (what Excel writes); default LF. */
  windows?: boolean;
}

/** UTF-8 with a BOM, so Excel reads names and en dashes correctly when the file is double-clicked. */
export function renderCsv(rows: readonly (readonly string[])[], options: CsvOptions = {}): string {
  // A bare CR is a line end to Excel: quote it (csv-stringify quotes only the record delimiter).
  return `\uFEFF${stringify(rows.map((r) => r.map(defuseCsvCell)), { record_delimiter: options.windows ? 'windows' : 'unix', quoted_match: /\r/ })}`;
}
