/** The planner counts overdue in working days (nudge intervals are working days); "overdue" itself is src/core/overdue.ts. */
import type { IsoDate, WorkingCalendar } from '../calendar.js';
import { isOverdue, type DueFacts } from '../overdue.js';

export { hasDeadline, isOverdue, type DueFacts } from '../overdue.js';

/** Working days the action has been overdue by `today` (0 when it is not overdue). */
export function workingDaysOverdue(a: DueFacts, today: IsoDate, cal: WorkingCalendar): number {
  return isOverdue(a, today) ? Math.max(1, cal.workingDaysBetween(a.dueDate!, today)) : 0;
}
