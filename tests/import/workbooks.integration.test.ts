/**
 * Workbooks and documents from other tools (issue 13.2, 13.3, 13.6, 13.7; issue 19 pt 4 formula
 * dates), and the round trip import → export → import over every plan fixture the project has.
 * Fixtures: scripts/fixtures/make-council-fixtures.mjs (tests/fixtures/councils/README.md).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPlan } from '../../src/services/export-plan.js';
import { importPlan } from '../../src/services/import-plan.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeWorkspace } from '../support/factories.js';

const COUNCILS = join(import.meta.dirname, '..', 'fixtures', 'councils');
const PLANS = join(import.meta.dirname, '..', 'fixtures', 'plans');
const now = new Date('2025-12-01T10:00:00Z');

/** Every plan fixture, and the formats its export is re-imported from. */
const ROUND_TRIPS: [dir: string, file: string, formats: ('xlsx' | 'csv' | 'docx')[]][] = [
  [PLANS, 'york-2021.csv', ['csv', 'xlsx', 'docx']],
  [PLANS, 'york-2021.xlsx', ['xlsx', 'csv', 'docx']],
  [PLANS, 'york-2021-real-dates.xlsx', ['xlsx', 'csv']],
  [PLANS, 'iro-2020.csv', ['csv', 'xlsx', 'docx']],
  [PLANS, 'iro-2020.xlsx', ['xlsx']],
  [PLANS, 'herefordshire-2017.csv', ['csv', 'xlsx', 'docx']],
  [PLANS, 'herefordshire-2017.xlsx', ['xlsx']],
  [COUNCILS, 'status-words.csv', ['csv', 'xlsx', 'docx']],
  [COUNCILS, 'responsible-officers.csv', ['csv', 'xlsx', 'docx']],
  [COUNCILS, 'tracker-exceljs.xlsx', ['xlsx']],
  [COUNCILS, 'tracker-openpyxl-order.xlsx', ['xlsx']],
  [COUNCILS, 'action-plan.ods', ['xlsx', 'csv', 'docx']],
  [COUNCILS, 'york-delivery-plan.docx', ['docx', 'xlsx', 'csv']],
];

for (const provider of await providers()) {
  describe(`workbooks from other tools on ${provider}`, () => {
    let t: TestDatabase;
    let workspaceId: string;
    const tmp = mkdtempSync(join(tmpdir(), 'bragbot-workbooks-'));
    beforeAll(async () => {
      t = await createTestDatabase(provider);
      workspaceId = await makeWorkspace(t.db);
    });
    afterAll(async () => t?.destroy());
    const actions = (slug: string) => t.db.action.findMany({ where: { group: { slug } }, orderBy: { position: 'asc' }, include: { objective: true, owners: { include: { person: true } } } });

    it('a multi-sheet tracker written by exceljs: every principle sheet, named objectives, cover and lookups skipped', async () => {
      const s = await importPlan(t.db, { workspaceId, groupSlug: 'nyorks', path: join(COUNCILS, 'tracker-exceljs.xlsx'), now });
      expect([s.actions, s.objectives, s.sheets]).toEqual([6, 3, ['Principle 1 - Voice', 'Principle 2 - Homes', 'Principle 3 - Health']]);
      expect(s.skippedSheets.map((k) => [k.sheet, k.reason.slice(0, 32)])).toEqual([['Cover', 'no action table: none of its fir'], ['Lookups', 'no action table: none of its fir']]);
      expect(s.groupName).toBe('Corporate Parenting Tracker 2025-26');
      expect(s.warnings.every((w) => w.sheet !== undefined)).toBe(true);
      const rows = await actions('nyorks');
      expect(rows.map((a) => [a.rowKey, a.objective?.title, a.brag, a.progress, a.dueDate])).toEqual([
        ['Principle 1 - Voice!1', 'Principle 1 - Voice', 'green', 'Attendance up to 14', '2026-03-31'],
        ['Principle 1 - Voice!2', 'Principle 1 - Voice', 'amber', 'Recruitment started', '2026-03-31'],
        ['Principle 2 - Homes!1', 'Principle 2 - Homes', 'red', 'One more approved; two withdrew', '2026-03-31'],
        ['Principle 2 - Homes!2', 'Principle 2 - Homes', 'green', '', null],
        ['Principle 2 - Homes!3', 'Principle 2 - Homes', 'blue', 'Approved by Executive', '2025-09-30'],
        ['Principle 3 - Health!1', 'Principle 3 - Health', 'amber', '68% in time', '2025-12-31'],
      ]);
      // Quarterly columns are kept whole.
      expect(JSON.parse(rows[0]!.extraJson)).toEqual({ 'Q1 Update (Apr-Jun)': 'Meetings held in April, May, June', 'Q2 Update (Jul-Sep)': 'Attendance up to 14' });
      expect(rows[1]!.owners.map((o) => o.person.name)).toEqual(["Mark O'Neill"]);
      // --sheet still picks one.
      const one = await importPlan(t.db, { workspaceId, groupSlug: 'nyorks-homes', path: join(COUNCILS, 'tracker-exceljs.xlsx'), sheet: 'Principle 2 - Homes', dryRun: true, now });
      expect([one.actions, one.sheets]).toEqual([3, ['Principle 2 - Homes']]);
    });

    it('openpyxl part order: a formula due date reads as its date, a fill-only BRAG as its colour, rows without r= in full', async () => {
      const s = await importPlan(t.db, { workspaceId, groupSlug: 'openpyxl', path: join(COUNCILS, 'tracker-openpyxl-order.xlsx'), now });
      expect([s.actions, s.objectives, s.sheets]).toEqual([4, 2, ['Education', 'Health']]);
      const rows = await actions('openpyxl');
      expect(rows.map((a) => [a.rowKey, a.activity, a.dueDate, a.dueRaw, a.brag])).toEqual([
        ['Education!1', 'PEPs reviewed every term', '2026-11-30', '30/11/2026', 'green'],
        ['Education!2', 'Virtual School tutoring offer', '2026-06-30', '30/06/2026', 'red'],
        ['Education!3', 'Apprenticeships ring-fenced for care leavers', null, 'Ongoing', 'amber'],
        ['Health!1', 'Dental checks for every child in care', '2026-03-31', '31/03/2026', 'green'],
      ]);
      expect(s.warnings).toContainEqual({ row: 4, sheet: 'Education', column: 'RAG', message: "read the BRAG cell's colour (#FF0000) as Red: it has no word" });
    });

    it('an OpenDocument spreadsheet padded to 1,048,576 rows and 1,024 columns', async () => {
      const s = await importPlan(t.db, { workspaceId, groupSlug: 'ods', path: join(COUNCILS, 'action-plan.ods'), now });
      expect([s.actions, s.objectives, s.sheets, s.skippedSheets.map((k) => k.sheet)]).toEqual([3, 2, ['Action Plan'], ['Notes']]);
      const rows = await actions('ods');
      expect(rows.map((a) => [a.ref, a.progress, a.leadAgency, a.leadOfficer, a.dueKind, a.dueDate, a.brag])).toEqual([
        ['1', 'Panel reviews every third move\nAudit booked for March', "Children's Social Care", 'Rose Howley', 'date', '2026-03-31', 'green'],
        ['2', 'Campaign launched', 'Fostering Service', 'Dave Purcell', 'month', '2026-01-31', 'amber'],
        ['3', '', 'Health', '', 'ongoing', null, 'unrated'],
      ]);
    });

    it("York's delivery plan as the paper's Word table reads as the spreadsheet does", async () => {
      const s = await importPlan(t.db, { workspaceId, groupSlug: 'york-docx', path: join(COUNCILS, 'york-delivery-plan.docx'), now });
      expect([s.actions, s.objectives, s.brag]).toEqual([48, 8, { blue: 2, red: 0, amber: 0, green: 42, unrated: 4 }]);
      const csv = await importPlan(t.db, { workspaceId, groupSlug: 'york-docx', path: join(PLANS, 'york-2021.csv'), dryRun: true, now });
      // The same actions: only the cells the Word table split into paragraphs differ (a line per sentence).
      expect([csv.created.length, csv.archived.length]).toEqual([0, 0]);
      expect(new Set(csv.updated.flatMap((u) => u.changes.map((c) => c.field)))).toEqual(new Set(['progress']));
      expect(csv.updated.every((u) => u.changes[0]!.from.replace(/\n/g, ' ') === u.changes[0]!.to)).toBe(true);
      expect(csv.updated).toHaveLength(9);
    });

    describe('import → export → import changes nothing, for every plan fixture', () => {
      it.each(ROUND_TRIPS)('%s/%s', async (dir, file, formats) => {
        const slug = `rt-${file.replace(/[^a-z0-9]+/gi, '-')}`.toLowerCase();
        const first = await importPlan(t.db, { workspaceId, groupSlug: slug, path: join(dir, file), now });
        const group = await t.db.group.findFirstOrThrow({ where: { slug } });
        const before = await actions(slug);
        for (const format of formats) {
          const out = join(tmp, `${slug}.${format}`);
          await exportPlan(t.db, group.id, out);
          const again = await importPlan(t.db, { workspaceId, groupSlug: slug, path: out, dryRun: true, now });
          expect({ format, created: again.created.length, updated: again.updated, archived: again.archived.length, unchanged: again.unchanged, objectives: again.objectives })
            .toEqual({ format, created: 0, updated: [], archived: 0, unchanged: first.actions, objectives: first.objectives });
        }
        // And a real re-import of the first export writes nothing new.
        const out = join(tmp, `${slug}-again.${formats[0]}`);
        await exportPlan(t.db, group.id, out);
        await importPlan(t.db, { workspaceId, groupSlug: slug, path: out, now });
        const after = await actions(slug);
        const values = (rows: typeof before) => rows.map(({ updatedAt: _u, createdAt: _c, lastUpdatedAt: _l, objective, owners, ...a }) => ({ ...a, objective: objective?.title, owners: owners.map((o) => o.person.name).sort() }));
        expect(values(after)).toEqual(values(before));
      });
    });
  });
}
