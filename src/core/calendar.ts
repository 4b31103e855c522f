/**
 * UK working days in Europe/London time. Bank holidays come from `date-holidays` (a maintained
 * library, not a hand list), per nation: England, Wales, Scotland and Northern Ireland have
 * different ones (Scotland's summer bank holiday is the first Monday of August, England's the last).
 * For 2010-2045 they are read from a table that date-holidays itself computed
 * (scripts/generate-bank-holidays.mjs; a test checks it still agrees): loading the library costs ~0.3-0.5 s of every command's
 * start-up, so it is loaded only for a year outside the table.
 *
 * Calendar dates are 'YYYY-MM-DD' strings (as the schema stores them); instants are Dates.
 * Nothing here reads the clock: every function takes the instant it works on.
 */
import { createRequire } from 'node:module';
import { DateTime } from 'luxon';
import { FIRST_YEAR, LAST_YEAR, UK_BANK_HOLIDAYS } from './generated/uk-bank-holidays.js';

export const LONDON = 'Europe/London';

/** Nations as date-holidays names the GB regions. England and Wales share a list but are kept apart. */
export const UK_REGIONS = ['ENG', 'WLS', 'SCT', 'NIR'] as const;
export type UkRegion = (typeof UK_REGIONS)[number];

/** 'YYYY-MM-DD' in Europe/London. */
export type IsoDate = string;

/** The hours messages may go out on a working day, local time; outside them is quiet. */
export interface WorkingHours {
  /** 'HH:mm' */
  start: string;
  /** 'HH:mm' */
  end: string;
}

const holidayCache = new Map<string, Map<IsoDate, string>>();

function holidaysOf(region: UkRegion, year: number): Map<IsoDate, string> {
  const cacheKey = `${region}:${year}`;
  const cached = holidayCache.get(cacheKey);
  if (cached) return cached;
  const listed = year >= FIRST_YEAR && year <= LAST_YEAR ? UK_BANK_HOLIDAYS[region]?.[year] : undefined;
  const found = new Map<IsoDate, string>(listed ?? holidaysFromLibrary(region, year));
  holidayCache.set(cacheKey, found);
  return found;
}

type HolidaysClass = typeof import('date-holidays').default;
let holidaysLibrary: HolidaysClass | undefined;

/** What date-holidays says for the year (the generated table holds the same for its years). */
export function holidaysFromLibrary(region: UkRegion, year: number): [IsoDate, string][] {
  // A synchronous load, on first need: the calendar's functions are synchronous.
  holidaysLibrary ??= createRequire(import.meta.url)('date-holidays') as HolidaysClass;
  const hd = new holidaysLibrary('GB', region, { types: ['public', 'bank'] });
  const found: [IsoDate, string][] = [];
  for (const h of hd.getHolidays(year) || []) {
    if (h.type !== 'public' && h.type !== 'bank') continue;
    // h.date is 'YYYY-MM-DD HH:mm:ss' local to the country: its first ten characters are the calendar date.
    found.push([h.date.slice(0, 10), h.name]);
  }
  return found;
}

function dt(date: IsoDate): DateTime {
  const d = DateTime.fromISO(date, { zone: LONDON });
  if (!d.isValid) throw new RangeError(`not a calendar date: "${date}" (expected YYYY-MM-DD)`);
  return d;
}

/*
 * Calendar-date arithmetic (addDays, daysBetween, weekdayOf, working days) needs no time zone:
 * a date is a day number. It used to go through luxon in Europe/London for every day stepped,
 * which made one planner run over 10,000 actions take two minutes (found by the planner
 * benchmark); day numbers and per-year working-day counts make it a few array reads.
 */
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A planner run converts the same few hundred dates back and forth millions of times: both
 * directions are memoised (bounded; cleared when full), which keeps that from being garbage.
 */
const MEMO_LIMIT = 50_000;
const dayOfDate = new Map<string, number>();
const dateOfDay = new Map<number, IsoDate>();

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date; RangeError for anything that is not a real date. */
function dayNumber(date: IsoDate): number {
  const known = dayOfDate.get(date);
  if (known !== undefined) return known;
  const day = parseDayNumber(date);
  if (dayOfDate.size >= MEMO_LIMIT) dayOfDate.clear();
  dayOfDate.set(date, day);
  return day;
}

function parseDayNumber(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]) - 1;
    const d = Number(m[3]);
    const t = new Date(0);
    t.setUTCFullYear(y, mo, d);
    if (t.getUTCFullYear() === y && t.getUTCMonth() === mo && t.getUTCDate() === d) return Math.round(t.getTime() / DAY_MS);
  } else if (date.length > 10) {
    // Other ISO forms luxon accepts ('2021-07-01T10:00'): their London calendar date.
    return dayNumber(dt(date).toISODate()!);
  }
  throw new RangeError(`not a calendar date: "${date}" (expected YYYY-MM-DD)`);
}

function isoOfDay(day: number): IsoDate {
  const known = dateOfDay.get(day);
  if (known !== undefined) return known;
  const iso = formatDay(day);
  if (dateOfDay.size >= MEMO_LIMIT) dateOfDay.clear();
  dateOfDay.set(day, iso);
  return iso;
}

function formatDay(day: number): IsoDate {
  const t = new Date(day * DAY_MS);
  const y = t.getUTCFullYear();
  const ys = y >= 0 && y <= 9999 ? String(y).padStart(4, '0') : String(y);
  return `${ys}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
}

/** 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
const weekdayOfDay = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1;

/**
 * London's UTC offset (minutes) by UTC hour. Offsets change only on the hour, so caching per
 * hour is exact, and a planner run asks about the same few thousand hours over and over
 * (luxon's time-zone lookup was most of a large run's time).
 */
const HOUR_MS = 3_600_000;
const offsetByHour = new Map<number, number>();
function londonOffsetMinutes(instant: Date): number {
  const hour = Math.floor(instant.getTime() / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    if (offsetByHour.size > 200_000) offsetByHour.clear();
    offset = DateTime.fromMillis(hour * HOUR_MS, { zone: LONDON }).offset;
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** The Europe/London calendar date of an instant (the clock changes included). */
export function londonDate(instant: Date): IsoDate {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError('londonDate: invalid Date');
  return isoOfDay(Math.floor((t + londonOffsetMinutes(instant) * 60_000) / DAY_MS));
}

/**
 * Both of these go through luxon's time-zone and locale machinery, and a planner run asks them
 * about the same few dates once per group (500 groups made them a tenth of a 100k-action run):
 * memoised, bounded like the day numbers above. The instants are kept as numbers so no caller
 * can change a cached Date.
 */
const instantOf = new Map<string, number>();
const formattedDate = new Map<IsoDate, string>();

/** The instant a London wall-clock time happens on a date ('09:00' on 2021-03-29 is 08:00Z, BST). */
export function londonInstant(date: IsoDate, hhmm: string): Date {
  const key = `${date} ${hhmm}`;
  let t = instantOf.get(key);
  if (t === undefined) {
    const [h, m] = hhmm.split(':').map(Number) as [number, number];
    t = dt(date).set({ hour: h, minute: m, second: 0, millisecond: 0 }).toMillis();
    if (instantOf.size >= MEMO_LIMIT) instantOf.clear();
    instantOf.set(key, t);
  }
  return new Date(t);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return isoOfDay(dayNumber(date) + days);
}

/** Whole calendar days from a to b (negative when b is earlier). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return dayNumber(b) - dayNumber(a);
}

/** 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: IsoDate): number {
  return weekdayOfDay(dayNumber(date));
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Human date for messages: "Monday 31 May 2021". */
export function formatDate(date: IsoDate): string {
  let text = formattedDate.get(date);
  if (text === undefined) {
    text = dt(date).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
    if (formattedDate.size >= MEMO_LIMIT) formattedDate.clear();
    formattedDate.set(date, text);
  }
  return text;
}

/** The working calendar of one nation. */
export class WorkingCalendar {
  /** Per year: working[i] = 1 if day i of the year (0-based) is a working day; cumulative[i] = working days on days 0..i. */
  private readonly years = new Map<number, { start: number; working: Uint8Array; cumulative: Int32Array }>();

  constructor(readonly region: UkRegion = 'ENG') {}

  private year(y: number) {
    let info = this.years.get(y);
    if (!info) {
      const start = dayNumber(`${String(y).padStart(4, '0')}-01-01`);
      const length = dayNumber(`${String(y + 1).padStart(4, '0')}-01-01`) - start;
      const holidays = holidaysOf(this.region, y);
      const working = new Uint8Array(length);
      const cumulative = new Int32Array(length);
      let count = 0;
      for (let i = 0; i < length; i += 1) {
        const day = start + i;
        working[i] = weekdayOfDay(day) <= 5 && !holidays.has(isoOfDay(day)) ? 1 : 0;
        count += working[i]!;
        cumulative[i] = count;
      }
      this.years.set(y, (info = { start, working, cumulative }));
    }
    return info;
  }

  private yearOfDay(day: number): number {
    return new Date(day * DAY_MS).getUTCFullYear();
  }

  /** The year holding `day`; the last one used is checked first (runs ask about one year mostly). */
  private last: { start: number; working: Uint8Array; cumulative: Int32Array } | undefined;
  private yearHolding(day: number) {
    const l = this.last;
    if (l && day >= l.start && day < l.start + l.working.length) return l;
    return (this.last = this.year(this.yearOfDay(day)));
  }

  private isWorkingDayNumber(day: number): boolean {
    const y = this.yearHolding(day);
    return y.working[day - y.start] === 1;
  }

  /** Working days d with d <= day within day's year. */
  private workingUpTo(day: number): number {
    const y = this.yearHolding(day);
    return y.cumulative[day - y.start]!;
  }

  /** The bank holiday's name, or null. Weekends are not holidays (they are just not working days). */
  bankHoliday(date: IsoDate): string | null {
    return holidaysOf(this.region, Number(date.slice(0, 4))).get(date) ?? null;
  }

  isWorkingDay(date: IsoDate): boolean {
    return this.isWorkingDayNumber(dayNumber(date));
  }

  /** The first working day on or after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    let d = dayNumber(date);
    while (!this.isWorkingDayNumber(d)) d += 1;
    return isoOfDay(d);
  }

  /** The last working day on or before `date`. */
  previousWorkingDay(date: IsoDate): IsoDate {
    let d = dayNumber(date);
    while (!this.isWorkingDayNumber(d)) d -= 1;
    return isoOfDay(d);
  }

  /**
   * Steps n working days from `date` (n < 0 goes back). `date` itself need not be a working day:
   * 1 working day before Sunday 6 June is Friday 4 June.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    let d = dayNumber(date);
    let left = Math.abs(n);
    const step = n < 0 ? -1 : 1;
    while (left > 0) {
      d += step;
      if (this.isWorkingDayNumber(d)) left -= 1;
    }
    return isoOfDay(d);
  }

  /** Working days d with from < d <= to; negative when to is before from. */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const a = dayNumber(from);
    const b = dayNumber(to);
    if (b < a) return -this.workingDaysBetween(to, from);
    // Both in one year, found from the year last used (no Date made per call: the planner asks this per action).
    const y = this.yearHolding(b);
    if (a >= y.start) return y.cumulative[b - y.start]! - y.cumulative[a - y.start]!;
    const ya = this.yearOfDay(a);
    const yb = this.yearOfDay(b);
    // From an earlier year (the same year returned above): the rest of from's year, whole years
    // between, then to's year up to and including to.
    const first = this.year(ya);
    let count = first.cumulative[first.cumulative.length - 1]! - this.workingUpTo(a);
    for (let y = ya + 1; y < yb; y += 1) {
      const c = this.year(y).cumulative;
      count += c[c.length - 1]!;
    }
    return count + this.workingUpTo(b);
  }

  /**
   * The earliest instant at or after `now` inside working hours on a working day, in London time.
   * A message planned at 17:30 on a Friday before a bank-holiday Monday goes at 09:00 on Tuesday;
   * luxon places 09:00 on the right side of each clock change (08:00Z in summer, 09:00Z in winter).
   */
  nextSendTime(now: Date, hours: WorkingHours): Date {
    const today = londonDate(now);
    if (this.isWorkingDay(today)) {
      const start = londonInstant(today, hours.start);
      const end = londonInstant(today, hours.end);
      if (now < start) return start;
      if (now < end) return now;
    }
    return londonInstant(this.nextWorkingDay(addDays(today, 1)), hours.start);
  }
}

const calendars = new Map<UkRegion, WorkingCalendar>();
export function calendarFor(region: UkRegion): WorkingCalendar {
  let c = calendars.get(region);
  if (!c) calendars.set(region, (c = new WorkingCalendar(region)));
  return c;
}
