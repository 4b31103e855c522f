/** The pure assembly: (inputs, now) → report, no database and no clock. */
import { describe, expect, it } from 'vitest';
import { assembleReport, stateAt } from '../../src/core/report/assemble.js';
import { reportInputsHash } from '../../src/core/report/inputs-hash.js';
import { reportSettingsFrom } from '../../src/core/report/settings.js';
import type { ActionInput, ReportInputs, SectionInput, UpdateInput } from '../../src/core/report/types.js';

const at = (iso: string) => new Date(iso);

function section(id: string, heading: string, text: string, postedAt: string, extra: Partial<SectionInput> = {}): SectionInput {
  return { id, section: heading, authorName: `${heading} lead`, personId: `p-${heading}`, text, postedAt: at(postedAt), editedAt: null, deletedAt: null, ...extra };
}

function action(id: string, extra: Partial<ActionInput> = {}): ActionInput {
  return {
    id, ref: id, position: Number(id) || 0, activity: `Activity ${id}`, objective: null, progress: '', brag: 'green',
    dueKind: 'date', dueDate: '2021-06-30', dueRaw: '30/06/21', leadAgency: "Children's Social Care", leadOfficer: '',
    ownerNames: [], firstSeenAt: at('2021-01-01T00:00:00Z'), archivedAt: null, ...extra,
  };
}

function update(actionId: string, when: string, fromBrag: UpdateInput['fromBrag'], toBrag: UpdateInput['toBrag'], extra: Partial<UpdateInput> = {}): UpdateInput {
  return { actionId, at: at(when), actorName: 'Rose Howley', kind: 'update', channel: 'slack', fromBrag, toBrag, note: null, fromDueRaw: null, revisedDueRaw: null, revisedDueDate: null, ...extra };
}

function inputs(over: Partial<ReportInputs> = {}): ReportInputs {
  return {
    group: { slug: 'ops', name: 'Operational Group', reportsToName: 'Strategic Partnership' },
    region: 'ENG',
    meeting: { date: '2021-03-10', title: null },
    previousMeetingDate: '2021-02-10',
    previousReport: null,
    settings: {},
    sections: [],
    actions: [],
    updates: [],
    asked: [],
    signOff: { name: 'Asha Chair', role: 'Assistant Director' },
    ...over,
  };
}

const NOW = at('2021-03-09T12:00:00Z');

describe('sections', () => {
  it('keeps the order of first posting, merges a team’s replies, drops deleted and not-yet-posted replies', () => {
    const r = assembleReport(inputs({
      sections: [
        section('a', 'Court Team', 'Second team, first reply.', '2021-03-02T09:00:00Z'),
        section('b', 'Fostering Service:', 'First team: 118 households.', '2021-03-01T09:00:00Z'),
        section('c', 'court team', 'Second team, second reply.', '2021-03-05T09:00:00Z'),
        section('d', 'Pathway Team', 'Deleted.', '2021-02-28T09:00:00Z', { deletedAt: at('2021-02-28T10:00:00Z') }),
        section('e', 'Pathway Team', 'Tomorrow.', '2021-03-10T09:00:00Z'),
      ],
    }), NOW);
    expect(r.sections.map((s) => [s.heading, s.text])).toEqual([
      ['Fostering Service', 'First team: 118 households.'],
      ['Court Team', 'Second team, first reply.\n\nSecond team, second reply.'],
    ]);
    expect(r.sections[1]!.authors).toEqual(['Court Team lead', 'court team lead']);
  });

  it('marks replies after the meeting as late and includes them (until publication freezes a version)', () => {
    const r = assembleReport(inputs({ sections: [section('a', 'Court Team', 'Late but welcome.', '2021-03-11T08:00:00Z')] }), at('2021-03-11T12:00:00Z'));
    expect(r.sections[0]).toMatchObject({ heading: 'Court Team', late: true });
  });

  it('an "Introduction" reply is the chair’s own introduction, after the generated one', () => {
    const r = assembleReport(inputs({
      settings: { purpose: 'The purpose of the report is to inform the Board.' },
      sections: [section('i', 'Introduction', 'Themes: Covid 19 and lockdown 3.', '2021-03-01T09:00:00Z')],
    }), NOW);
    expect(r.sections).toEqual([]);
    expect(r.introduction[0]).toBe('The purpose of the report is to inform the Board.');
    expect(r.introduction[1]).toBe('This report covers the meeting of the Operational Group on 10 March 2021 and the period since the previous meeting on 10 February 2021. No team or service has posted an update yet. The action plan\'s status is as at 9 March 2021.');
    expect(r.introduction[2]).toBe('Themes: Covid 19 and lockdown 3.');
  });

  it('lists who was asked and has not replied; a team’s section counts for its lead', () => {
    const r = assembleReport(inputs({
      sections: [section('a', 'Court Team', 'Update.', '2021-03-02T09:00:00Z', { personId: 'p-deputy' })],
      asked: [
        { personId: 'p-lead', name: 'Court Lead', team: 'Court Team' },
        { personId: 'p-deputy', name: 'Deputy', team: null },
        { personId: 'p-olu', name: 'Olu Owner', team: 'Pathway Team' },
        { personId: 'p-olu', name: 'Olu Owner', team: 'Pathway Team' },
      ],
    }), NOW);
    expect(r.notReplied).toEqual([{ name: 'Olu Owner', team: 'Pathway Team' }]);
  });
});

describe('plan status', () => {
  const plan = () => inputs({
    actions: [
      action('1', { brag: 'green', dueDate: '2021-03-01', dueRaw: '01/03/21', ownerNames: ['Rose Howley'] }),
      action('2', { brag: 'blue', dueDate: '2021-01-31' }),
      action('3', { brag: 'amber', dueKind: 'ongoing', dueDate: null, dueRaw: 'Ongoing', leadOfficer: 'Dave Purcell', progress: 'Recruiting' }),
      action('4', { brag: 'red', dueKind: 'month', dueDate: '2021-01-31', dueRaw: 'Jan-21' }),
      action('5', { brag: 'unrated', dueKind: 'unknown', dueDate: null, dueRaw: '' }),
      action('6', { brag: 'green', archivedAt: at('2021-02-20T00:00:00Z') }),
      action('7', { brag: 'green', firstSeenAt: at('2021-03-01T00:00:00Z') }),
      action('8', { brag: 'green', dueDate: '2021-09-30', dueRaw: '30/09/21' }),
    ],
    updates: [
      update('2', '2021-02-15T10:00:00Z', 'green', 'blue', { note: 'Done and dusted' }),
      update('3', '2021-02-20T10:00:00Z', 'green', 'amber', { note: 'Carers hard to find' }),
      update('4', '2021-01-05T10:00:00Z', 'green', 'red', { note: 'Old note' }),
      update('4', '2021-02-25T10:00:00Z', 'red', 'red', { note: 'Newest note' }),
      update('8', '2021-02-22T10:00:00Z', 'green', 'green', { fromDueRaw: '30/06/21', revisedDueRaw: '30/09/21', revisedDueDate: '2021-09-30', note: 'Waiting for the contract' }),
      update('4', '2021-03-20T10:00:00Z', 'red', 'amber', { note: 'In the future of this report' }),
    ],
  });

  it('counts by BRAG as of now, without archived actions', () => {
    const r = assembleReport(plan(), NOW);
    expect(r.plan.counts).toEqual({ red: 1, amber: 1, green: 3, blue: 1, unrated: 1 });
    expect(r.plan.total).toBe(7);
  });

  it('lists overdue actions with owners and working days overdue: dated and month actions only, never Blue or Ongoing', () => {
    const r = assembleReport(plan(), NOW);
    // Working days after the due date up to 9 March: Jan-21 (due Sunday 31 January) 20 in February + 7 in March; 01/03/21 6.
    expect(r.plan.overdue.map((o) => [o.ref, o.daysOverdue, o.owners])).toEqual([
      ['4', 27, ["Children's Social Care"]],
      ['1', 6, ['Rose Howley']],
    ]);
  });

  it('lists Red then Amber with the latest note as of now (or where they are, when nobody wrote one)', () => {
    const r = assembleReport(plan(), NOW);
    expect(r.plan.redAmber.map((f) => [f.ref, f.brag, f.latestNote?.text ?? null, f.owners])).toEqual([
      ['4', 'red', 'Newest note', ["Children's Social Care"]],
      ['3', 'amber', 'Carers hard to find', ['Dave Purcell']],
    ]);
  });

  it('derives changes since the previous meeting from the history: moves, completions, new and re-dated actions', () => {
    const cmp = assembleReport(plan(), NOW).plan.comparison!;
    expect(cmp.kind).toBe('meeting');
    expect(cmp.label).toBe('the previous meeting (10 February 2021)');
    expect(cmp.counts).toEqual({ red: 1, amber: 0, green: 5, blue: 0, unrated: 1 });
    expect(cmp.completions.map((m) => [m.ref, m.from, m.to, m.by])).toEqual([['2', 'green', 'blue', 'Rose Howley']]);
    expect(cmp.moves.map((m) => [m.ref, m.from, m.to])).toEqual([['3', 'green', 'amber']]);
    expect(cmp.newActions.map((a) => a.ref)).toEqual(['7']);
    expect(cmp.redated.map((d) => [d.ref, d.fromDueRaw, d.toDueRaw, d.note])).toEqual([['8', '30/06/21', '30/09/21', 'Waiting for the contract']]);
  });

  it('compares with the last published report when there is one', () => {
    const r = assembleReport({ ...plan(), previousReport: { version: 2, meetingDate: '2021-02-10', asOf: at('2021-02-18T09:00:00Z') } }, NOW);
    expect(r.plan.comparison!.kind).toBe('report');
    expect(r.plan.comparison!.label).toBe('the last report (meeting of 10 February 2021, version 2, as at 18 February 2021)');
    expect(r.plan.comparison!.completions).toEqual([]);
    expect(r.plan.comparison!.moves.map((m) => m.ref)).toEqual(['3']);
  });

  it('has no comparison for a first meeting', () => {
    expect(assembleReport({ ...plan(), previousMeetingDate: null }, NOW).plan.comparison).toBeNull();
  });

  it('rebuilds an action’s state at any instant from its history', () => {
    const p = plan();
    const four = p.actions.find((a) => a.id === '4')!;
    const history = p.updates.filter((u) => u.actionId === '4');
    expect(stateAt(four, history, at('2021-01-01T00:00:00Z')).brag).toBe('green');
    expect(stateAt(four, history, NOW).brag).toBe('red');
    expect(stateAt(four, history, at('2021-03-21T00:00:00Z')).brag).toBe('amber');
    const eight = p.actions.find((a) => a.id === '8')!;
    expect(stateAt(eight, p.updates.filter((u) => u.actionId === '8'), at('2021-02-01T00:00:00Z'))).toMatchObject({ dueRaw: '30/06/21', dueDate: '2021-06-30', dueKind: 'date' });
  });
});

describe('purity and settings', () => {
  it('the same inputs and instant give the same report and hash; a new day changes the hash', () => {
    const a = inputs({ sections: [section('a', 'Court Team', '42 cases.', '2021-03-02T09:00:00Z')], actions: [action('1')] });
    expect(assembleReport(a, NOW)).toEqual(assembleReport(structuredClone(a), NOW));
    expect(reportInputsHash(a, NOW)).toBe(reportInputsHash(structuredClone(a), at('2021-03-09T23:00:00Z')));
    expect(reportInputsHash(a, NOW)).not.toBe(reportInputsHash(a, at('2021-03-10T00:30:00Z')));
    // A reply posted after the instant does not count, for the report or its hash.
    const later = { ...a, sections: [...a.sections, section('b', 'Pathway', 'later', '2021-03-09T18:00:00Z')] };
    expect(reportInputsHash(later, NOW)).toBe(reportInputsHash(a, NOW));
  });

  it('reads the report block of the group settings leniently', () => {
    expect(reportSettingsFrom('{"region":"ENG","report":{"purpose":"P","signOff":"Simon Fisher"}}')).toEqual({ purpose: 'P', signOff: 'Simon Fisher' });
    expect(reportSettingsFrom('{"report":{"purpose":42}}')).toEqual({});
    expect(reportSettingsFrom('not json')).toEqual({});
    expect(reportSettingsFrom(null)).toEqual({});
  });
});
