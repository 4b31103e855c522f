/**
 * Import benchmark: a generated N-row XLSX in York's layout, imported into a fresh database.
 *   tsx bench/import.ts <rows> <sqlite|postgresql> [reimport]
 * Prints {scenario, provider, size, generateMs, importMs, rowsPerSecond, peakRssMb, fileMb}.
 * With `reimport`: imports the plan, then times re-importing it with every row's BRAG and
 * progress changed (scenario 'reimport-xlsx': every row updated, with its history).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { openDatabase, type DbProvider } from '../src/db/client.js';
import { importPlan } from '../src/services/import-plan.js';
import { ensureWorkspace } from '../src/services/workspace.js';
import { createTestDatabaseUrl, mb, peakRssMb } from './support.js';

const rows = Number(process.argv[2] ?? 10_000);
const provider = (process.argv[3] ?? 'sqlite') as DbProvider;
const reimport = process.argv[4] === 'reimport';
const dir = mkdtempSync(join(tmpdir(), 'bragbot-bench-import-'));
const file = join(dir, `plan-${rows}.xlsx`);

const brags = ['Green', 'Green', 'Green', 'Amber', 'Red', 'Blue', ''];
/** York's layout; variant 1 changes every row's BRAG and progress. */
async function generate(path: string, variant: 0 | 1): Promise<void> {
  // Streaming writer: the generator must not be what runs out of memory.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
  const ws = wb.addWorksheet('Delivery Plan');
  ws.addRow(['Ref', 'Activity', 'Where Are We Now?', 'Evidence', 'Lead Agency and Lead Officer', 'By When', 'BRAG']).commit();
  for (let i = 1; i <= rows; i++) {
    if (i % 50 === 1) ws.addRow([`Objective ${Math.ceil(i / 50)} – Children and young people are supported, group ${i}`]).commit();
    const d = (i % 28) + 1;
    const m = (i % 12) + 1;
    ws.addRow([
      String(i),
      `Ensure that young people consistently receive the support set out in action ${i}, reviewed with partners each quarter.`,
      variant === 1 ? `Update for the next meeting on action ${i}.` : i % 3 === 0 ? 'Task and Finish Group established; practice standards being developed.' : '',
      i % 5 === 0 ? 'Audit of 20 cases' : '',
      i % 7 === 0 ? "Children's Social Care (Rose Howley)" : "Children's Social Care and Health",
      i % 11 === 0 ? 'Ongoing' : `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/22`,
      brags[(i + variant) % brags.length]!,
    ]).commit();
  }
  ws.commit();
  await wb.commit();
}
const t0 = performance.now();
await generate(file, 0);
const changedFile = join(dir, `plan-${rows}-changed.xlsx`);
if (reimport) await generate(changedFile, 1);
const generateMs = Math.round(performance.now() - t0);

const { url, drop } = await createTestDatabaseUrl(provider);
const database = await openDatabase(url);
try {
  const workspaceId = await ensureWorkspace(database.db, 'bench', 'Bench');
  const t1 = performance.now();
  const s = await importPlan(database.db, { workspaceId, groupSlug: 'bench', path: file, now: new Date('2022-01-01T10:00:00Z') });
  const importMs = Math.round(performance.now() - t1);
  if (s.actions !== rows) throw new Error(`imported ${s.actions} of ${rows}`);
  if (reimport) {
    const t2 = performance.now();
    const again = await importPlan(database.db, { workspaceId, groupSlug: 'bench', path: changedFile, now: new Date('2022-02-01T10:00:00Z') });
    const reimportMs = Math.round(performance.now() - t2);
    console.log(JSON.stringify({
      scenario: 'reimport-xlsx', provider, size: rows, importMs, reimportMs, updated: again.updated.length,
      rowsPerSecond: Math.round(rows / (reimportMs / 1000)), peakRssMb: peakRssMb(),
    }));
  } else {
    console.log(JSON.stringify({
      scenario: 'import-xlsx', provider, size: rows, generateMs, importMs,
      rowsPerSecond: Math.round(rows / (importMs / 1000)), peakRssMb: peakRssMb(), fileMb: mb(statSync(file).size),
    }));
  }
} finally {
  await database.close();
  await drop();
  rmSync(dir, { recursive: true, force: true });
}
