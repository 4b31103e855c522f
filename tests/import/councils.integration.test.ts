/**
 * Plans as other councils keep them (issue 13) and cells that are not what they seem (issue 19
 * pt 4), through the real import and export on both databases. Fixtures:
 * scripts/fixtures/make-council-fixtures.mjs (tests/fixtures/councils/README.md).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BragbotError } from '../../src/core/errors.js';
import { exportPlan } from '../../src/services/export-plan.js';
import { importPlan, type ImportSummary } from '../../src/services/import-plan.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeWorkspace } from '../support/factories.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'councils');
const now = new Date('2025-12-01T10:00:00Z');
const csvRows = (text: string): string[][] => (parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][]).map((r) => {
  let n = r.length;
  while (n > 0 && r[n - 1] === '') n -= 1;
  return r.slice(0, n);
});

for (const provider of await providers()) {
  describe(`council plans on ${provider}`, () => {
    let t: TestDatabase;
    let workspaceId: string;
    const tmp = mkdtempSync(join(tmpdir(), 'bragbot-councils-'));
    beforeAll(async () => {
      t = await createTestDatabase(provider);
      workspaceId = await makeWorkspace(t.db);
    });
    afterAll(async () => t?.destroy());
    const groupId = async (slug: string) => (await t.db.group.findFirstOrThrow({ where: { slug } })).id;

    it('status words map to BRAG with one warning per distinct word; the group is named after the title row', async () => {
      const s = await importPlan(t.db, { workspaceId, groupSlug: 'send', path: join(FIX, 'status-words.csv'), now });
      expect([s.actions, s.objectives, s.errors]).toEqual([10, 2, []]);
      expect(s.brag).toEqual({ green: 3, amber: 2, red: 1, blue: 3, unrated: 1 });
      const words = s.warnings.filter((w) => w.message.startsWith('read status')).map((w) => [w.row, /"(.*?)"/.exec(w.message)![1]]);
      expect(words).toEqual([[5, 'On Track'], [6, 'Green – on track'], [7, 'At Risk'], [8, 'Delayed'], [10, 'Completed'], [11, 'Complete'], [12, 'Closed'], [13, 'Not Started'], [14, 'Off Track'], [15, 'ON TRACK']]);
      expect(s.groupName).toBe('SEND Partnership Improvement Plan 2025-26');
      expect((await t.db.group.findFirstOrThrow({ where: { slug: 'send' } })).name).toBe('SEND Partnership Improvement Plan 2025-26');
      const notStarted = await t.db.action.findFirstOrThrow({ where: { ref: '2.4', group: { slug: 'send' } } });
      expect([notStarted.brag, JSON.parse(notStarted.sourceJson).brag]).toEqual(['unrated', 'Not Started']);
    });

    it('export writes back every cell it imported, and re-importing it changes nothing', async () => {
      const out = join(tmp, 'send.csv');
      await exportPlan(t.db, await groupId('send'), out);
      expect(csvRows(readFileSync(out, 'utf8'))).toEqual(csvRows(readFileSync(join(FIX, 'status-words.csv'), 'utf8')));
      const again = await importPlan(t.db, { workspaceId, groupSlug: 'send', path: out, dryRun: true, now });
      expect([again.created.length, again.updated, again.archived.length, again.unchanged]).toEqual([0, [], 0, 10]);
    });

    it('an action turned Amber in chat exports in the council\'s own word for Amber', async () => {
      await t.db.action.updateMany({ where: { ref: '1.1', group: { slug: 'send' } }, data: { brag: 'amber' } });
      const out = join(tmp, 'send-amber.csv');
      await exportPlan(t.db, await groupId('send'), out);
      expect(csvRows(readFileSync(out, 'utf8')).find((r) => r[0] === '1.1')![5]).toBe('At Risk');
    });

    it("people's names in a Responsible Officer column become owners; only uncertain reads warn", async () => {
      const s = await importPlan(t.db, { workspaceId, groupSlug: 'cic', path: join(FIX, 'responsible-officers.csv'), now });
      expect(s.errors).toEqual([]);
      expect(s.warnings.map((w) => w.row)).toEqual([11, 12]);
      const owners = await t.db.action.findMany({ where: { group: { slug: 'cic' } }, orderBy: { position: 'asc' }, select: { ref: true, leadAgency: true, owners: { select: { person: { select: { name: true } } } } } });
      expect(owners.map((a) => [a.ref, a.leadAgency, a.owners.map((o) => o.person.name).sort()])).toEqual([
        ['1', '', ['Mark Jones']], ['2', '', ["Mark O'Neill"]], ['3', '', ['Mark O’Neill']], ['4', '', ['Dr Siân Evans']], ['5', '', ['Cllr Jo Bell']],
        ['6', '', ['Sarah Smith-Jones']], ['7', '', ['J. R. Patel']], ['8', '', ['Ian McDonald']], ['9', '', ['Mark Jones', 'Sue Smith']],
        ['10', "Children's Social Care", []], ['11', '', ['MARK JONES']],
      ]);
    });

    it('--name names the group a first import creates; the summary says "1 action"', async () => {
      const file = join(tmp, 'one.csv');
      writeFileSync(file, 'Ref,Action,RAG\n1,Only action,Green\n');
      const s = await importPlan(t.db, { workspaceId, groupSlug: 'send-partnership', path: file, name: 'SEND Strategic Partnership Board', now });
      expect(s.groupName).toBe('SEND Strategic Partnership Board');
      const lines: string[] = [];
      (await import('../../src/cli/format.js')).printImportSummary((l) => lines.push(l), s);
      expect(lines[1]).toMatch(/^Layout: custom\. 1 action with no objectives: /);
      expect(lines[0]).toBe('one.csv → group send-partnership (new group "SEND Strategic Partnership Board"; rename it with: bragbot groups set send-partnership --name "…")');
    });

    it('export --out x.csv neutralises cells a spreadsheet would run as formulas, and re-import reads them back unchanged', async () => {
      const file = join(tmp, 'formulas.csv');
      const hostile = ['=HYPERLINK("http://example.invalid","click")', '+cmd|\' /C calc\'!A0', '@SUM(1+1)', '-2+3'];
      writeFileSync(file, `Ref,Action,Update,RAG\n${hostile.map((h, i) => `${i + 1},"${h.replace(/"/g, '""')}",x,Green`).join('\n')}\n`);
      await importPlan(t.db, { workspaceId, groupSlug: 'formulas', path: file, now });
      const out = join(tmp, 'formulas-out.csv');
      await exportPlan(t.db, await groupId('formulas'), out);
      const activities = csvRows(readFileSync(out, 'utf8')).slice(1).map((r) => r[1]);
      for (const a of activities) expect(a).toMatch(/^'[=+\-@\t\r]/);
      const again = await importPlan(t.db, { workspaceId, groupSlug: 'formulas', path: out, dryRun: true, now });
      expect([again.updated, again.unchanged]).toEqual([[], 4]);
      // Tabs and CRs at the start are formula smugglers too (the importer trims them, so test the writer itself).
      const { renderCsv } = await import('../../src/render/csv.js');
      expect(renderCsv([['\t=1+1', '\r=1+1', 'plain']])).toBe('\uFEFF\'\t=1+1,"\'\r=1+1",plain\n');
    });

    it('a CSV that is not UTF-8 is read as Windows-1252 with a warning naming the row', async () => {
      const file = join(tmp, 'cp1252.csv');
      writeFileSync(file, Buffer.concat([Buffer.from('Ref,Action,RAG\n1,First,Green\n2,Children'), Buffer.from([0x92]), Buffer.from('s voice,Green\n')]));
      const s = await importPlan(t.db, { workspaceId, groupSlug: 'cp1252', path: file, dryRun: true, now });
      expect(s.warnings).toEqual([{ row: 3, message: expect.stringContaining('not UTF-8 (first odd byte on line 3): read it as Windows-1252') }]);
    });

    it('a 20 MB cell is a row error, and nothing is written', async () => {
      const file = join(tmp, 'huge-cell.csv');
      writeFileSync(file, `Ref,Action,RAG\n1,First,Green\n2,${'x'.repeat(20 * 1024 * 1024)},Green\n`);
      const before = await t.db.action.count();
      const e = (await importPlan(t.db, { workspaceId, groupSlug: 'huge', path: file, now }).catch((x: unknown) => x)) as BragbotError;
      expect(e.code).toBe('IMPORT_INVALID');
      expect((e.details as ImportSummary).errors).toEqual([{ row: 3, column: 'B', message: expect.stringContaining('at most 32,767') }]);
      expect(await t.db.action.count()).toBe(before);
    });
  });
}
