/**
 * "Overdue" (DOMAIN.md): the due date has passed and the action is not Blue. Ongoing and
 * unknown dates are never overdue; a month ("Jan-22") is due at its end. Dates are
 * Europe/London calendar dates as 'YYYY-MM-DD', so string comparison is date comparison.
 */
import type { Brag } from './brag.js';
import type { DueKind } from './due-date.js';

export function isOverdue(due: { kind: DueKind | string; date: string | null }, brag: Brag, today: string): boolean {
  if (brag === 'blue' || due.date === null) return false;
  if (due.kind !== 'date' && due.kind !== 'month') return false;
  return due.date < today;
}

const dayNumber = (iso: string): number => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;

/** Calendar days from the due date to today (what an officer counts on a calendar). */
export function calendarDaysOverdue(dueDate: string, today: string): number {
  return Math.max(0, dayNumber(today) - dayNumber(dueDate));
}
