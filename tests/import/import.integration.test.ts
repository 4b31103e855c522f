/**
 * Import → re-import → export round trip on both databases, with the real seed fixtures.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BragbotError } from '../../src/core/errors.js';
import { exportPlan } from '../../src/services/export-plan.js';
import { importPlan, type ImportSummary } from '../../src/services/import-plan.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeWorkspace } from '../support/factories.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'plans');
const now = new Date('2021-01-20T10:00:00Z');

async function tableCounts(t: TestDatabase) {
  const db = t.db;
  return {
    actions: await db.action.count(), objectives: await db.objective.count(), updates: await db.statusUpdate.count(),
    groups: await db.group.count(), people: await db.person.count(), imports: await db.importRun.count(),
  };
}

for (const provider of await providers()) {
  describe(`import on ${provider}`, () => {
    let t: TestDatabase;
    let workspaceId: string;
    const tmp = mkdtempSync(join(tmpdir(), 'bragbot-import-'));
    beforeAll(async () => {
      t = await createTestDatabase(provider);
      workspaceId = await makeWorkspace(t.db);
    });
    afterAll(async () => t?.destroy());

    it("imports York's delivery plan (seed 000): 48 actions under 8 objectives, 42 Green, 2 Blue, 4 unrated", async () => {
      const s = await importPlan(t.db, { workspaceId, groupSlug: 'york', path: join(FIX, 'york-2021.xlsx'), now });
      expect(s.written).toBe(true);
      expect(s.layout).toBe('york-delivery-plan');
      expect(await t.db.action.count({ where: { group: { slug: 'york' } } })).toBe(48);
      expect(await t.db.objective.count({ where: { group: { slug: 'york' } } })).toBe(8);
      const by = await t.db.action.groupBy({ by: ['brag'], where: { group: { slug: 'york' } }, _count: true });
      expect(Object.fromEntries(by.map((b) => [b.brag, b._count]))).toEqual({ green: 42, blue: 2, unrated: 4 });
      // The odd cells come back as warnings naming their rows (spreadsheet row numbers).
      const rowsOf = (re: RegExp) => s.warnings.filter((w) => re.test(w.message)).map((w) => w.row);
      expect(rowsOf(/31\/07\/\/2021/)).toEqual([8]);
      expect(rowsOf(/Jan-22/)).toEqual([57]);
      expect(rowsOf(/ref 34 is used again/)).toEqual([47]);
      expect(rowsOf(/Rose Howley/)).toEqual([15]);
      // Both 34s are kept, told apart by row key; the officer in the agency cell became an owner.
      const dup = await t.db.action.findMany({ where: { ref: '34' }, orderBy: { position: 'asc' }, select: { rowKey: true, dueRaw: true } });
      expect(dup).toEqual([{ rowKey: '34', dueRaw: '31/01/22' }, { rowKey: '34#2', dueRaw: '31/12//2021' }]);
      const eight = await t.db.action.findFirstOrThrow({ where: { ref: '8' }, include: { owners: { include: { person: true } } } });
      expect(eight.leadAgency).toBe("Children's Social Care");
      expect(eight.owners.map((o) => o.person.name)).toEqual(['Rose Howley']);
      const jan = await t.db.action.findFirstOrThrow({ where: { ref: '42' } });
      expect([jan.dueKind, jan.dueDate, jan.dueRaw]).toEqual(['month', '2022-01-31', 'Jan-22']);
      expect(await t.db.statusUpdate.count()).toBe(0); // creation is not a status change
    });

    it('reads the CSV and the real-dates XLSX of the same plan the same way', async () => {
      for (const file of ['york-2021.csv', 'york-2021-real-dates.xlsx']) {
        const s = await importPlan(t.db, { workspaceId, groupSlug: 'york', path: join(FIX, file), dryRun: true, now });
        expect({ file, actions: s.actions, created: s.created.length, archived: s.archived.length }).toEqual({ file, actions: 48, created: 0, archived: 0 });
        // Real date cells give canonical raw text ("30/06/2021") where the text file had "30/06/21": that shows as a date text change only.
        for (const u of s.updated) expect(u.changes.map((c) => c.field)).toEqual(['dueRaw']);
      }
    });

    it('re-importing an updated file updates in place and records the changes through "import"', async () => {
      const csv = readFileSync(join(FIX, 'york-2021.csv'), 'utf8')
        .replace(/\n1,Ensure that young people consistently receive(.*),Green\n/, (_m, mid: string) => `\n1,Ensure that young people consistently receive${mid},Amber\n`);
      expect(csv).not.toBe(readFileSync(join(FIX, 'york-2021.csv'), 'utf8'));
      const file = join(tmp, 'york-updated.csv');
      writeFileSync(file, csv);
      await importPlan(t.db, { workspaceId, groupSlug: 'york-csv', path: join(FIX, 'york-2021.csv'), now });
      const dry = await importPlan(t.db, { workspaceId, groupSlug: 'york-csv', path: file, dryRun: true, now });
      expect(dry.updated).toEqual([{ row: 6, ref: '1', rowKey: '1', changes: [{ field: 'brag', from: 'green', to: 'amber' }] }]);
      expect(await t.db.statusUpdate.count()).toBe(0); // dry run wrote nothing

      const later = new Date('2021-02-01T10:00:00Z');
      const s = await importPlan(t.db, { workspaceId, groupSlug: 'york-csv', path: file, now: later });
      expect(s.updated).toHaveLength(1);
      expect(s.unchanged).toBe(47);
      const action = await t.db.action.findFirstOrThrow({ where: { group: { slug: 'york-csv' }, rowKey: '1' }, include: { updates: true } });
      expect(action.brag).toBe('amber');
      expect(action.updates.map((u) => ({ kind: u.kind, channel: u.channel, from: u.fromBrag, to: u.toBrag, at: u.at.toISOString() }))).toEqual([
        { kind: 'import', channel: 'import', from: 'green', to: 'amber', at: later.toISOString() },
      ]);
      // Importing the same file again changes nothing and records nothing.
      const again = await importPlan(t.db, { workspaceId, groupSlug: 'york-csv', path: file, now: later });
      expect([again.updated.length, again.created.length]).toEqual([0, 0]);
      expect(await t.db.statusUpdate.count({ where: { action: { group: { slug: 'york-csv' } } } })).toBe(1);
    });

    it('a row missing from the new file is archived, not deleted, and comes back if it returns', async () => {
      const lines = readFileSync(join(FIX, 'york-2021.csv'), 'utf8').split('\n');
      const without = lines.filter((l) => !l.startsWith('47,')).join('\n');
      const file = join(tmp, 'york-without-47.csv');
      writeFileSync(file, without);
      const s = await importPlan(t.db, { workspaceId, groupSlug: 'york-csv', path: file, now });
      expect(s.archived).toEqual([{ ref: '47', rowKey: '47' }]);
      const a = await t.db.action.findFirstOrThrow({ where: { group: { slug: 'york-csv' }, rowKey: '47' } });
      expect(a.archivedAt).not.toBeNull();
      const back = await importPlan(t.db, { workspaceId, groupSlug: 'york-csv', path: join(FIX, 'york-2021.csv'), now });
      expect(back.updated.map((u) => u.rowKey)).toContain('47');
      expect((await t.db.action.findFirstOrThrow({ where: { group: { slug: 'york-csv' }, rowKey: '47' } })).archivedAt).toBeNull();
    });

    it('exports in the layout it came in, and re-importing the export changes nothing', async () => {
      for (const ext of ['xlsx', 'csv']) {
        const out = join(tmp, `york-export.${ext}`);
        const group = await t.db.group.findFirstOrThrow({ where: { slug: 'york' } });
        await exportPlan(t.db, group.id, out);
        const s = await importPlan(t.db, { workspaceId, groupSlug: 'york', path: out, dryRun: true, now });
        expect({ ext, layout: s.layout, created: s.created.length, updated: s.updated, archived: s.archived.length, unchanged: s.unchanged }).toEqual({
          ext, layout: 'york-delivery-plan', created: 0, updated: [], archived: 0, unchanged: 48,
        });
      }
      const csv = readFileSync(join(tmp, 'york-export.csv'), 'utf8');
      expect(csv.split('\n')[0]).toBe('\uFEFFRef,Activity,Where Are We Now?,Evidence,Lead Agency and Lead Officer,By When,BRAG');
      expect(csv).toContain("Children's Social Care (Rose Howley)");
    });

    it.each([
      ['iro-2020.csv', 'iro-service-plan', 29, 4, { green: 18, amber: 9, red: 2 }],
      ['herefordshire-2017.xlsx', 'herefordshire-action-plan', 27, 8, { unrated: 27 }],
    ])('imports %s without hand editing', async (file, layout, actions, objectives, brag) => {
      const slug = file.split('.')[0]!;
      const s = await importPlan(t.db, { workspaceId, groupSlug: slug, path: join(FIX, file), now });
      expect({ layout: s.layout, actions: s.actions, objectives: s.objectives }).toEqual({ layout, actions, objectives });
      expect(Object.fromEntries(Object.entries(s.brag).filter(([, n]) => n > 0))).toEqual(brag);
      const out = join(tmp, `${slug}-export${file.slice(file.lastIndexOf('.'))}`);
      const group = await t.db.group.findFirstOrThrow({ where: { slug } });
      await exportPlan(t.db, group.id, out);
      const again = await importPlan(t.db, { workspaceId, groupSlug: slug, path: out, dryRun: true, now });
      expect([again.created.length, again.updated.length, again.archived.length]).toEqual([0, 0, 0]);
    });

    it.each([
      ['york-2021-one-bad-row.csv', [7, 14]],
      ['broken-no-header.csv', [1]],
    ])('a file with row errors (%s) writes nothing and names the rows', async (file, rows) => {
      const before = await tableCounts(t);
      const err = await importPlan(t.db, { workspaceId, groupSlug: 'york', path: join(FIX, file), now }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BragbotError);
      const e = err as BragbotError;
      expect(e.code).toBe('IMPORT_INVALID');
      expect((e.details as ImportSummary).errors.map((x) => x.row)).toEqual(rows);
      expect(e.message).toContain('nothing was written');
      expect(await tableCounts(t)).toEqual(before);
    });

    it('an unreadable file writes nothing and says what it is', async () => {
      const before = await tableCounts(t);
      const fake = join(tmp, 'plan.xlsx');
      copyFileSync(join(FIX, 'broken-not-a-spreadsheet.xlsx'), fake);
      await expect(importPlan(t.db, { workspaceId, groupSlug: 'new-group', path: fake, now })).rejects.toMatchObject({ code: 'IMPORT_UNREADABLE', message: expect.stringContaining('not an Excel .xlsx workbook') });
      await expect(importPlan(t.db, { workspaceId, groupSlug: 'new-group', path: join(tmp, 'missing.csv'), now })).rejects.toMatchObject({ code: 'IMPORT_UNREADABLE' });
      expect(await tableCounts(t)).toEqual(before);
    });

    it('a failure half-way through writing rolls everything back', async () => {
      const before = await tableCounts(t);
      // Force a failure at the very end of the transaction (the ImportRun row is written last),
      // after every action, objective, person and owner has been written.
      if (provider === 'sqlite') {
        await t.db.$executeRawUnsafe(`CREATE TRIGGER fail_import BEFORE INSERT ON "ImportRun" BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`);
      } else {
        await t.db.$executeRawUnsafe(`CREATE FUNCTION fail_import() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'simulated crash'; END $$ LANGUAGE plpgsql`);
        await t.db.$executeRawUnsafe(`CREATE TRIGGER fail_import BEFORE INSERT ON "ImportRun" FOR EACH ROW EXECUTE FUNCTION fail_import()`);
      }
      try {
        await expect(importPlan(t.db, { workspaceId, groupSlug: 'york-rollback', path: join(FIX, 'york-2021.csv'), now })).rejects.toThrow();
        const after = await tableCounts(t);
        expect(after).toEqual(before);
      } finally {
        await t.db.$executeRawUnsafe('DROP TRIGGER fail_import' + (provider === 'postgresql' ? ' ON "ImportRun"' : ''));
      }
    });
  });
}
