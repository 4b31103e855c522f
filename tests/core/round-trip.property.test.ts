/**
 * The round trip as a property (issue 13.5): for any plan-shaped table that imports without row
 * errors, exporting it (through the CSV writer and reader, formula cells defused and restored) and
 * importing the export gives the same objectives and actions, and exporting that again gives the
 * same file. Pure and fast: parsePlan → layoutExport → renderCsv → csv-parse → parsePlan.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredLayout } from '../../src/core/import/layout.js';
import { parsePlan, type ParsedPlan, type SourceTable } from '../../src/core/import/parse-plan.js';
import { renderCsv, undefuseCsvCell } from '../../src/render/csv.js';
import { exportOf } from '../support/export-of.js';

const HEADERS = {
  ref: ['Ref', 'No.', 'Action Ref'],
  objective: ['Priority', 'Objective', 'Theme'],
  activity: ['Activity', 'Action', 'What will we do?'],
  progress: ['Where Are We Now?', 'Progress Update', 'Commentary'],
  evidence: ['Evidence', 'How will we measure success?'],
  lead: ['Lead Agency and Lead Officer', 'Responsible Officer', 'Lead Agency', 'Who will do it?'],
  due: ['By When', 'Target Date', 'Deadline'],
  brag: ['BRAG', 'RAG Status', 'Status'],
} as const;
type Field = keyof typeof HEADERS;

const word = fc.constantFrom('Green', 'RED', 'Amber', 'Blue', '', 'On Track', 'At Risk', 'Off Track', 'Completed', 'Closed', 'Delayed', 'Not Started', 'Green – on track');
const date = fc.constantFrom('30/06/21', '31/07//2021', 'Jan-22', 'Ongoing', '03/09/21', 'TBC', '', '2026-11-30', 'By end Oct 2020 100% children');
const person = fc.constantFrom('Mark Jones', "Mark O'Neill", 'Mark O’Neill', 'Dr Priya Patel', 'Cllr Jo Bell', 'J. R. Patel', 'Mark Jones and Sue Smith', 'MARK JONES', "Children's Social Care", "Children's Social Care (Rose Howley)", "Children's Social Care, Dave Purcell", 'Health and CAMHS', '');
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('=HYPERLINK("x")', '+cmd', '@SUM(1)', '-2', "'quoted'", 'two\nlines', 'a,b;c', '"', 'Objective 9 – looks like a heading', ' padded  spaces '),
);
const extraHeader = fc.constantFrom('Notes', 'Notes', 'Specific actions to drive change', 'Q1 Update (Apr-Jun)', 'Q2 Update (Jul-Sep)', '');

const plan = fc
  .record({
    fields: fc.shuffledSubarray(['ref', 'objective', 'progress', 'evidence', 'lead', 'due', 'brag'] as Field[]),
    pick: fc.array(fc.nat(3), { minLength: 8, maxLength: 8 }),
    extras: fc.array(extraHeader, { maxLength: 3 }),
    preamble: fc.array(fc.array(fc.oneof(fc.constant(''), fc.string({ minLength: 1, maxLength: 20 })), { maxLength: 2 }), { maxLength: 2 }),
    rows: fc.array(
      fc.oneof(
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('heading' as const), text: fc.oneof(fc.constantFrom('Objective 1 – Voice', 'Priority 2: Improve the timeliness of EHC needs assessments', 'Objective 3; ACHIEVING PERMANENCY'), fc.string({ minLength: 1, maxLength: 25 })) }) },
        { weight: 4, arbitrary: fc.record({ kind: fc.constant('action' as const), ref: fc.oneof(fc.constantFrom('1', '2', '34', '1.2', 'A4', ''), fc.nat(99).map(String)), objective: fc.constantFrom('1', '2', 'Priority 1: Improve the timeliness', ''), activity: fc.oneof(text, fc.constant('Ensure that young people are heard')), progress: text, evidence: text, lead: person, due: date, brag: word, extra: fc.array(text, { minLength: 3, maxLength: 3 }) }) },
      ),
      { minLength: 1, maxLength: 12 },
    ),
  })
  .map(({ fields, pick, extras, preamble, rows }) => {
    const cols: Field[] = ['activity', ...fields];
    const headers = [...cols.map((f, i) => HEADERS[f][pick[i]! % HEADERS[f].length]!), ...extras];
    const body = rows.map((r) => {
      if (r.kind === 'heading') return [r.text, ...Array<string>(headers.length - 1).fill('')];
      return [...cols.map((f) => (f === 'activity' ? r.activity : r[f])), ...extras.map((_, i) => r.extra[i] ?? '')];
    });
    // Preamble rows of words only, so none is taken for the header.
    return [...preamble.map((p) => p.map((c) => c.replace(/[^a-z ]/gi, 'x'))), headers, ...body];
  });

const table = (rows: string[][]): SourceTable => ({ fileName: 'plan.csv', rows: rows.map((cells, i) => ({ number: i + 1, cells })) });
const throughCsv = (rows: string[][]): string[][] => (parse(renderCsv(rows).replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][]).map((r) => r.map(undefuseCsvCell));
const withoutRows = (p: ParsedPlan) => ({
  objectives: p.objectives.map(({ row: _r, ...o }) => o),
  actions: p.actions.map(({ row: _r, ...a }) => a),
});

describe('import → export → import is identical', () => {
  it('for any plan-shaped table that imports', () => {
    let imported = 0;
    fc.assert(
      fc.property(plan, (rows) => {
        const first = parsePlan(table(rows));
        if (first.errors.length > 0 || first.layout.headerRow === 0) return;
        imported += 1;
        const layout: StoredLayout = { ...first.layout, fileType: 'csv' };
        const out = throughCsv(exportOf(first, layout)[0]!);
        const second = parsePlan(table(out));
        expect(second.errors).toEqual([]);
        expect(withoutRows(second)).toEqual(withoutRows(first));
        expect(throughCsv(exportOf(second, { ...second.layout, fileType: 'csv' })[0]!)).toEqual(out);
      }),
      {
        numRuns: 400,
        // Counterexamples fast-check found once (1 run in ~400 and ~14,000): always tried first.
        examples: [
          // A Priority cell on a row of its own (a ref, no activity): the objective had no actions and vanished.
          [[['Activity', 'Ref', 'Priority'], ['', '1', '1'], ['Ensure that young people are heard', '1', '2']]],
          // An action under a heading row whose Priority cell still names the earlier objective: the cell was blanked.
          [[['Activity', 'Where Are We Now?', 'Priority'], ['!', '=HYPERLINK("x")', '1'], ['Objective 1 – Voice', '', ''], ['!', '', '1'], [' ', '', '']]],
        ],
      },
    );
    // The generator must mostly make importable plans, or the property tests nothing.
    expect(imported).toBeGreaterThan(100);
  });
});
