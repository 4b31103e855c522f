/**
 * Plans as councils keep them (issue 13): status words, people's names, quarterly updates, title
 * rows, and export writing back every cell it read. Pure: parsePlan → layoutExport → parsePlan.
 */
import { describe, expect, it } from 'vitest';
import { parseBrag } from '../../src/core/brag.js';
import { MappingFile, type StoredLayout } from '../../src/core/import/layout.js';
import { parseLead } from '../../src/core/import/lead.js';
import { parsePlan, type SourceTable } from '../../src/core/import/parse-plan.js';
import { parseWorkbook } from '../../src/core/import/workbook.js';
import { exportOf } from '../support/export-of.js';

const table = (rows: string[][], sheet?: string): SourceTable => ({ fileName: 'plan.csv', ...(sheet ? { sheet } : {}), rows: rows.map((cells, i) => ({ number: i + 1, cells })) });

describe('status words (issue 13.1)', () => {
  it.each([
    ['On Track', 'green'], ['At Risk', 'amber'], ['Off Track', 'red'], ['Complete', 'blue'], ['Completed', 'blue'],
    ['Closed', 'blue'], ['Delayed', 'amber'], ['Green – on track', 'green'], ['Not Started', 'unrated'], ['AT RISK.', 'amber'],
  ] as const)('%j is %s, flagged as a guess', (word, brag) => {
    expect(parseBrag(word)).toEqual({ ok: true, brag, guessed: true });
  });

  it('warns once per distinct word, naming its first row and counting the rest; "Not Started" keeps its word', () => {
    const plan = parsePlan(table([
      ['Ref', 'Action', 'Update', 'Status'],
      ['1', 'a', '', 'On Track'],
      ['2', 'b', '', 'On Track'],
      ['3', 'c', '', 'Not Started'],
      ['4', 'd', '', 'On Track'],
      ['5', 'e', '', 'Green'],
    ]));
    expect(plan.errors).toEqual([]);
    expect(plan.actions.map((a) => a.brag)).toEqual(['green', 'green', 'unrated', 'green', 'green']);
    expect(plan.warnings.map((w) => [w.row, w.message])).toEqual([
      [2, 'read status "On Track" as Green (on track), here and on 2 more rows (3, 5)'],
      [4, 'read status "Not Started" as not yet rated (the word is kept)'],
    ]);
    expect(plan.actions[2]!.source.brag).toBe('Not Started');
  });

  it("a mapping file's status words map any other word", () => {
    const rows = [['Ref', 'Action', 'RAG'], ['1', 'a', 'Behind schedule'], ['2', 'b', 'Paused']];
    expect(parsePlan(table(rows)).errors.map((e) => e.row)).toEqual([2, 3]);
    const mapping = MappingFile.parse({ status: { 'behind schedule': 'Red', Paused: 'amber' } });
    const plan = parsePlan(table(rows), { mapping });
    expect(plan.errors).toEqual([]);
    expect(plan.actions.map((a) => a.brag)).toEqual(['red', 'amber']);
  });
});

describe("people's names (issue 13.4)", () => {
  it.each([
    ['Mark Jones'], ["Mark O'Neill"], ['Mark O’Neill'], ['Sarah Smith-Jones'], ['Dr Priya Patel'], ['Cllr Sam Green'], ['J. Smith'], ['A.B. Khan'], ['Ian McDonald'], ["D'Arcy Thompson"],
  ])('%j in a Responsible Officer column is an officer, with no warning', (name) => {
    expect(parseLead(name, 'officer')).toEqual({ agency: '', officers: [name], officer: name });
  });

  it('an uncertain read is a warning, and nothing is dropped', () => {
    const shouty = parseLead('MARK JONES', 'officer');
    expect([shouty.officer, shouty.guess]).toEqual(['MARK JONES', expect.stringContaining('check it')]);
    const agency = parseLead("Children's Social Care", 'officer');
    expect([agency.agency, agency.officer, agency.guess]).toEqual(["Children's Social Care", '', expect.stringContaining('no owner')]);
    expect(parseLead('Mark Jones and Sue Smith', 'officer').officers).toEqual(['Mark Jones', 'Sue Smith']);
  });

  it('York\'s combined cells keep working', () => {
    expect(parseLead("Children's Social Care, Dave Purcell")).toMatchObject({ agency: "Children's Social Care", officer: 'Dave Purcell' });
    expect(parseLead('Quality Assurance, Review and Safeguarding Service')).toMatchObject({ agency: 'Quality Assurance, Review and Safeguarding Service', officer: '' });
  });
});

describe('export writes back every cell it read (issue 13.5)', () => {
  const roundTrip = (rows: string[][]) => {
    const plan = parsePlan(table(rows));
    expect(plan.errors).toEqual([]);
    const out = exportOf(plan, { ...plan.layout, fileType: 'csv' })[0]!;
    return { plan, out, again: parsePlan(table(out)) };
  };

  it('"Priority 1: Improve …" in an objective column exports as written, not "Priority 1"', () => {
    const rows = [
      ['Priority', 'Action', 'Lead Officer', 'RAG'],
      ['Priority 1: Improve the timeliness of EHC needs assessments', 'Weekly panel', "Mark O'Neill", 'On Track'],
      ['Priority 1: Improve the timeliness of EHC needs assessments', 'Audit', 'Children\'s Social Care, Dave Purcell', 'RED'],
    ];
    const { out, plan, again } = roundTrip(rows);
    expect(out).toEqual(rows);
    expect(again.actions).toEqual(plan.actions);
    expect(again.objectives).toEqual(plan.objectives);
  });

  it('title rows, unnamed columns, repeated headers and heading rows come back as written', () => {
    const rows = [
      ['SEND Partnership Action Plan 2025-26'],
      [],
      ['Ref', 'Action', 'Notes', 'Notes', 'RAG', ''],
      ['Objective 3; ACHIEVING PERMANENCY'],
      ['The purpose, in the council\'s words'],
      ['1', 'a', 'n1', 'n2', 'At Risk', 'stray'],
    ];
    const { out, plan, again } = roundTrip(rows);
    expect(plan.title).toBe('SEND Partnership Action Plan 2025-26');
    expect(plan.actions[0]!.extra).toEqual({ Notes: 'n1', 'Notes (2)': 'n2', 'Column F': 'stray' });
    expect(out).toEqual([rows[0], [], ['Ref', 'Action', 'Notes', 'Notes', 'RAG', ''], ['Objective 3; ACHIEVING PERMANENCY', '', '', '', '', ''], ["The purpose, in the council's words", '', '', '', '', ''], rows[5]]);
    expect(again.actions).toEqual(plan.actions);
  });
});

describe('quarterly updates (issue 13.7)', () => {
  it('keeps every quarter; the latest non-empty one is the progress where there is no progress column', () => {
    const rows = [
      ['Ref', 'Action', 'Q1 Update (Apr-Jun)', 'Q2 Update (Jul-Sep)', 'Q3 Update (Oct-Dec)', 'RAG'],
      ['1', 'a', 'started', 'half way', '', 'Green'],
      ['2', 'b', '', '', '', 'Green'],
    ];
    const plan = parsePlan(table(rows));
    expect(plan.actions.map((a) => a.progress)).toEqual(['half way', '']);
    expect(plan.actions[0]!.extra).toEqual({ 'Q1 Update (Apr-Jun)': 'started', 'Q2 Update (Jul-Sep)': 'half way' });
    // A newer progress (from chat) goes in the next quarter; the earlier ones stay.
    const layout: StoredLayout = { ...plan.layout, fileType: 'csv' };
    const changed = { ...plan, actions: plan.actions.map((a, i) => (i === 0 ? { ...a, progress: 'nearly done' } : a)) };
    expect(exportOf(changed, layout)[0]![1]).toEqual(['1', 'a', 'started', 'half way', 'nearly done', 'Green']);
    expect(exportOf(plan, layout)[0]).toEqual(rows);
  });
});

describe('one sheet per objective (issue 13.2)', () => {
  it('imports every sheet with an action table, names objectives after sheets without objective rows, lists the rest', () => {
    const header = ['Ref', 'Action', 'Responsible Officer', 'By When', 'Status'];
    const wb = parseWorkbook([
      table([['Corporate Parenting Tracker 2025-26'], ['Prepared by the Virtual School']], 'Cover'),
      table([header, ['1', 'Listen to young people', 'Mark Jones', '30/11/2026', 'On Track']], 'Voice'),
      table([header, ['1', 'Stable homes', "Mark O'Neill", '31/12/2026', 'At Risk'], ['2', 'Fewer moves', 'Dr Priya Patel', 'Ongoing', 'Complete']], 'Homes'),
      table([['Status'], ['On Track'], ['At Risk']], 'Lookups'),
    ]);
    expect(wb.errors).toEqual([]);
    expect(wb.title).toBe('Corporate Parenting Tracker 2025-26');
    expect(wb.objectives.map((o) => o.title)).toEqual(['Voice', 'Homes']);
    expect(wb.actions.map((a) => [a.rowKey, a.objectivePosition, a.leadOfficer])).toEqual([['Voice!1', 1, 'Mark Jones'], ['Homes!1', 2, "Mark O'Neill"], ['Homes!2', 2, 'Dr Priya Patel']]);
    expect(wb.sheets.map((s) => [s.sheet, s.imported])).toEqual([['Cover', false], ['Voice', true], ['Homes', true], ['Lookups', false]]);
    expect(wb.sheets[0]!.reason).toMatch(/^no action table: none of its first rows names an activity column/);
    expect(wb.warnings.every((w) => w.sheet === 'Voice' || w.sheet === 'Homes')).toBe(true);
    expect(wb.warnings.find((w) => w.message.includes('At Risk'))).toMatchObject({ sheet: 'Homes', row: 2 });
  });
});
