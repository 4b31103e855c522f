/**
 * "Overdue" as DOMAIN.md defines it: the due date has passed and the action is not Blue.
 * A due date is the last day to do it, so an action due on Sunday 6 June is overdue from
 * Monday 7 June; a month ("Jan-22") is due on its last day. Ongoing actions are never overdue
 * (they go stale instead), and neither are actions whose date could not be read.
 * Dates are Europe/London calendar dates as 'YYYY-MM-DD', so string order is date order.
 * One definition for the planner, the CLI, chat cards and reports.
 */
import type { Brag } from './brag.js';
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

const dayNumber = (iso: string): number => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;

/** Calendar days overdue by `today` (what an officer counts on a calendar); 0 when not overdue. */
export function calendarDaysOverdue(a: DueFacts, today: string): number {
  return isOverdue(a, today) ? Math.max(0, dayNumber(today) - dayNumber(a.dueDate!)) : 0;
}
