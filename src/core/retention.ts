/**
 * Retention (issue 18 pt 2): which records the daily purge deletes, as a pure function of the
 * groups' facts, the deployment's policy and `now`. Deleting happens in one place,
 * src/services/retention.ts, which turns each step into one DELETE and a line of the deletion log.
 *
 * The rules:
 *  - A group's plan history — status updates, the leads' replies captured from update threads,
 *    highlight report versions — is kept while the plan is open, and for the group's
 *    `retention.*Months` after **the plan closes**: the date `bragbot groups close` recorded
 *    (Group.closedAt). A plan that is never closed is never purged: partnership plans roll on for
 *    years and an archived action's history is part of the open plan's record.
 *  - A legal hold on a group (`groups hold --on`) stops every purge of it, outbox rows about it
 *    included, until it is lifted.
 *  - Delivered or failed outbox messages go after `outboxDays` (never fewer than the planner's
 *    history window, which reads what was already said from them); pending ones never.
 *  - Inbound idempotency keys (InboundEvent) and finished inbox rows (InboundInteraction) go after
 *    `inboundKeyDays`: Slack and Teams retry for minutes, not days, and a status update's own
 *    unique key still stops a late duplicate.
 */
import { londonDate } from './calendar.js';

/** The planner reads this many days of outbox history (what was already said): never purge inside it. */
export const PLANNER_HISTORY_DAYS = 400;

export const GROUP_CATEGORIES = ['status-updates', 'section-replies', 'report-versions'] as const;
export type GroupCategory = (typeof GROUP_CATEGORIES)[number];
export type PurgeCategory = GroupCategory | 'outbox' | 'inbound-events' | 'inbound-interactions';

export interface RetentionMonths {
  statusUpdatesMonths: number;
  sectionRepliesMonths: number;
  reportVersionsMonths: number;
}

export interface RetentionGroup {
  id: string;
  slug: string;
  closedAt: Date | null;
  legalHoldAt: Date | null;
  retention: RetentionMonths;
}

export interface RetentionPolicy {
  outboxDays: number;
  inboundKeyDays: number;
}

export type PurgeStep =
  | { category: GroupCategory; groupId: string; groupSlug: string; rule: string }
  | { category: 'outbox'; before: Date; exceptGroupIds: string[]; rule: string }
  | { category: 'inbound-events' | 'inbound-interactions'; before: Date; rule: string };

export interface PurgePlan {
  now: Date;
  steps: PurgeStep[];
  /** Groups whose records the purge leaves alone because of a legal hold. */
  held: { groupSlug: string; since: Date }[];
  /** Closed groups with a category still inside its retention: when it becomes due. */
  notYet: { groupSlug: string; category: GroupCategory; dueAt: Date }[];
}

const MONTHS_KEY: Record<GroupCategory, keyof RetentionMonths> = {
  'status-updates': 'statusUpdatesMonths',
  'section-replies': 'sectionRepliesMonths',
  'report-versions': 'reportVersionsMonths',
};

const WORDS: Record<GroupCategory, string> = {
  'status-updates': 'status updates',
  'section-replies': 'captured replies',
  'report-versions': 'report versions',
};

const DAY_MS = 86_400_000;

/** `date` plus whole calendar months (UTC), the day clamped to the month's end (31 Aug + 6 = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth() + months;
  const target = new Date(Date.UTC(y, m, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target;
}

// The close as the CLI said it: its London date (`groups close --date` stores London midnight, the day before in UTC in summer).
const ymd = (d: Date): string => londonDate(d);

export function planPurge(input: { groups: readonly RetentionGroup[]; policy: RetentionPolicy }, now: Date): PurgePlan {
  const steps: PurgeStep[] = [];
  const held: PurgePlan['held'] = [];
  const notYet: PurgePlan['notYet'] = [];
  for (const g of [...input.groups].sort((a, b) => a.slug.localeCompare(b.slug))) {
    if (g.legalHoldAt) {
      held.push({ groupSlug: g.slug, since: g.legalHoldAt });
      continue;
    }
    if (!g.closedAt || g.closedAt > now) continue;
    for (const category of GROUP_CATEGORIES) {
      const months = g.retention[MONTHS_KEY[category]];
      const dueAt = addMonths(g.closedAt, months);
      if (dueAt > now) {
        notYet.push({ groupSlug: g.slug, category, dueAt });
        continue;
      }
      steps.push({ category, groupId: g.id, groupSlug: g.slug, rule: `${WORDS[category]} kept ${months} months after the plan closed (${ymd(g.closedAt)})` });
    }
  }
  const outboxDays = Math.max(input.policy.outboxDays, PLANNER_HISTORY_DAYS);
  steps.push({
    category: 'outbox',
    before: new Date(now.getTime() - outboxDays * DAY_MS),
    exceptGroupIds: input.groups.filter((g) => g.legalHoldAt).map((g) => g.id).sort(),
    rule: `sent or failed messages kept ${outboxDays} days (OUTBOX_RETENTION_DAYS)`,
  });
  const before = new Date(now.getTime() - input.policy.inboundKeyDays * DAY_MS);
  steps.push({ category: 'inbound-events', before, rule: `inbound event keys kept ${input.policy.inboundKeyDays} days (INBOUND_KEYS_RETENTION_DAYS)` });
  steps.push({ category: 'inbound-interactions', before, rule: `finished clicks and forms kept ${input.policy.inboundKeyDays} days (INBOUND_KEYS_RETENTION_DAYS)` });
  return { now, steps, held, notYet };
}
