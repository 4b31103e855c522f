/**
 * UK working days in Europe/London time. Bank holidays come from `date-holidays` (a maintained
 * library, not a hand list), per nation: England, Wales, Scotland and Northern Ireland have
 * different ones (Scotland's summer bank holiday is the first Monday of August, England's the last).
 *
 * Calendar dates are 'YYYY-MM-DD' strings (as the schema stores them); instants are Dates.
 * Nothing here reads the clock: every function takes the instant it works on.
 */
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

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
  const hd = new Holidays('GB', region, { types: ['public', 'bank'] });
  const found = new Map<IsoDate, string>();
  for (const h of hd.getHolidays(year) || []) {
    if (h.type !== 'public' && h.type !== 'bank') continue;
    // h.date is 'YYYY-MM-DD HH:mm:ss' local to the country: its first ten characters are the calendar date.
    found.set(h.date.slice(0, 10), h.name);
  }
  holidayCache.set(cacheKey, found);
  return found;
}

function dt(date: IsoDate): DateTime {
  const d = DateTime.fromISO(date, { zone: LONDON });
  if (!d.isValid) throw new RangeError(`not a calendar date: "${date}" (expected YYYY-MM-DD)`);
  return d;
}

/** The Europe/London calendar date of an instant (the clock changes included). */
export function londonDate(instant: Date): IsoDate {
  return DateTime.fromJSDate(instant, { zone: LONDON }).toISODate()!;
}

/** The instant a London wall-clock time happens on a date ('09:00' on 2021-03-29 is 08:00Z, BST). */
export function londonInstant(date: IsoDate, hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return dt(date).set({ hour: h, minute: m, second: 0, millisecond: 0 }).toJSDate();
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return dt(date).plus({ days }).toISODate()!;
}

/** Whole calendar days from a to b (negative when b is earlier). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round(dt(b).diff(dt(a), 'days').days);
}

/** 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: IsoDate): number {
  return dt(date).weekday;
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Human date for messages: "Monday 31 May 2021". */
export function formatDate(date: IsoDate): string {
  return dt(date).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
}

/** The working calendar of one nation. */
export class WorkingCalendar {
  constructor(readonly region: UkRegion = 'ENG') {}

  /** The bank holiday's name, or null. Weekends are not holidays (they are just not working days). */
  bankHoliday(date: IsoDate): string | null {
    return holidaysOf(this.region, Number(date.slice(0, 4))).get(date) ?? null;
  }

  isWorkingDay(date: IsoDate): boolean {
    return weekdayOf(date) <= 5 && this.bankHoliday(date) === null;
  }

  /** The first working day on or after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }

  /** The last working day on or before `date`. */
  previousWorkingDay(date: IsoDate): IsoDate {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, -1);
    return d;
  }

  /**
   * Steps n working days from `date` (n < 0 goes back). `date` itself need not be a working day:
   * 1 working day before Sunday 6 June is Friday 4 June.
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    let d = date;
    let left = Math.abs(n);
    const step = n < 0 ? -1 : 1;
    while (left > 0) {
      d = addDays(d, step);
      if (this.isWorkingDay(d)) left -= 1;
    }
    return d;
  }

  /** Working days d with from < d <= to; negative when to is before from. */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    if (to < from) return -this.workingDaysBetween(to, from);
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) count += 1;
    return count;
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
