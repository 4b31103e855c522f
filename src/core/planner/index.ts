/** The nudge planner: pure (snapshot, now) -> messages. See plan.ts for every rule and key. */
export { planNudges, EVENT_LOOKBACK_DAYS } from './plan.js';
export { isOverdue, workingDaysOverdue, hasDeadline } from './overdue.js';
export type * from './types.js';
