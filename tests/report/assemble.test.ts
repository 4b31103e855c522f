/** The pure assembly: (inputs, now) → report, no database and no clock. */
import { describe, expect, it } from 'vitest';
import { assembleReport, stateAt } from '../../src/core/report/assemble.js';
import { reportInputsHash } from '../../src/core/report/inputs-hash.js';
import { reportSettingsFrom } from '../../src/core/report/settings.js';
import type { ActionInput, ReportInputs, SectionInput, UpdateInput } from '../../src/core/report/types.js';

const at = (iso: string) => new Date(iso);

function section(id: string, heading: string, text: string, postedAt: string, extra: Partial<SectionInput> = {}): SectionInput {
  return { id, section: heading, headed: true, authorName: `${heading} lead`, personId: `p-${heading}`, authorTeam: null, text, postedAt: at(postedAt), editedAt: null, deletedAt: null, ...extra };
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
    convenorPersonIds: [],
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

  it('an "Introduction" reply is the chair’s own introduction: no generated sentence repeats it unless asked for', () => {
    const chairIntro = section('i', 'Introduction', 'Themes: Covid 19 and lockdown 3.', '2021-03-01T09:00:00Z');
    const r = assembleReport(inputs({ settings: { purpose: 'The purpose of the report is to inform the Board.' }, sections: [chairIntro] }), NOW);
    expect(r.sections).toEqual([]);
    expect(r.introduction).toEqual(['The purpose of the report is to inform the Board.', 'Themes: Covid 19 and lockdown 3.']);
    // Asked for, the generated sentence comes after the chair's words, not between them.
    const on = assembleReport(inputs({ settings: { purpose: 'The purpose of the report is to inform the Board.', coverageLine: true }, sections: [chairIntro] }), NOW);
    expect(on.introduction).toEqual([
      'The purpose of the report is to inform the Board.',
      'Themes: Covid 19 and lockdown 3.',
      'This report covers the meeting of the Operational Group on 10 March 2021 and the period since the previous meeting on 10 February 2021. No team or service has posted an update yet. The action plan\'s status is as at 9 March 2021.',
    ]);
    // The chair's introduction that opens with the purpose does not get it twice.
    const whole = section('i', 'Introduction', 'The purpose of the report is to inform the Board. This report covers January.', '2021-03-01T09:00:00Z');
    expect(assembleReport(inputs({ settings: { purpose: 'The purpose of the report is to inform the Board.' }, sections: [whole] }), NOW).introduction)
      .toEqual(['The purpose of the report is to inform the Board. This report covers January.']);
  });

  it('without a chair’s introduction, the generated one counts teams, not the chair’s own item; coverageLine=false turns it off', () => {
    const sections = [
      section('a', 'Court Team Update', 'Hearings are hybrid.', '2021-03-01T09:00:00Z'),
      section('b', 'Fostering Panel', '5 panels held.', '2021-03-02T09:00:00Z'),
      section('c', 'Strategy and Action Plan', 'The plan goes to the Board on 19 January.', '2021-03-03T09:00:00Z', { personId: 'p-chair' }),
    ];
    const r = assembleReport(inputs({ sections, convenorPersonIds: ['p-chair'] }), NOW);
    expect(r.introduction[1]).toContain('2 teams and services gave an update.');
    expect(r.sections.map((s) => [s.heading, s.convenorItem])).toEqual([['Court Team Update', false], ['Fostering Panel', false], ['Strategy and Action Plan', true]]);
    expect(assembleReport(inputs({ sections, convenorPersonIds: ['p-chair'], settings: { coverageLine: false } }), NOW).introduction).toHaveLength(1);
  });

  it('puts sections in the group’s order (by heading or by team), the rest after in posting order', () => {
    const r = assembleReport(inputs({
      settings: { sections: ['Leaving Care Service', 'Court Team', 'Fostering Panel'] },
      sections: [
        section('a', 'Fostering Panel', 'Panel.', '2021-03-01T09:00:00Z'),
        section('b', 'Extra item', 'Not in the list, posted first of the rest.', '2021-03-01T10:00:00Z'),
        // Its heading is its own wording; its author's team puts it in the Court Team's place.
        section('c', 'Hearings this period', 'Court.', '2021-03-02T09:00:00Z', { authorTeam: 'Court Team' }),
        section('d', 'Another extra', 'Not in the list, posted later.', '2021-03-03T09:00:00Z'),
        section('e', 'Leaving Care Service Update:', 'Pathway.', '2021-03-04T09:00:00Z'),
      ],
    }), NOW);
    expect(r.sections.map((s) => s.heading)).toEqual(['Leaving Care Service Update', 'Hearings this period', 'Fostering Panel', 'Extra item', 'Another extra']);
  });

  it('an unheaded follow-up continues its lead’s section (or their team’s), whichever was posted first', () => {
    const lead = { personId: 'p-fost', authorName: 'Fostering lead', authorTeam: 'Fostering Service' };
    const r = assembleReport(inputs({
      settings: { sections: ['Court Team Update', 'Fostering Service'] },
      sections: [
        section('f1', 'Fostering Service Update', 'Part one: 118 households.', '2021-03-01T09:00:00Z', lead),
        section('c1', 'Court Team', 'Hearings are hybrid.', '2021-03-01T10:00:00Z', { headed: false, personId: 'p-court', authorName: 'Court lead', authorTeam: 'Court Team' }),
        section('f2', 'Fostering Service', 'Part two: 6 new carers.', '2021-03-02T09:00:00Z', { ...lead, headed: false }),
        // A colleague of the same team, posting without a heading, continues the team's section too.
        section('f3', 'Fostering Service', 'Part three, from a colleague.', '2021-03-03T09:00:00Z', { headed: false, personId: 'p-fost2', authorName: 'Deputy', authorTeam: 'Fostering Service' }),
      ],
    }), NOW);
    expect(r.sections.map((s) => [s.heading, s.text, s.authors])).toEqual([
      // An unheaded reply in a listed team's place takes the list's wording.
      ['Court Team Update', 'Hearings are hybrid.', ['Court lead']],
      ['Fostering Service Update', 'Part one: 118 households.\n\nPart two: 6 new carers.\n\nPart three, from a colleague.', ['Fostering lead', 'Deputy']],
    ]);
    // The follow-up posted before the headed reply still joins it, in posting order.
    const early = assembleReport(inputs({
      sections: [
        section('f2', 'Fostering Service', 'Earlier, unheaded.', '2021-03-01T08:00:00Z', { ...lead, headed: false }),
        section('f1', 'Fostering Service Update', 'Later, headed.', '2021-03-01T09:00:00Z', lead),
      ],
    }), NOW);
    expect(early.sections.map((s) => [s.heading, s.text])).toEqual([['Fostering Service Update', 'Earlier, unheaded.\n\nLater, headed.']]);
  });

  it('lists who was asked and has not replied; a team’s section counts for its lead', () => {
    const r = assembleReport(inputs({
      sections: [section('a', 'Court Team', 'Update.', '2021-03-02T09:00:00Z', { personId: 'p-deputy' })],
      asked: [
        { personId: 'p-lead', name: 'Court Lead', team: 'Court Team', reachable: true },
        { personId: 'p-deputy', name: 'Deputy', team: null, reachable: true },
        { personId: 'p-olu', name: 'Olu Owner', team: 'Pathway Team', reachable: true },
        { personId: 'p-olu', name: 'Olu Owner', team: 'Pathway Team', reachable: true },
      ],
    }), NOW);
    expect(r.notReplied).toEqual([{ name: 'Olu Owner', team: 'Pathway Team' }]);
  });

  it('lists apart the people bragbot could not ask (no Slack or Teams id)', () => {
    const r = assembleReport(inputs({
      asked: [
        { personId: 'p-rose', name: 'Rose Howley', team: null, reachable: false },
        { personId: 'p-olu', name: 'Olu Owner', team: 'Pathway Team', reachable: true },
      ],
    }), NOW);
    expect([r.notReplied, r.notAsked]).toEqual([[{ name: 'Olu Owner', team: 'Pathway Team' }], [{ name: 'Rose Howley', team: null }]]);
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
    // The order, as one line or a list; the coverage sentence as a flag.
    expect(reportSettingsFrom('{"report":{"sections":"Leaving Care; Court Team ;;Court team","coverageLine":"off"}}')).toEqual({ sections: ['Leaving Care', 'Court Team'], coverageLine: false });
    expect(reportSettingsFrom('{"report":{"sections":["Fostering Panel"],"coverageLine":true}}')).toEqual({ sections: ['Fostering Panel'], coverageLine: true });
    expect(reportSettingsFrom('{"report":{"sections":42,"purpose":"P"}}')).toEqual({ purpose: 'P' });
    expect(reportSettingsFrom('not json')).toEqual({});
    expect(reportSettingsFrom(null)).toEqual({});
  });
});
