/**
 * Hostile input for the importer (fast-check): random and mutated CSV/XLSX never crash it,
 * never write part of a file, and always fail with a coded error that says what is wrong.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBragbotError } from '../../src/core/errors.js';
import { parsePlan } from '../../src/core/import/parse-plan.js';
import { importPlan } from '../../src/services/import-plan.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { makeWorkspace } from '../support/factories.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'plans');
const YORK_CSV = readFileSync(join(FIX, 'york-2021.csv'), 'utf8');
const YORK_XLSX = readFileSync(join(FIX, 'york-2021.xlsx'));
const COUNCILS = join(import.meta.dirname, '..', 'fixtures', 'councils');
const OTHER_TOOLS = ['tracker-openpyxl-order.xlsx', 'action-plan.ods', 'york-delivery-plan.docx'].map((f) => ({ ext: f.slice(f.lastIndexOf('.')), bytes: readFileSync(join(COUNCILS, f)) }));
const now = new Date('2021-07-01T09:00:00Z');
const tmp = mkdtempSync(join(tmpdir(), 'bragbot-hostile-'));

const cell = fc.oneof(
  fc.string(),
  fc.constantFrom('', 'Green', 'RED', 'Amber', 'Blue', 'Purple', '30/06/21', '31/07//2021', 'Jan-22', 'Ongoing', '31/13/2021', '34', 'Objective 9 – Heading', '="=1+1"', '"', ',', '\n', '\u0000'),
  fc.integer().map(String),
);

/** York's CSV with random cells replaced, rows dropped or duplicated. */
const mutatedYork = fc
  .array(fc.tuple(fc.nat(80), fc.nat(8), cell, fc.constantFrom('replace', 'drop', 'duplicate')), { maxLength: 12 })
  .map((edits) => {
    const rows = YORK_CSV.split('\n').map((l) => l.split(','));
    for (const [r, c, value, op] of edits) {
      const i = r % rows.length;
      if (op === 'drop') rows.splice(i, 1);
      else if (op === 'duplicate') rows.splice(i, 0, [...(rows[i] ?? [])]);
      else if (rows[i]) rows[i]![c % Math.max(1, rows[i]!.length)] = JSON.stringify(value);
    }
    return rows.map((r) => r.join(',')).join('\n');
  });

describe('parsePlan never throws, whatever the table', () => {
  it('random tables: a plan or row errors, never an exception', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(cell, fc.date(), fc.constant(new Date(NaN)), fc.constant(null)), { maxLength: 9 }), { maxLength: 40 }), (rows) => {
        const plan = parsePlan({ fileName: 'x.csv', rows: rows.map((cells, i) => ({ number: i + 1, cells })) });
        // Every error names a row; a plan with errors is never half a plan to write.
        for (const e of plan.errors) expect(e.row).toBeGreaterThan(0);
        expect(plan.actions.length + plan.errors.length).toBeGreaterThanOrEqual(plan.layout.headerRow > 0 ? 1 : 0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('importPlan on hostile files writes all or nothing', () => {
  let t: TestDatabase;
  let workspaceId: string;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    workspaceId = await makeWorkspace(t.db);
  });
  afterAll(async () => t?.destroy());

  const counts = async () => ({
    actions: await t.db.action.count(), objectives: await t.db.objective.count(), groups: await t.db.group.count(),
    updates: await t.db.statusUpdate.count(), people: await t.db.person.count(), runs: await t.db.importRun.count(),
  });

  /** Runs one import; returns 'ok' or the error code. Any non-coded error fails the property. */
  async function attempt(path: string, slug: string): Promise<string> {
    const before = await counts();
    try {
      const s = await importPlan(t.db, { workspaceId, groupSlug: slug, path, now, idleTimeoutMs: 1500 });
      expect(s.errors).toEqual([]);
      expect((await counts()).runs).toBe(before.runs + 1);
      return 'ok';
    } catch (e) {
      if (!isBragbotError(e)) throw e;
      expect(e.message.length).toBeGreaterThan(10);
      expect(await counts()).toEqual(before);
      return e.code;
    }
  }

  it('mutated York CSVs', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(mutatedYork, async (csv) => {
        const path = join(tmp, `m${n++}.csv`);
        writeFileSync(path, csv);
        expect(['ok', 'IMPORT_INVALID', 'IMPORT_UNREADABLE']).toContain(await attempt(path, `g${n}`));
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('random bytes and corrupted workbooks named .xlsx', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)),
          fc.array(fc.tuple(fc.nat(YORK_XLSX.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }).map((flips) => {
            const b = Buffer.from(YORK_XLSX);
            for (const [i, v] of flips) b[i] = v;
            return b;
          }),
          fc.nat(YORK_XLSX.length).map((cut) => YORK_XLSX.subarray(0, cut)),
        ),
        async (bytes) => {
          const path = join(tmp, `x${n++}.xlsx`);
          writeFileSync(path, bytes);
          expect(['ok', 'IMPORT_INVALID', 'IMPORT_UNREADABLE']).toContain(await attempt(path, `x${n}`));
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('corrupted and cut-short workbooks and documents from other tools (.xlsx in openpyxl order, .ods, .docx)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat(OTHER_TOOLS.length - 1),
        fc.oneof(
          fc.array(fc.tuple(fc.nat(1_000_000), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }).map((flips) => ({ flips, cut: undefined })),
          fc.nat(1_000_000).map((cut) => ({ flips: [] as [number, number][], cut })),
        ),
        async (which, damage) => {
          const { ext, bytes } = OTHER_TOOLS[which]!;
          const b = Buffer.from(bytes);
          for (const [i, v] of damage.flips) b[i % b.length] = v;
          const path = join(tmp, `o${n++}${ext}`);
          writeFileSync(path, damage.cut === undefined ? b : b.subarray(0, damage.cut % b.length));
          expect(['ok', 'IMPORT_INVALID', 'IMPORT_UNREADABLE']).toContain(await attempt(path, `o${n}`));
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('a workbook whose compressed data is damaged (bad CRCs) fails with a clear error instead of hanging', async () => {
    // Found by the property above: exceljs's stream reader never settled on this file.
    const b = Buffer.from(YORK_XLSX);
    let seed = 1;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const k = 1 + Math.floor(rnd() * 20);
    for (let i = 0; i < k; i++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    const path = join(tmp, 'damaged.xlsx');
    writeFileSync(path, b);
    expect(await attempt(path, 'damaged')).toBe('IMPORT_UNREADABLE');
  }, 20_000);

  it('binary data in a .csv is refused with a clear message', async () => {
    const path = join(tmp, 'binary.csv');
    writeFileSync(path, YORK_XLSX);
    expect(await attempt(path, 'binary')).toBe('IMPORT_UNREADABLE');
  });
});
