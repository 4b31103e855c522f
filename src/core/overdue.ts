/**
 * "Overdue" as DOMAIN.md defines it: the due date has passed and the action is not Blue.
 * A due date is the last day to do it, so an action due on Sunday 6 June is overdue from
 * Monday 7 June; a month ("Jan-22") is due on its last day. Ongoing actions are never overdue
 * (they go stale instead), and neither are actions whose date could not be read.
 * Dates are Europe/London calendar dates as 'YYYY-MM-DD', so string order is date order.
 *
 * HOW MANY days overdue: WORKING days, everywhere (nudges, escalations, the card redrawn after a
 * click, /brag, Details, "my actions", the CLI, the board paper), from this one function, and
 * every surface says the unit ("12 working days overdue"). Why working days:
 *  - it is how the people who read it measure lateness: the papers set timescales in working
 *    days ("% of IHA within 20 working days", "at least 15 working days before a review", seeds
 *    000 and 003), and an officer back from the Easter weekend has not lost four days' work;
 *  - it is the unit bragbot already acts in: nudges repeat every 5 working days and escalate after
 *    3 of them, so "10 working days overdue" tells a chair that two reminders went unanswered;
 *  - it follows the group's nation (Scotland's and England's bank holidays differ), as its
 *    meetings and reminders do.
 * The due date is always shown beside the count, so a reader who wants calendar days has them.
 */
import type { Brag } from './brag.js';
import type { IsoDate, WorkingCalendar } from './calendar.js';
import type { DueKind } from './due-date.js';

export interface DueFacts {
  brag: Brag;
  dueKind: DueKind | string;
  dueDate: string | null;
}

export function hasDeadline(a: DueFacts): a is DueFacts & { dueDate: string } {
  return (a.dueKind === 'date' || a.dueKind === 'month') && typeof a.dueDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(a.dueDate);
}

export function isOverdue(a: DueFacts, today: string): boolean {
  return a.brag !== 'blue' && hasDeadline(a) && a.dueDate < today;
}

/**
 * Working days overdue by `today` in the group's calendar (0 when not overdue). The first day
 * after the due date counts as 1 even on a weekend: an action due on Friday is "1 working day
 * overdue" on Saturday and still on Monday, not 0 (that would read as "not overdue").
 */
export function workingDaysOverdue(a: DueFacts, today: IsoDate, cal: WorkingCalendar): number {
  return isOverdue(a, today) ? Math.max(1, cal.workingDaysBetween(a.dueDate!, today)) : 0;
}

/** The unit, in words, for headings and column titles: "Working days overdue". */
export const OVERDUE_UNIT = 'working days';

/** "1 working day overdue", "12 working days overdue": how every surface says the count. */
export function overdueText(days: number): string {
  return `${days} working ${days === 1 ? 'day' : 'days'} overdue`;
}
