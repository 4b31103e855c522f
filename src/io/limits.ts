/**
 * What a plan can be (issue 19): the readers stop at these, with an error naming the limit, so a
 * small hostile file (a styled cell in column XFD on a million rows, a sheet claiming A1:XFD1048576,
 * a zip bomb, a 20 MB cell) ends in seconds instead of stalling the importer. Real plans are a few
 * hundred rows; the benchmark imports 100,000.
 */
import { BragbotError } from '../core/errors.js';

export interface ReadLimits {
  /** Rows read, over every sheet (a row element, even an empty one, counts). */
  maxRows: number;
  /** The last column a value may sit in (1-based: 256 = IV). Empty styled cells further out are ignored. */
  maxColumns: number;
  /** Characters in one cell: Excel's own limit. A longer cell is a row error. */
  maxCellChars: number;
  /** Size of the file itself. */
  maxFileBytes: number;
  /** Uncompressed bytes read out of a workbook's zip, all parts together (zip bombs). */
  maxUnzippedBytes: number;
  /** Wall time for reading the file. */
  maxReadMs: number;
}

export const DEFAULT_LIMITS: ReadLimits = {
  maxRows: 250_000,
  maxColumns: 256,
  maxCellChars: 32_767,
  maxFileBytes: 100 * 1024 * 1024,
  maxUnzippedBytes: 1024 * 1024 * 1024,
  maxReadMs: 120_000,
};

const n = (x: number) => x.toLocaleString('en-GB');

export function limitError(file: string, what: string): BragbotError {
  return new BragbotError('IMPORT_UNREADABLE', `${file} is larger than a plan can be: ${what}. If this really is one plan, split it into several files; if it is not, check you picked the right file.`);
}

export const tooManyRows = (file: string, limits: ReadLimits, where = '') =>
  limitError(file, `it has more than ${n(limits.maxRows)} rows${where} (bragbot reads at most ${n(limits.maxRows)} rows)`);
export const tooWide = (file: string, limits: ReadLimits, where: string) =>
  limitError(file, `${where} holds a value beyond column ${n(limits.maxColumns)} (bragbot reads at most ${n(limits.maxColumns)} columns)`);
export const tooBig = (file: string, limits: ReadLimits, bytes: number) =>
  limitError(file, `the file is ${n(Math.round(bytes / 1024 / 1024))} MB (bragbot reads files of at most ${n(limits.maxFileBytes / 1024 / 1024)} MB)`);
export const unzipsTooBig = (file: string, limits: ReadLimits) =>
  limitError(file, `its contents unpack to more than ${n(limits.maxUnzippedBytes / 1024 / 1024)} MB (bragbot unpacks at most ${n(limits.maxUnzippedBytes / 1024 / 1024)} MB)`);
export const tooSlow = (file: string, limits: ReadLimits) =>
  limitError(file, `reading it took longer than ${n(limits.maxReadMs / 1000)} s (bragbot gives a file at most ${n(limits.maxReadMs / 1000)} s to read)`);

export const cellTooLong = (chars: number, limits: ReadLimits) =>
  `a cell holds ${n(chars)} characters; a cell can hold at most ${n(limits.maxCellChars)} (Excel's own limit): shorten it or move the text to a linked document`;
