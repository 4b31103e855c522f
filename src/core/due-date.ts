/**
 * Due dates as councils write them. Always UK day-first. The raw text is kept beside the
 * parsed value, so nothing a plan says is ever lost by parsing it.
 */
export type DueKind = 'date' | 'ongoing' | 'month' | 'unknown';

export interface DueDate {
  kind: DueKind;
  /** 'YYYY-MM-DD'; for a month, its last day (when it becomes overdue). */
  date: string | null;
  raw: string;
}

export type DueDateParse =
  | { ok: true; due: DueDate; guess?: string }
  | { ok: false; reason: string };

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
  nov: 11, november: 11, dec: 12, december: 12,
};

const ONGOING = /^(on[\s-]?going|continuous(ly)?|continual|rolling|business as usual|bau)\b/i;
const RECURRING = /^(monthly|quarterly|annually|annual|yearly|termly|weekly|every\b)/i;

const short = (s: string): string => (s.length > 60 ? `${s.slice(0, 59)}…` : s);

export const pad2 = (n: number): string => String(n).padStart(2, '0');
export const isoDate = (y: number, m: number, d: number): string => `${y}-${pad2(m)}-${pad2(d)}`;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fullYear(y: string): number {
  const n = Number(y);
  return y.length <= 2 ? 2000 + n : n;
}

function validDate(y: number, m: number, d: number): boolean {
  return y >= 1990 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** A spreadsheet date cell arrives as a JS Date at UTC midnight (exceljs): take its calendar date. */
export function dueDateFromCell(value: Date, raw?: string): DueDate {
  const date = isoDate(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  return { kind: 'date', date, raw: raw ?? `${pad2(value.getUTCDate())}/${pad2(value.getUTCMonth() + 1)}/${value.getUTCFullYear()}` };
}

/**
 * Parses a "By When" cell. Free text that is not a date ("TBC", "Summer term") becomes
 * kind 'unknown' with a guess note (the importer warns); something shaped like a date that
 * cannot be one ("31/13/2021") is refused, because silently ignoring it would make an action
 * that should be overdue never be.
 */
export function parseDueDate(input: string | null | undefined): DueDateParse {
  const raw = (input ?? '').trim();
  if (raw === '') return { ok: true, due: { kind: 'unknown', date: null, raw } };
  const text = raw.replace(/\s+/g, ' ').replace(/[.,;]+$/, '');

  if (ONGOING.test(text)) {
    return { ok: true, due: { kind: 'ongoing', date: null, raw }, ...(/^on[\s-]?going$/i.test(text) ? {} : { guess: `read "${raw}" as Ongoing` }) };
  }
  if (RECURRING.test(text)) return { ok: true, due: { kind: 'ongoing', date: null, raw }, guess: `read "${raw}" (recurring) as Ongoing` };

  // d/m/y with / . or - separators; doubled separators ("31/07//2021") are a typo we repair and report.
  const dmy = /^(\d{1,2})\s*([/.-]+)\s*(\d{1,2})\s*([/.-]+)\s*(\d{2}|\d{4})$/.exec(text);
  if (dmy) {
    const [, d, s1, m, s2, y] = dmy as unknown as [string, string, string, string, string, string];
    const year = fullYear(y);
    if (!validDate(year, Number(m), Number(d))) {
      return { ok: false, reason: `"${raw}" is not a real date (UK dates are day/month/year)` };
    }
    const repaired = s1.length > 1 || s2.length > 1;
    return {
      ok: true,
      due: { kind: 'date', date: isoDate(year, Number(m), Number(d)), raw },
      ...(repaired ? { guess: `read "${raw}" as ${pad2(Number(d))}/${pad2(Number(m))}/${year}` } : {}),
    };
  }

  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) {
    const [, y, m, d] = iso as unknown as [string, string, string, string];
    if (!validDate(Number(y), Number(m), Number(d))) return { ok: false, reason: `"${raw}" is not a real date` };
    return { ok: true, due: { kind: 'date', date: isoDate(Number(y), Number(m), Number(d)), raw } };
  }

  // "Jan-22", "January 2022", "Sept 21", "end of March 2022": a month, due at its end.
  const month = /^(?:(?:by|end of|end|during|in)\s+)?([a-z]+)[\s-]*'?(\d{2}|\d{4})$/i.exec(text);
  if (month) {
    const [, name, y] = month as unknown as [string, string, string];
    const m = MONTHS[name.toLowerCase()];
    if (m !== undefined) {
      const year = fullYear(y);
      return {
        ok: true,
        due: { kind: 'month', date: isoDate(year, m, daysInMonth(year, m)), raw },
        guess: `read "${raw}" as the end of ${name.slice(0, 3)} ${year}`,
      };
    }
  }

  // "30 June 2021", "1st July 21"
  const long = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\s+(\d{2}|\d{4})$/i.exec(text);
  if (long) {
    const [, d, name, y] = long as unknown as [string, string, string, string];
    const m = MONTHS[name.toLowerCase()];
    const year = fullYear(y);
    if (m !== undefined && validDate(year, m, Number(d))) {
      return { ok: true, due: { kind: 'date', date: isoDate(year, m, Number(d)), raw } };
    }
  }

  // Targets written as sentences ("By end Oct 2020 100% children …"): take the first date or
  // month-and-year inside, and say so.
  const inner = /\b(\d{1,2}\/\d{1,2}\/(?:\d{4}|\d{2}))\b/.exec(text) ?? /\b((?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*[\s-]+(?:\d{4}|'?\d{2}))\b/i.exec(text);
  if (inner && inner[1] !== text) {
    const found = parseDueDate(inner[1]);
    if (found.ok && found.due.date !== null) {
      return { ok: true, due: { ...found.due, raw }, guess: `took the date "${inner[1]}" from "${short(raw)}"` };
    }
  }
  return { ok: true, due: { kind: 'unknown', date: null, raw }, guess: `no date in "${short(raw)}": kept as written, never overdue` };
}
