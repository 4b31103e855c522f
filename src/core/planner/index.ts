/** The nudge planner: pure (snapshot, now) -> messages. See plan.ts for every rule and key. */
export { planNudges, createNudgePlanner, EVENT_LOOKBACK_DAYS, type NudgePlanner } from './plan.js';
export { isOverdue, workingDaysOverdue, hasDeadline } from './overdue.js';
export type * from './types.js';
