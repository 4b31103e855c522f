/**
 * When a group meets: its cadence (monthly / bimonthly / quarterly from an anchor meeting, on
 * the same weekday-of-month, e.g. "second Wednesday") plus the meetings recorded explicitly.
 *
 * Decisions (documented because a chair will ask):
 * - A cadence meeting that falls on a bank holiday (or a weekend) moves to the next working day
 *   (setting meetingOnBankHoliday: 'previous-working-day' moves it back instead). Nobody convenes a
 *   partnership on Easter Monday; the update round then counts back from the moved date.
 * - An explicit Meeting row is a decision someone made, so it is kept on its date even on a
 *   bank holiday (flagged, so the CLI can show it).
 * - An explicit row (cancelled or not) in a month replaces that month's cadence meeting: the
 *   chair moved or cancelled it. A cancelled row elsewhere changes nothing.
 * - An anchor on the 5th such weekday of its month means "the last" one (not every month has a 5th).
 */
import { DateTime } from 'luxon';
import { addDays, LONDON, type IsoDate, type WorkingCalendar } from './calendar.js';
import { daysInMonth } from './due-date.js';

export const CADENCES = ['monthly', 'bimonthly', 'quarterly', 'none'] as const;
export type Cadence = (typeof CADENCES)[number];

const STEP_MONTHS: Record<Exclude<Cadence, 'none'>, number> = { monthly: 1, bimonthly: 2, quarterly: 3 };

export interface MeetingRecord {
  date: IsoDate;
  time?: string | null;
  title?: string | null;
  cancelled: boolean;
}

export interface GroupSchedule {
  cadence: string;
  cadenceAnchor: IsoDate | null;
  meetings: MeetingRecord[];
}

export interface ScheduledMeeting {
  date: IsoDate;
  source: 'cadence' | 'explicit';
  time?: string | null;
  title?: string | null;
  /** Cadence meetings moved off a non-working day: the date the cadence gave. */
  movedFrom?: IsoDate;
  /** The bank holiday it was moved off, or that an explicit meeting sits on. */
  bankHoliday?: string;
}

export type BankHolidayPolicy = 'next-working-day' | 'previous-working-day';

/** The nth (1-based; 'last' when n is 5) given weekday (1 = Monday) of a month. */
export function nthWeekdayOfMonth(year: number, month: number, weekday: number, n: number): IsoDate {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const firstWeekday = ((first.getUTCDay() + 6) % 7) + 1;
  const firstMatch = 1 + ((weekday - firstWeekday + 7) % 7);
  const days = daysInMonth(year, month);
  let day = firstMatch + 7 * (n - 1);
  while (day > days) day -= 7;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Cadence meetings with dates in [from, to] (after moving off non-working days). */
export function cadenceMeetings(schedule: GroupSchedule, from: IsoDate, to: IsoDate, cal: WorkingCalendar, policy: BankHolidayPolicy): ScheduledMeeting[] {
  if (schedule.cadence === 'none' || !(schedule.cadence in STEP_MONTHS) || !schedule.cadenceAnchor) return [];
  const step = STEP_MONTHS[schedule.cadence as Exclude<Cadence, 'none'>];
  const anchor = schedule.cadenceAnchor;
  const [ay, am, ad] = anchor.split('-').map(Number) as [number, number, number];
  const weekday = ((new Date(Date.UTC(ay, am - 1, ad)).getUTCDay() + 6) % 7) + 1;
  const n = Math.ceil(ad / 7);
  const out: ScheduledMeeting[] = [];
  // Walk month by month from the anchor (never before it); a few spare months cover moved dates.
  const fromMonths = Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7)) - 1;
  const toMonths = Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7)) - 1;
  const anchorMonths = ay * 12 + am - 1;
  let k = Math.max(0, Math.floor((fromMonths - 1 - anchorMonths) / step));
  for (; anchorMonths + k * step <= toMonths + 1; k += 1) {
    const m = anchorMonths + k * step;
    const scheduled = nthWeekdayOfMonth(Math.floor(m / 12), (m % 12) + 1, weekday, n);
    let date = scheduled;
    if (!cal.isWorkingDay(date)) date = policy === 'previous-working-day' ? cal.previousWorkingDay(date) : cal.nextWorkingDay(date);
    if (date < anchor || date < from || date > to) continue;
    const holiday = cal.bankHoliday(scheduled);
    out.push({ date, source: 'cadence', ...(date !== scheduled ? { movedFrom: scheduled, ...(holiday ? { bankHoliday: holiday } : {}) } : {}) });
  }
  return out;
}

/** Every meeting of a group with a date in [from, to], in date order. */
export function meetingsBetween(schedule: GroupSchedule, from: IsoDate, to: IsoDate, cal: WorkingCalendar, policy: BankHolidayPolicy): ScheduledMeeting[] {
  // A cadence meeting moved across a month boundary still belongs to its scheduled month.
  const explicitMonths = new Set(schedule.meetings.map((m) => m.date.slice(0, 7)));
  const fromCadence = cadenceMeetings(schedule, addDays(from, -7), addDays(to, 7), cal, policy).filter(
    (m) => !explicitMonths.has((m.movedFrom ?? m.date).slice(0, 7)) && !explicitMonths.has(m.date.slice(0, 7)) && m.date >= from && m.date <= to,
  );
  const explicit: ScheduledMeeting[] = schedule.meetings
    .filter((m) => !m.cancelled && m.date >= from && m.date <= to)
    .map((m) => {
      const holiday = cal.bankHoliday(m.date);
      return { date: m.date, source: 'explicit' as const, time: m.time ?? null, title: m.title ?? null, ...(holiday ? { bankHoliday: holiday } : {}) };
    });
  return [...fromCadence, ...explicit].sort((a, b) => a.date.localeCompare(b.date));
}

/** How far either way the default meeting is looked for: a group that has not met in this long has no default. */
const DEFAULT_MEETING_HORIZON_DAYS = 5 * 366;

/**
 * The meeting a report is for when nobody says: the next meeting on or after `today` (today
 * included: the chair asks on the morning of the meeting), else the most recent one. One rule for
 * the CLI's `report`, Slack's `/highlight-report` and Teams' `highlight-report`
 * (src/services/reports.ts resolveMeetingDate). Null when the group has no meetings at all.
 */
export function defaultMeeting(schedule: GroupSchedule, today: IsoDate, cal: WorkingCalendar, policy: BankHolidayPolicy): ScheduledMeeting | null {
  const next = meetingsBetween(schedule, today, addDays(today, DEFAULT_MEETING_HORIZON_DAYS), cal, policy)[0];
  if (next) return next;
  const past = meetingsBetween(schedule, addDays(today, -DEFAULT_MEETING_HORIZON_DAYS), addDays(today, -1), cal, policy);
  return past[past.length - 1] ?? null;
}

/**
 * A meeting's cut-off: the end (London) of the working day `workingDaysBefore` working days before
 * it (0: the end of the meeting day). The plan status in that meeting's paper is as at this instant,
 * so the paper says the same whenever it is generated, and "changes since the previous meeting"
 * start at the previous meeting's cut-off.
 */
export function meetingCutOff(meetingDate: IsoDate, cal: WorkingCalendar, workingDaysBefore: number): Date {
  const day = workingDaysBefore <= 0 ? meetingDate : cal.addWorkingDays(meetingDate, -workingDaysBefore);
  return DateTime.fromISO(day, { zone: LONDON }).endOf('day').toJSDate();
}
