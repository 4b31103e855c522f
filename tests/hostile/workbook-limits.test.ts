/**
 * Workbooks that must not stall the importer (issue 19 pt 3-4), made at test time by the project's
 * own generators (scripts/fixtures/make-council-fixtures.mjs → hostile). Each ends with a correct
 * import or a clear error naming the limit, and writes nothing when refused. Speed is not asserted
 * here (benchmarks measure it); the files are the ones that stalled the old reader for minutes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostile } from '../../scripts/fixtures/make-council-fixtures.mjs';
import type { BragbotError } from '../../src/core/errors.js';
import { importPlan, type ImportSummary } from '../../src/services/import-plan.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeWorkspace } from '../support/factories.js';

const now = new Date('2026-12-01T10:00:00Z');
const tmp = mkdtempSync(join(tmpdir(), 'bragbot-limits-'));

describe('hostile workbooks end with a correct import or a clear error naming the limit', () => {
  let t: TestDatabase;
  let workspaceId: string;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    workspaceId = await makeWorkspace(t.db);
  });
  afterAll(async () => t?.destroy());

  const file = async (name: string, bytes: Promise<Buffer>) => {
    const path = join(tmp, `${name}.xlsx`);
    writeFileSync(path, await bytes);
    return path;
  };
  const refused = async (path: string, limits = {}) => {
    const before = await t.db.action.count();
    const e = (await importPlan(t.db, { workspaceId, groupSlug: 'hostile', path, now, limits }).catch((x: unknown) => x)) as BragbotError;
    expect(await t.db.action.count()).toBe(before);
    return e;
  };

  it('1M rows each with a styled empty cell in column XFD (5 MB): the plan in it imports', async () => {
    const s = await importPlan(t.db, { workspaceId, groupSlug: 'xfd', path: await file('xfd', hostile.styledXfdRows(1_000_000)), dryRun: true, now });
    expect([s.actions, s.errors]).toEqual([1, []]);
  }, 60_000);

  it('a sheet claiming A1:XFD1048576 (dimension, column styles, a merge to the end) imports its plan', async () => {
    const s = await importPlan(t.db, { workspaceId, groupSlug: 'claims', path: await file('claims', hostile.claimsWholeSheet()), dryRun: true, now });
    expect([s.actions, s.errors]).toEqual([1, []]);
  });

  it('a value in column XFD is refused, naming the column limit', async () => {
    const e = await refused(await file('value-xfd', hostile.valueInXfd()));
    expect([e.code, e.message]).toEqual(['IMPORT_UNREADABLE', expect.stringContaining('cell XFD1 holds a value beyond column 256 (bragbot reads at most 256 columns)')]);
  });

  it('more rows with values than a plan can have is refused, naming the row limit', async () => {
    const csv = join(tmp, 'many.csv');
    writeFileSync(csv, `Ref,Activity,BRAG\n${Array.from({ length: 1_500 }, (_, i) => `${i + 1},Action ${i + 1},Green`).join('\n')}\n`);
    const e2 = await refused(csv, { maxRows: 1_000 });
    expect([e2.code, e2.message]).toEqual(['IMPORT_UNREADABLE', expect.stringContaining('more than 1,000 rows (bragbot reads at most 1,000 rows)')]);
  });

  it('a zip bomb is refused once it unpacks past the limit', async () => {
    const e = await refused(await file('bomb', hostile.zipBomb(50)), { maxUnzippedBytes: 10 * 1024 * 1024 });
    expect([e.code, e.message]).toEqual(['IMPORT_UNREADABLE', expect.stringContaining('unpack to more than 10 MB')]);
  });

  it('a read that runs out of time is refused, naming the time limit', async () => {
    const e = await refused(await file('slow', hostile.styledXfdRows(200_000)), { maxReadMs: 1 });
    expect([e.code, e.message]).toEqual(['IMPORT_UNREADABLE', expect.stringContaining('reading it took longer than 0.001 s (bragbot gives a file at most 0.001 s to read)')]);
  });

  it('a 20 MB cell in a workbook is a row error, and nothing is written', async () => {
    const e = await refused(await file('huge-cell', hostile.hugeCell(20)));
    expect(e.code).toBe('IMPORT_INVALID');
    expect((e.details as ImportSummary).errors).toEqual([{ row: 3, column: 'B', message: expect.stringContaining('at most 32,767') }]);
  });
});
