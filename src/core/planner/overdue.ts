/**
 * "Overdue" as DOMAIN.md defines it: the due date has passed and the action is not Blue.
 * A due date is the last day to do it, so an action due on Sunday 6 June is overdue from
 * Monday 7 June; a month ("Jan-22") is due on its last day. Ongoing actions are never overdue
 * (they go stale instead), and neither are actions whose date could not be read.
 */
import type { Brag } from '../brag.js';
import type { IsoDate, WorkingCalendar } from '../calendar.js';
import type { DueKind } from '../due-date.js';

export interface DueFacts {
  brag: Brag;
  dueKind: DueKind;
  dueDate: string | null;
}

export function hasDeadline(a: DueFacts): a is DueFacts & { dueDate: string } {
  return (a.dueKind === 'date' || a.dueKind === 'month') && typeof a.dueDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(a.dueDate);
}

export function isOverdue(a: DueFacts, today: IsoDate): boolean {
  return a.brag !== 'blue' && hasDeadline(a) && a.dueDate < today;
}

/** Working days the action has been overdue by `today` (0 when it is not overdue). */
export function workingDaysOverdue(a: DueFacts, today: IsoDate, cal: WorkingCalendar): number {
  return isOverdue(a, today) ? Math.max(1, cal.workingDaysBetween(a.dueDate!, today)) : 0;
}
