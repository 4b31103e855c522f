/** The planner counts overdue as every surface does: src/core/overdue.ts (working days). */
export { hasDeadline, isOverdue, workingDaysOverdue, type DueFacts } from '../overdue.js';
