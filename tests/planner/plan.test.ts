/**
 * The nudge planner over real dates: bank holidays, a Sunday due date, the clock changes, a month
 * due date, ongoing actions, snoozes, Red turns, a meeting on a bank holiday. Pure: no database.
 */
import { describe, expect, it } from 'vitest';
import type { ActionCard } from '../../src/core/chat.js';
import { createNudgePlanner, planNudges } from '../../src/core/planner/plan.js';
import type { Mention, NudgePlan, PlannedMessage } from '../../src/core/planner/types.js';
import { action, at, CHAIR, group, MANAGER, OTHER, OWNER, PEOPLE, snapshot } from './support.js';

const nudgeFor = (plan: NudgePlan, personId = OWNER): PlannedMessage | undefined =>
  plan.messages.find((m) => m.idempotencyKey.startsWith(`nudge:${personId}:`));
const cards = (m: PlannedMessage | undefined): ActionCard[] => (m && 'actions' in m.message ? m.message.actions : []);
const keys = (plan: NudgePlan) => plan.messages.map((m) => m.idempotencyKey);

interface Case {
  name: string;
  now: string;
  due: { dueDate: string | null; dueKind?: 'date' | 'month' | 'ongoing' | 'unknown'; brag?: 'red' | 'amber' | 'green' | 'blue' | 'unrated' };
  region?: 'ENG' | 'SCT';
  /** Expected: reasons in the owner's nudge (null: no nudge), its key date, notBefore, working days overdue. */
  reasons: string[] | null;
  keyDate?: string;
  notBefore?: string;
  daysOverdue?: number;
}

describe('overdue and due-soon, one action, over real dates', () => {
  const cases: Case[] = [
    { name: 'due yesterday: overdue the next working day', now: '2021-07-01 09:00', due: { dueDate: '2021-06-30' }, reasons: ['overdue'], keyDate: '2021-07-01', notBefore: '2021-07-01T08:00:00.000Z', daysOverdue: 1 },
    { name: 'due today: not overdue yet, due soon', now: '2021-06-30 10:00', due: { dueDate: '2021-06-30' }, reasons: ['due-soon'], keyDate: '2021-06-30' },
    { name: 'Blue is never overdue', now: '2021-07-01 09:00', due: { dueDate: '2021-06-30', brag: 'blue' }, reasons: null },
    { name: 'not rated counts (not Blue)', now: '2021-07-01 09:00', due: { dueDate: '2021-06-30', brag: 'unrated' }, reasons: ['overdue'], daysOverdue: 1 },
    { name: 'due on Sunday: due soon on the Wednesday before (3 working days)', now: '2021-06-02 10:00', due: { dueDate: '2021-06-06' }, reasons: ['due-soon'] },
    { name: 'due on Sunday: nothing on the Tuesday before', now: '2021-06-01 10:00', due: { dueDate: '2021-06-06' }, reasons: null },
    { name: 'due on Sunday: planned that Sunday, overdue from Monday 09:00', now: '2021-06-06 12:00', due: { dueDate: '2021-06-06' }, reasons: ['overdue'], keyDate: '2021-06-07', notBefore: '2021-06-07T08:00:00.000Z', daysOverdue: 1 },
    { name: 'Spring bank holiday: planned on it, sent on Tuesday, 1 working day overdue', now: '2021-05-31 10:00', due: { dueDate: '2021-05-28' }, reasons: ['overdue'], keyDate: '2021-06-01', notBefore: '2021-06-01T08:00:00.000Z', daysOverdue: 1 },
    { name: 'Scottish summer bank holiday: waits for Tuesday in Scotland', now: '2021-08-02 10:00', region: 'SCT', due: { dueDate: '2021-07-30' }, reasons: ['overdue'], keyDate: '2021-08-03', notBefore: '2021-08-03T08:00:00.000Z', daysOverdue: 1 },
    { name: 'same Monday in England: sent now', now: '2021-08-02 10:00', region: 'ENG', due: { dueDate: '2021-07-30' }, reasons: ['overdue'], keyDate: '2021-08-02', notBefore: '2021-08-02T09:00:00.000Z', daysOverdue: 1 },
    { name: 'clocks go forward: Friday evening plan goes Monday 09:00 BST', now: '2021-03-26 17:30', due: { dueDate: '2021-03-25' }, reasons: ['overdue'], keyDate: '2021-03-29', notBefore: '2021-03-29T08:00:00.000Z', daysOverdue: 2 },
    { name: 'clocks go back: Friday evening plan goes Monday 09:00 GMT', now: '2021-10-29 17:30', due: { dueDate: '2021-10-28' }, reasons: ['overdue'], keyDate: '2021-11-01', notBefore: '2021-11-01T09:00:00.000Z', daysOverdue: 2 },
    { name: 'clock-change Sunday itself (01:30 happens twice): Monday 09:00 GMT', now: '2021-10-31 01:30', due: { dueDate: '2021-10-29' }, reasons: ['overdue'], keyDate: '2021-11-01', notBefore: '2021-11-01T09:00:00.000Z', daysOverdue: 1 },
    { name: '"Jan-22" is due at the end of January: not overdue on the 31st', now: '2022-01-31 10:00', due: { dueDate: '2022-01-31', dueKind: 'month' }, reasons: ['due-soon'] },
    { name: '"Jan-22": overdue on 1 February', now: '2022-02-01 10:00', due: { dueDate: '2022-01-31', dueKind: 'month' }, reasons: ['overdue'], daysOverdue: 1 },
    { name: 'Ongoing is never overdue', now: '2021-07-01 09:00', due: { dueDate: null, dueKind: 'ongoing' }, reasons: null },
    { name: 'an unreadable date is never overdue', now: '2021-07-01 09:00', due: { dueDate: null, dueKind: 'unknown' }, reasons: null },
    { name: 'long overdue: working days, not calendar days', now: '2021-07-01 09:00', due: { dueDate: '2021-05-28' }, reasons: ['overdue'], daysOverdue: 23 },
  ];

  it.each(cases)('$name', (c) => {
    // Last updated on the due date (or 3 days ago without one): recent, so nothing is stale by accident.
    const touched = c.due.dueDate ? at(`${c.due.dueDate} 08:00`) : new Date(at(c.now).getTime() - 3 * 86_400_000);
    const a = action({ dueDate: c.due.dueDate, dueKind: c.due.dueKind ?? 'date', brag: c.due.brag ?? 'green', lastUpdatedAt: touched });
    const plan = planNudges(snapshot([group({ settings: { region: c.region ?? 'ENG' }, actions: [a] })]), at(c.now));
    const m = nudgeFor(plan);
    if (c.reasons === null) {
      expect(m).toBeUndefined();
      return;
    }
    expect(m?.message.kind === 'nudge' && m.message.reasons).toEqual(c.reasons);
    if (c.keyDate) expect(m?.idempotencyKey).toBe(`nudge:${OWNER}:${c.keyDate}`);
    if (c.notBefore) expect(m?.notBefore.toISOString()).toBe(c.notBefore);
    if (c.daysOverdue !== undefined) expect(cards(m)[0]?.daysOverdue).toBe(c.daysOverdue);
  });
});

describe('repeats and history', () => {
  /** Runs the planner every working day at 10:00, feeding what it said back as history. */
  function simulate(days: string[], groups: Parameters<typeof snapshot>[0]) {
    const history: Mention[] = [];
    const sent: { day: string; key: string; reasons: string[] }[] = [];
    for (const day of days) {
      const plan = planNudges(snapshot(groups, { history }), at(`${day} 10:00`));
      for (const m of plan.messages) {
        history.push(...m.mentions);
        sent.push({ day, key: m.idempotencyKey.split(':').slice(0, 2).join(':'), reasons: m.message.kind === 'nudge' ? m.message.reasons : [m.message.kind] });
      }
    }
    return sent;
  }
  const workingDays = (from: string, to: string) => {
    const out: string[] = [];
    for (let d = new Date(`${from}T12:00:00Z`); d <= new Date(`${to}T12:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
      const iso = d.toISOString().slice(0, 10);
      if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && iso !== '2021-08-30') out.push(iso);
    }
    return out;
  };

  it('nudges an overdue action every 5 working days (not daily), then escalates unanswered nudges once', () => {
    const a = action({ dueDate: '2021-06-30', lastUpdatedAt: at('2021-06-01 10:00') });
    const sent = simulate(workingDays('2021-07-01', '2021-08-06'), [group({ actions: [a] })]);
    const nudges = sent.filter((s) => s.key === `nudge:${OWNER}`).map((s) => s.day);
    expect(nudges).toEqual(['2021-07-01', '2021-07-08', '2021-07-15', '2021-07-22', '2021-07-29', '2021-08-05']);
    // After 3 unanswered nudges, the 4th comes with an escalation to the manager and the chair, once.
    const escalations = sent.filter((s) => s.key === 'escalation:unanswered');
    expect(escalations.map((s) => s.day)).toEqual(['2021-07-22', '2021-07-22']);
  });

  it('counts the interval in working days across a bank holiday', () => {
    const a = action({ dueDate: '2021-08-20', lastUpdatedAt: at('2021-08-01 10:00') });
    const sent = simulate(workingDays('2021-08-23', '2021-09-03'), [group({ actions: [a], settings: { escalateAfterNudges: 9 } })]);
    // 23 Aug, then 5 working days on: 24, 25, 26, 27, (30 is the Summer bank holiday) 31 Aug.
    expect(sent.filter((s) => s.key === `nudge:${OWNER}`).map((s) => s.day)).toEqual(['2021-08-23', '2021-08-31']);
  });

  it('an update resets the interval and the escalation count', () => {
    const history: Mention[] = ['2021-07-01', '2021-07-08', '2021-07-15'].map((on) => ({ personId: OWNER, actionId: 'x1', reason: 'overdue', window: on, on }));
    const quiet = action({ id: 'x1', dueDate: '2021-06-30', lastUpdatedAt: at('2021-06-01 10:00') });
    const answered = { ...quiet, lastUpdatedAt: at('2021-07-19 11:00') };
    const now = at('2021-07-22 10:00');
    expect(keys(planNudges(snapshot([group({ actions: [quiet] })], { history }), now)).filter((k) => k.startsWith('escalation'))).toHaveLength(2);
    const after = planNudges(snapshot([group({ actions: [answered] })], { history }), now);
    expect(after.messages).toEqual([]); // updated 3 working days ago: no nudge yet, nothing to escalate
  });

  it('sends a due-soon reminder once per due date, and again for a revised date', () => {
    const a = action({ dueDate: '2021-07-09' });
    const sent = simulate(workingDays('2021-07-05', '2021-07-09'), [group({ actions: [a] })]);
    expect(sent.map((s) => [s.day, s.reasons])).toEqual([['2021-07-06', ['due-soon']]]);
    const revised = { ...a, dueDate: '2021-07-16' };
    const history: Mention[] = [{ personId: OWNER, actionId: a.id, reason: 'due-soon', window: '2021-07-09', on: '2021-07-06' }];
    expect(nudgeFor(planNudges(snapshot([group({ actions: [revised] })], { history }), at('2021-07-13 10:00')))?.message).toMatchObject({ reasons: ['due-soon'] });
  });
});

describe('ongoing and stale', () => {
  it.each([
    ['updated 41 days ago', '2021-05-21 10:00', null],
    ['updated 42 days ago', '2021-05-20 10:00', ['stale']],
    ['never updated, imported 60 days ago', null, ['stale']],
  ] as const)('an Ongoing action %s', (_name, updated, reasons) => {
    const a = action({ dueDate: null, dueKind: 'ongoing', lastUpdatedAt: updated ? at(updated) : null, createdAt: at('2021-05-02 10:00') });
    const m = nudgeFor(planNudges(snapshot([group({ actions: [a] })]), at('2021-07-01 10:00')));
    expect(m?.message.kind === 'nudge' ? m.message.reasons : null).toEqual(reasons);
  });

  it('reminds about a stale action once per period, not every day', () => {
    const a = action({ dueDate: null, dueKind: 'ongoing', lastUpdatedAt: at('2021-05-20 10:00') });
    const first = planNudges(snapshot([group({ actions: [a] })]), at('2021-07-01 10:00'));
    const history = first.messages.flatMap((m) => m.mentions);
    expect(history).toEqual([{ personId: OWNER, actionId: a.id, reason: 'stale', window: '2021-05-20#1', on: '2021-07-01' }]);
    expect(planNudges(snapshot([group({ actions: [a] })], { history }), at('2021-07-02 10:00')).messages).toEqual([]);
    // 84 days without an update: the next period.
    expect(nudgeFor(planNudges(snapshot([group({ actions: [a] })], { history }), at('2021-08-12 10:00')))?.mentions[0]?.window).toBe('2021-05-20#2');
  });
});

describe('snoozes', () => {
  it.each([
    ['snoozed until next week: nothing', at('2021-07-08 09:00'), false],
    ['snooze ended yesterday: nudged', at('2021-06-30 09:00'), true],
    ['snoozed until 09:30 today, sent at 09:00: still quiet', at('2021-07-01 09:30'), false],
  ] as const)('%s', (_name, until, nudged) => {
    const a = action({ dueDate: '2021-06-29', snoozes: [{ personId: OWNER, until, createdAt: at('2021-06-24 10:00') }] });
    expect(nudgeFor(planNudges(snapshot([group({ actions: [a] })]), at('2021-07-01 08:00'))) !== undefined).toBe(nudged);
  });

  it('a snooze is per person: the co-owner is still nudged', () => {
    const a = action({ dueDate: '2021-06-29', ownerIds: [OWNER, OTHER], snoozes: [{ personId: OWNER, until: at('2021-07-08 09:00'), createdAt: at('2021-06-30 10:00') }] });
    const plan = planNudges(snapshot([group({ actions: [a] })]), at('2021-07-01 10:00'));
    expect(keys(plan)).toEqual([`nudge:${OTHER}:2021-07-01`]);
  });
});

describe('Red turns', () => {
  it.each([
    ['turned Red yesterday: manager and chair hear, the owner is not escalated to', at('2021-06-30 15:00'), 'red', [`escalation:red:${CHAIR}:su1`, `escalation:red:${MANAGER}:su1`]],
    ['turned Red 20 days ago: old news', at('2021-06-11 15:00'), 'red', []],
    ['turned Red then Amber: nothing', at('2021-06-30 15:00'), 'amber', []],
  ] as const)('%s', (_name, when, brag, expected) => {
    const a = action({ dueDate: '2021-09-30', brag, turnedRed: { statusUpdateId: 'su1', at: when }, latestNote: 'Funding withdrawn' });
    const plan = planNudges(snapshot([group({ actions: [a] })]), at('2021-07-01 10:00'));
    expect(keys(plan).filter((k) => k.startsWith('escalation'))).toEqual(expected);
    if (expected.length) expect(plan.messages[0]?.message).toMatchObject({ kind: 'escalation', reason: 'red', ownerName: 'Olu Owner', actions: [{ latestNote: 'Funding withdrawn' }] });
  });

  it('escalates each Red turn once', () => {
    const a = action({ dueDate: '2021-09-30', brag: 'red', turnedRed: { statusUpdateId: 'su1', at: at('2021-06-30 15:00') } });
    const first = planNudges(snapshot([group({ actions: [a] })]), at('2021-07-01 10:00'));
    const history = first.messages.flatMap((m) => m.mentions);
    expect(planNudges(snapshot([group({ actions: [a] })], { history }), at('2021-07-02 10:00')).messages).toEqual([]);
    const again = { ...a, turnedRed: { statusUpdateId: 'su2', at: at('2021-07-05 11:00') } };
    expect(planNudges(snapshot([group({ actions: [again] })], { history }), at('2021-07-06 10:00')).messages).toHaveLength(2);
  });

  it('with no line manager, the group’s managers hear instead', () => {
    const a = action({ dueDate: '2021-09-30', brag: 'red', ownerIds: [OTHER], turnedRed: { statusUpdateId: 'su1', at: at('2021-06-30 15:00') } });
    const plan = planNudges(snapshot([group({ actions: [a], managerIds: [MANAGER] })]), at('2021-07-01 10:00'));
    expect(keys(plan)).toEqual([`escalation:red:${CHAIR}:su1`, `escalation:red:${MANAGER}:su1`]);
  });
});

/**
 * Issue 10 pt 8: escalation keys. The scheduler ticks through the day; each plan's messages go
 * to the outbox, where a key already present inserts nothing. Every newly Red action must reach
 * the manager and the chair at the next tick: several may share a message when planned together,
 * none may wait for another day's key. Replicas and restarts plan the same keys.
 */
describe('escalations through a day of ticks (the outbox as the judge of keys)', () => {
  interface Tick {
    at: string;
    /** Actions Red by then: ref → when they turned Red (London time). */
    red: Record<string, string>;
  }
  const turned = (ref: string, when: string) => action({ id: `red-${ref}`, ref, dueDate: '2021-09-30', brag: 'red', turnedRed: { statusUpdateId: `su-${ref}`, at: at(when) } });

  /** Runs the ticks like the scheduler: plan, insert unless the key exists, feed back what was inserted. */
  function run(ticks: Tick[], o: { replicas?: number } = {}) {
    const outbox = new Map<string, PlannedMessage>();
    const told: { tick: string; to: string; refs: string[] }[] = [];
    for (const tick of ticks) {
      const actions = Object.entries(tick.red).map(([ref, when]) => turned(ref, when));
      const history = [...outbox.values()].flatMap((m) => m.mentions);
      // Replicas (or a restart) plan the same snapshot at the same moment.
      const plans = Array.from({ length: o.replicas ?? 1 }, () => planNudges(snapshot([group({ actions })], { history }), at(tick.at)));
      for (const plan of plans) {
        for (const m of plan.messages.filter((x) => x.kind === 'escalation')) {
          if (outbox.has(m.idempotencyKey)) continue;
          outbox.set(m.idempotencyKey, m);
          told.push({ tick: tick.at, to: m.recipient.type === 'person' ? m.recipient.personId : '', refs: cards(m).map((c) => c.ref).sort() });
        }
      }
    }
    return told;
  }
  const both = (tick: string, refs: string[]) => [{ tick, to: CHAIR, refs }, { tick, to: MANAGER, refs }];

  it.each<{ name: string; ticks: Tick[]; told: ReturnType<typeof run> }>([
    {
      name: 'a second action turns Red the same day: told at the next tick, not the next day',
      ticks: [
        { at: '2021-07-01 10:00', red: { 7: '2021-07-01 09:30' } },
        { at: '2021-07-01 11:00', red: { 7: '2021-07-01 09:30', 9: '2021-07-01 10:40' } },
        { at: '2021-07-02 10:00', red: { 7: '2021-07-01 09:30', 9: '2021-07-01 10:40' } },
      ],
      told: [...both('2021-07-01 10:00', ['7']), ...both('2021-07-01 11:00', ['9'])],
    },
    {
      name: 'two actions turn Red before the same tick: one message each for manager and chair, listing both',
      ticks: [{ at: '2021-07-01 10:00', red: { 7: '2021-07-01 09:10', 9: '2021-07-01 09:40' } }],
      told: both('2021-07-01 10:00', ['7', '9']),
    },
    {
      name: 'three turns across the day, each at its next tick; nothing repeated later',
      ticks: [
        { at: '2021-07-01 10:00', red: { 1: '2021-07-01 09:00' } },
        { at: '2021-07-01 12:00', red: { 1: '2021-07-01 09:00', 2: '2021-07-01 11:00' } },
        { at: '2021-07-01 14:00', red: { 1: '2021-07-01 09:00', 2: '2021-07-01 11:00', 3: '2021-07-01 13:59' } },
        { at: '2021-07-01 16:00', red: { 1: '2021-07-01 09:00', 2: '2021-07-01 11:00', 3: '2021-07-01 13:59' } },
      ],
      told: [...both('2021-07-01 10:00', ['1']), ...both('2021-07-01 12:00', ['2']), ...both('2021-07-01 14:00', ['3'])],
    },
    {
      name: 'Red after the working day: planned for the next morning, then a later one that morning still gets through',
      ticks: [
        { at: '2021-07-01 18:30', red: { 4: '2021-07-01 18:00' } },
        { at: '2021-07-02 09:30', red: { 4: '2021-07-01 18:00', 5: '2021-07-02 09:15' } },
      ],
      told: [...both('2021-07-01 18:30', ['4']), ...both('2021-07-02 09:30', ['5'])],
    },
  ])('$name', ({ ticks, told }) => {
    expect(run(ticks)).toEqual(told);
  });

  it('replicas and restarts planning the same moment insert each message once', () => {
    const ticks: Tick[] = [
      { at: '2021-07-01 10:00', red: { 7: '2021-07-01 09:30' } },
      { at: '2021-07-01 10:00', red: { 7: '2021-07-01 09:30' } }, // a restart re-runs the tick
      { at: '2021-07-01 11:00', red: { 7: '2021-07-01 09:30', 9: '2021-07-01 10:40' } },
    ];
    expect(run(ticks, { replicas: 3 })).toEqual([...both('2021-07-01 10:00', ['7']), ...both('2021-07-01 11:00', ['9'])]);
  });
});

describe('update rounds and meetings', () => {
  const roundGroup = (actions = [action({ dueDate: '2021-09-30' })]) =>
    // "First Monday": 3 May 2021 is a bank holiday, so the meeting is on Tuesday 4 May;
    // 5 working days before it (skipping the holiday) is Monday 26 April.
    group({ cadence: 'monthly', cadenceAnchor: '2021-05-03', channelPlatforms: ['slack', 'teams'], actions });

  it.each([
    ['2021-04-23 10:00', null],
    ['2021-04-26 10:00', '2021-05-04'],
    ['2021-04-30 16:00', '2021-05-04'],
    ['2021-05-04 10:00', null], // the meeting day itself: too late to ask
  ])('on %s the round is open for %s', (now, meeting) => {
    const plan = planNudges(snapshot([roundGroup()]), at(now));
    expect(plan.groups[0]?.updateRoundFor).toBe(meeting);
    expect(plan.groups[0]?.meetings[0]).toMatchObject(meeting ? { date: '2021-05-04', movedFrom: '2021-05-03', bankHoliday: 'Early May bank holiday' } : {});
    if (meeting) {
      expect(keys(plan)).toEqual([
        `nudge:${OWNER}:${plan.groups[0]!.today}`,
        'thread-open:g1:2021-05-04:slack',
        'thread-open:g1:2021-05-04:teams',
      ]);
      expect(nudgeFor(plan)?.message).toMatchObject({ reasons: ['update-round'], meeting: { groupName: 'Operational Group', date: '2021-05-04' } });
      expect(plan.messages[1]?.message).toEqual({ kind: 'thread-open', groupName: 'Operational Group', meetingDate: '2021-05-04', askedNames: ['Olu Owner'] });
    } else {
      expect(plan.messages).toEqual([]);
    }
  });

  it('asks each owner once per meeting, and reports a group with no channel', () => {
    const g = { ...roundGroup(), channelPlatforms: [] };
    const first = planNudges(snapshot([g]), at('2021-04-26 10:00'));
    expect(first.unrouted.map((u) => u.reason)).toEqual(['thread-open']);
    const history = first.messages.flatMap((m) => m.mentions);
    expect(planNudges(snapshot([g], { history }), at('2021-04-27 10:00')).messages).toEqual([]);
  });
});

describe('one message per person', () => {
  it('merges overdue, due-soon, stale and update-round actions (across groups) into one nudge', () => {
    const overdue = action({ ref: '1', dueDate: '2021-06-30', brag: 'amber', lastUpdatedAt: at('2021-06-25 10:00') });
    const dueSoon = action({ ref: '2', dueDate: '2021-07-05', lastUpdatedAt: at('2021-06-25 10:00') });
    const stale = action({ ref: '3', dueDate: null, dueKind: 'ongoing', lastUpdatedAt: at('2021-03-01 10:00') });
    const later = action({ ref: '4', dueDate: '2021-12-31', lastUpdatedAt: at('2021-06-25 10:00') });
    const other = group({ id: 'g2', slug: 'board', name: 'Corporate Parenting Board', meetings: [{ date: '2021-07-07', cancelled: false }], actions: [later] });
    const plan = planNudges(snapshot([group({ actions: [overdue, dueSoon, stale] }), other]), at('2021-07-01 10:00'));
    const mine = plan.messages.filter((m) => m.recipient.type === 'person' && m.recipient.personId === OWNER);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.message).toMatchObject({ kind: 'nudge', reasons: ['overdue', 'due-soon', 'stale', 'update-round'], meeting: { date: '2021-07-07' } });
    expect(cards(mine[0]).map((c) => `${c.groupSlug} ${c.ref}`)).toEqual(['board 4', 'ops 1', 'ops 2', 'ops 3']);
    expect(mine[0]?.reasonsByAction).toEqual({ [overdue.id]: ['overdue'], [dueSoon.id]: ['due-soon'], [stale.id]: ['stale'], [later.id]: ['update-round'] });
    expect(mine[0]?.kind).toBe('overdue');
  });

  it('a digest spanning groups is one message, its cards in group-name order whatever order the groups are planned in', () => {
    // Planned out of name order, two groups with the same name (their cards interleave by the card
    // order: overdue first, then Red before Amber, then due date, then ref), an owner listed twice.
    const groups = () => [
      group({ id: 'g-youth', slug: 'youth', name: 'Youth Board', actions: [
        action({ id: 'y1', ref: '1', dueDate: '2021-09-30', brag: 'red' }),
        action({ id: 'y2', ref: '2', dueDate: '2021-09-30', brag: 'amber', ownerIds: [OTHER] }),
      ] }),
      group({ id: 'g-adopt1', slug: 'adopt-1', name: 'Adoption Panel', actions: [
        action({ id: 'b1', ref: '10', dueDate: '2021-08-31', brag: 'amber' }),
        action({ id: 'b2', ref: '2', dueDate: '2021-09-30', brag: 'red' }),
        action({ id: 'b3', ref: '5', dueDate: '2021-09-30', brag: 'green' }),
      ] }),
      group({ id: 'g-adopt2', slug: 'adopt-2', name: 'Adoption Panel', actions: [
        action({ id: 'c1', ref: '3', dueDate: '2021-08-31', brag: 'red' }),
        action({ id: 'c2', ref: '1', dueDate: '2021-06-30', brag: 'green', ownerIds: [OWNER, OWNER] }),
      ] }),
    ];
    const listed = (plan: NudgePlan) => Object.fromEntries(plan.messages.map((m) => [m.idempotencyKey, cards(m).map((c) => `${c.groupSlug} ${c.ref}`)]));
    const plan = planNudges(snapshot(groups()), at('2021-07-05 10:00'));
    expect(listed(plan)).toEqual({
      [`digest:${CHAIR}:2021-07-05`]: ['adopt-2 1', 'adopt-2 3', 'adopt-1 2', 'adopt-1 10', 'youth 1', 'youth 2'],
      // The line manager: their people's actions only (Pat's is not), the twice-listed owner's once.
      [`digest:${MANAGER}:2021-07-05`]: ['adopt-2 1', 'adopt-2 3', 'adopt-1 2', 'adopt-1 10', 'youth 1'],
      [`nudge:${OWNER}:2021-07-05`]: ['adopt-2 1'],
    });
    const chairs = plan.messages.find((m) => m.idempotencyKey.startsWith(`digest:${CHAIR}:`));
    expect(chairs?.groupId).toBe('g-youth');
    expect(chairs?.actionIds).toEqual(['c2', 'c1', 'b2', 'b1', 'y1', 'y2']);
    expect(Object.keys(chairs?.reasonsByAction ?? {}).sort()).toEqual(['b1', 'b2', 'c1', 'c2', 'y1', 'y2']);
    for (const order of [[1, 2, 0], [2, 1, 0], [0, 2, 1]]) {
      const g = groups();
      expect(listed(planNudges(snapshot(order.map((i) => g[i]!)), at('2021-07-05 10:00')))).toEqual(listed(plan));
    }
  });

  it('a nudge spanning groups lists each action once, in group-name order, with the reasons of its mentions', () => {
    const board = group({ id: 'g2', slug: 'board', name: 'Corporate Parenting Board', actions: [
      action({ id: 'k1', ref: '2', dueDate: '2021-06-30' }),
      action({ id: 'k2', ref: '1', dueDate: '2021-07-05', ownerIds: [OWNER, OTHER, OWNER] }),
    ] });
    const ops = group({ actions: [action({ id: 'o1', ref: '1', dueDate: '2021-06-29', lastUpdatedAt: at('2021-03-01 10:00') })] });
    const plan = planNudges(snapshot([ops, board]), at('2021-07-01 10:00'));
    const mine = nudgeFor(plan);
    expect(cards(mine).map((c) => `${c.groupSlug} ${c.ref}`)).toEqual(['board 2', 'board 1', 'ops 1']);
    expect(mine?.groupId).toBe('g1');
    expect(mine?.reasonsByAction).toEqual({ o1: ['overdue'], k1: ['overdue'], k2: ['due-soon'] });
    expect(cards(nudgeFor(plan, OTHER)).map((c) => c.actionId)).toEqual(['k2']);
  });

  it("a person's nudge across groups goes at the latest of their send times, whichever group is planned first", () => {
    const early = group({ id: 'g-early', slug: 'early', name: 'Early Group', settings: { workingHours: { start: '09:00', end: '17:00' } }, actions: [action({ dueDate: '2021-06-29' })] });
    const late = group({ id: 'g-late', slug: 'late', name: 'Late Group', settings: { workingHours: { start: '10:30', end: '17:00' } }, actions: [action({ dueDate: '2021-06-28' })] });
    for (const groups of [[early, late], [late, early]]) {
      const m = nudgeFor(planNudges(snapshot(groups), at('2021-07-01 07:30')));
      expect(m?.idempotencyKey).toBe(`nudge:${OWNER}:2021-07-01`);
      expect(m?.notBefore.toISOString()).toBe('2021-07-01T09:30:00.000Z');
      expect(m?.groupId).toBe(groups[0]!.id);
      expect(cards(m)).toHaveLength(2);
    }
  });

  it('a planner that failed on a group will not finish a plan without it', () => {
    const planner = createNudgePlanner(snapshot([]), at('2021-07-01 10:00'));
    planner.addGroup(group({ id: 'g-ok', actions: [action({ dueDate: '2021-06-29' })] }));
    expect(() => planner.addGroup(group({ id: 'g-bad', actions: [action({ dueDate: '2021-02-30' })] }))).toThrow(RangeError);
    expect(() => planner.finish()).toThrow(/failed on a group/);
    expect(() => planner.addGroup(group({ id: 'g-next' }))).toThrow(/failed on an earlier group/);
  });

  it('is deterministic: the same snapshot and now give the same plan', () => {
    const s = snapshot([group({ actions: [action({ dueDate: '2021-06-30' }), action({ dueDate: '2021-07-02' })] })]);
    expect(planNudges(s, at('2021-07-01 10:00'))).toEqual(planNudges(s, at('2021-07-01 10:00')));
  });
});

describe('digest, not-mine, unowned, catch-up', () => {
  const attention = () => [
    action({ ref: '1', dueDate: '2021-09-30', brag: 'red' }),
    action({ ref: '2', dueDate: '2021-09-30', brag: 'amber', ownerIds: [OTHER] }),
    action({ ref: '3', dueDate: '2021-09-30', brag: 'green' }),
    action({ ref: '4', dueDate: '2021-05-28', brag: 'green', ownerIds: [] }),
  ];

  it('sends the weekly digest on Monday: the chair sees the group, the line manager their people', () => {
    const plan = planNudges(snapshot([group({ actions: attention() })]), at('2021-07-05 10:00'));
    const digests = plan.messages.filter((m) => m.kind === 'digest');
    expect(digests.map((m) => [m.idempotencyKey, cards(m).map((c) => c.ref)])).toEqual([
      [`digest:${CHAIR}:2021-07-05`, ['4', '1', '2']],
      [`digest:${MANAGER}:2021-07-05`, ['1']],
    ]);
    expect(digests[0]?.message).toMatchObject({ periodLabel: 'week of Monday 5 July 2021' });
    expect(plan.unrouted).toEqual([expect.objectContaining({ ref: '4', reason: 'overdue' })]);
  });

  it.each([
    ['Tuesday after the Spring bank holiday Monday', '2021-06-01 10:00', null, true],
    ['Wednesday, after a run on the Tuesday', '2021-06-02 10:00', '2021-06-01 16:00', false],
    ['Wednesday, the bot was down since the Friday before', '2021-06-02 10:00', '2021-05-28 16:00', true],
    ['an ordinary Thursday', '2021-07-08 10:00', '2021-07-07 16:00', false],
  ] as const)('digest on %s: %s', (_name, now, lastRun, expected) => {
    const plan = planNudges(snapshot([group({ actions: attention() })], { lastRunAt: lastRun ? at(lastRun) : null }), at(now));
    expect(plan.messages.some((m) => m.kind === 'digest' && m.idempotencyKey.endsWith(':2021-06-01'))).toBe(expected && now.startsWith('2021-06'));
    expect(plan.messages.some((m) => m.kind === 'digest')).toBe(expected);
  });

  it('tells each chair once about a "not my action", never the one who disclaimed it', () => {
    const a = action({ id: 'nm', dueDate: '2021-09-30', ownerIds: [] });
    const g = group({ chairIds: [CHAIR, OTHER], actions: [a], notMine: [{ statusUpdateId: 'su9', actionId: 'nm', personId: OTHER, actorName: 'Pat Other', at: at('2021-07-01 09:30'), note: 'Health lead' }] });
    const plan = planNudges(snapshot([g]), at('2021-07-01 10:00'));
    expect(keys(plan)).toEqual([`not-mine:su9:${CHAIR}`]);
    expect(plan.messages[0]?.message).toMatchObject({ kind: 'not-mine', recipientName: 'Asha Chair', fromName: 'Pat Other', action: { actionId: 'nm' } });
    expect(planNudges(snapshot([{ ...g, chairIds: [] }]), at('2021-07-01 10:00')).unrouted.map((u) => u.reason)).toEqual(['not-mine']);
  });

  it('after downtime plans once, marked catch-up, one message per person', () => {
    const actions = [action({ dueDate: '2021-06-28' }), action({ dueDate: '2021-06-29' }), action({ dueDate: '2021-07-05' })];
    const plan = planNudges(snapshot([group({ actions })], { lastRunAt: at('2021-06-28 16:00') }), at('2021-07-01 10:00'));
    expect(plan.catchUp).toBe(true);
    expect(keys(plan)).toEqual([`nudge:${OWNER}:2021-07-01`]);
    expect(nudgeFor(plan)?.message).toMatchObject({ reasons: ['overdue', 'due-soon', 'catch-up'] });
    expect(planNudges(snapshot([group({ actions })], { lastRunAt: at('2021-06-30 16:00') }), at('2021-07-01 10:00')).catchUp).toBe(false);
  });

  it('skips people it does not know and says who has nobody to tell', () => {
    const a = action({ dueDate: '2021-06-30', ownerIds: ['p-gone'] });
    const plan = planNudges(snapshot([group({ actions: [a] })], { people: PEOPLE }), at('2021-07-01 10:00'));
    expect(plan.messages).toEqual([]);
    expect(plan.unrouted).toHaveLength(1);
  });
});
