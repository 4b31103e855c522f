/** Calendar arithmetic for reports: Europe/London dates, UK long format. Pure. */
import { DateTime } from 'luxon';

export const LONDON = 'Europe/London';

/** The Europe/London calendar date ('YYYY-MM-DD') of an instant. */
export function londonDate(at: Date): string {
  const iso = DateTime.fromJSDate(at, { zone: LONDON }).toISODate();
  if (iso === null) throw new Error(`not a valid instant: ${String(at)}`);
  return iso;
}

/** The instant a London calendar day starts (midnight, BST or GMT as it falls). */
export function londonStartOfDay(date: string): Date {
  return DateTime.fromISO(date, { zone: LONDON }).startOf('day').toJSDate();
}

/** The last instant of a London calendar day. */
export function londonEndOfDay(date: string): Date {
  return DateTime.fromISO(date, { zone: LONDON }).endOf('day').toJSDate();
}

/** '2021-01-13' → '13 January 2021', as committee papers write dates. */
export function longDate(date: string): string {
  return DateTime.fromISO(date, { zone: 'utc' }).setLocale('en-GB').toFormat('d MMMM yyyy');
}

/** '2021-06-30' → '30/06/2021'. */
export function shortDate(date: string): string {
  return DateTime.fromISO(date, { zone: 'utc' }).toFormat('dd/MM/yyyy');
}

/** An instant as a London date and time: '13 January 2021, 09:30'. */
export function longDateTime(iso: string): string {
  return DateTime.fromISO(iso, { zone: LONDON }).setLocale('en-GB').toFormat('d MMMM yyyy, HH:mm');
}

/** Whole calendar days from `from` to `to` (both 'YYYY-MM-DD'). */
export function daysBetween(from: string, to: string): number {
  const a = Date.UTC(Number(from.slice(0, 4)), Number(from.slice(5, 7)) - 1, Number(from.slice(8, 10)));
  const b = Date.UTC(Number(to.slice(0, 4)), Number(to.slice(5, 7)) - 1, Number(to.slice(8, 10)));
  return Math.round((b - a) / 86_400_000);
}

/** An ISO instant as its London calendar date, long form: '13 January 2021'. */
export function longDateOf(iso: string): string {
  return longDate(londonDate(new Date(iso)));
}
