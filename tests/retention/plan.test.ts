/** The purge planner (src/core/retention.ts): which records are due, as a pure function of (groups, policy, now). */
import { describe, expect, it } from 'vitest';
import { addMonths, planPurge, PLANNER_HISTORY_DAYS, type RetentionGroup } from '../../src/core/retention.js';
import { DEFAULT_GROUP_SETTINGS, parseGroupSettings } from '../../src/core/settings.js';

const months = { statusUpdatesMonths: 72, sectionRepliesMonths: 24, reportVersionsMonths: 120 };
const group = (over: Partial<RetentionGroup>): RetentionGroup => ({ id: 'g1', slug: 'ops', closedAt: null, legalHoldAt: null, retention: months, ...over });
const policy = { outboxDays: 400, inboundKeyDays: 30 };
const at = (iso: string) => new Date(iso);

describe('planPurge', () => {
  it('an open plan is never purged, however old', () => {
    const plan = planPurge({ groups: [group({})], policy }, at('2040-01-01T00:00:00Z'));
    expect(plan.steps.map((s) => s.category)).toEqual(['outbox', 'inbound-events', 'inbound-interactions']);
  });

  it('a closed plan: each kind of record goes when its own period after closing has run', () => {
    const closedAt = at('2021-03-31T00:00:00Z');
    const twoYears = planPurge({ groups: [group({ closedAt })], policy }, at('2023-03-31T00:00:00Z'));
    expect(twoYears.steps.filter((s) => 'groupId' in s).map((s) => [s.category, s.rule])).toEqual([['section-replies', 'captured replies kept 24 months after the plan closed (2021-03-31)']]);
    expect(twoYears.notYet).toEqual([
      { groupSlug: 'ops', category: 'status-updates', dueAt: at('2027-03-31T00:00:00Z') },
      { groupSlug: 'ops', category: 'report-versions', dueAt: at('2031-03-31T00:00:00Z') },
    ]);
    // A day before the two years: nothing of the group yet.
    expect(planPurge({ groups: [group({ closedAt })], policy }, at('2023-03-30T23:59:59Z')).steps.some((s) => 'groupId' in s)).toBe(false);
    const later = planPurge({ groups: [group({ closedAt })], policy }, at('2031-04-01T00:00:00Z'));
    expect(later.steps.filter((s) => 'groupId' in s).map((s) => s.category)).toEqual(['status-updates', 'section-replies', 'report-versions']);
  });

  it('names the close by its London date, as `groups close --date` said it (stored as London midnight: the day before in UTC in summer)', () => {
    const closedAt = at('2026-06-29T23:00:00Z'); // 00:00 on 30 June 2026, BST
    const plan = planPurge({ groups: [group({ closedAt })], policy }, at('2028-07-01T00:00:00Z'));
    expect(plan.steps.filter((s) => 'groupId' in s).map((s) => s.rule)).toEqual(['captured replies kept 24 months after the plan closed (2026-06-30)']);
  });

  it('a legal hold stops every purge of the group, its outbox messages included', () => {
    const plan = planPurge({ groups: [group({ closedAt: at('2001-01-01T00:00:00Z'), legalHoldAt: at('2020-01-01T00:00:00Z') }), group({ id: 'g2', slug: 'spb' })], policy }, at('2030-01-01T00:00:00Z'));
    expect(plan.steps.some((s) => 'groupId' in s)).toBe(false);
    expect(plan.held).toEqual([{ groupSlug: 'ops', since: at('2020-01-01T00:00:00Z') }]);
    expect(plan.steps.find((s) => s.category === 'outbox')).toMatchObject({ exceptGroupIds: ['g1'] });
  });

  it('outbox and inbound keys go by their own ages; the outbox never inside the planner’s history', () => {
    const now = at('2022-01-01T00:00:00Z');
    const plan = planPurge({ groups: [], policy: { outboxDays: 10, inboundKeyDays: 30 } }, now);
    expect(plan.steps.find((s) => s.category === 'outbox')).toMatchObject({ before: new Date(now.getTime() - PLANNER_HISTORY_DAYS * 86_400_000) });
    expect(plan.steps.find((s) => s.category === 'inbound-events')).toMatchObject({ before: at('2021-12-02T00:00:00Z') });
  });

  it('months are calendar months, the day clamped to the month’s end', () => {
    expect(addMonths(at('2021-08-31T10:00:00Z'), 6)).toEqual(at('2022-02-28T10:00:00Z'));
    expect(addMonths(at('2023-08-31T10:00:00Z'), 6)).toEqual(at('2024-02-29T10:00:00Z'));
    expect(addMonths(at('2021-01-15T00:00:00Z'), 72)).toEqual(at('2027-01-15T00:00:00Z'));
  });
});

describe('retention settings', () => {
  it('default to six years for each kind, and a group may set its own', () => {
    expect(DEFAULT_GROUP_SETTINGS.retention).toEqual({ statusUpdatesMonths: 72, sectionRepliesMonths: 72, reportVersionsMonths: 72 });
    expect(parseGroupSettings('{"retention":{"sectionRepliesMonths":12}}').settings.retention).toEqual({ statusUpdatesMonths: 72, sectionRepliesMonths: 12, reportVersionsMonths: 72 });
    expect(parseGroupSettings('{"retention":{"sectionRepliesMonths":-1}}').problems.join()).toContain('retention');
  });
});
