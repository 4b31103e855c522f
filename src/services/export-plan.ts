/**
 * Writes a group's current plan back out in the layout it was imported from (same columns,
 * same order, objective headings between their actions), with today's BRAG and progress.
 * Re-importing an export changes nothing: the round trip is tested.
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { BRAG_LABEL, type Brag } from '../core/brag.js';
import { BragbotError } from '../core/errors.js';
import type { PlanField } from '../core/import/layout.js';
import type { Db } from '../db/client.js';
import type { StoredLayout } from './import-plan.js';

/** The layout used for groups that were never imported (York's, the seed the product started from). */
export const DEFAULT_LAYOUT: StoredLayout = {
  name: 'york-delivery-plan',
  headerRow: 1,
  headers: ['Ref', 'Activity', 'Where Are We Now?', 'Evidence', 'Lead Agency and Lead Officer', 'By When', 'BRAG'],
  fields: { ref: 0, activity: 1, progress: 2, evidence: 3, lead: 4, due: 5, brag: 6 },
  fileType: 'xlsx',
};

const BRAG_FILL: Record<Brag, string | null> = { blue: 'FF9DC3E6', red: 'FFFF9999', amber: 'FFFFD966', green: 'FFA9D08E', unrated: null };

export interface ExportedPlan {
  layout: StoredLayout;
  /** Rows after the header; `brag` marks the BRAG cell for styling. */
  rows: { cells: string[]; kind: 'heading' | 'action'; brag?: Brag }[];
}

export async function buildExport(db: Db, groupId: string): Promise<ExportedPlan> {
  const group = await db.group.findUniqueOrThrow({ where: { id: groupId }, select: { layoutJson: true } });
  const layout: StoredLayout = group.layoutJson ? (JSON.parse(group.layoutJson) as StoredLayout) : DEFAULT_LAYOUT;
  const objectives = await db.objective.findMany({ where: { groupId }, orderBy: { position: 'asc' } });
  const actions = await db.action.findMany({ where: { groupId, archivedAt: null }, orderBy: { position: 'asc' } });
  const width = layout.headers.length;
  const at = (f: PlanField) => layout.fields[f];
  const objectiveColumn = at('objective');
  const rows: ExportedPlan['rows'] = [];
  let lastObjective: string | null = null;

  for (const a of actions) {
    const objective = objectives.find((o) => o.id === a.objectiveId) ?? null;
    // Layouts without an objective column carry objectives as heading rows, as councils write them.
    if (objectiveColumn === undefined && objective && objective.id !== lastObjective) {
      const heading = objective.code ? `${objective.code} – ${objective.title}` : objective.title;
      rows.push({ kind: 'heading', cells: [heading, ...Array<string>(width - 1).fill('')] });
      if (objective.description) rows.push({ kind: 'heading', cells: [objective.description, ...Array<string>(width - 1).fill('')] });
    }
    lastObjective = objective?.id ?? null;
    const cells = Array<string>(width).fill('');
    const put = (f: PlanField, v: string) => {
      const i = at(f);
      if (i !== undefined) cells[i] = v;
    };
    put('ref', a.ref);
    put('activity', a.activity);
    put('progress', a.progress);
    put('evidence', a.evidence);
    put('lead', a.leadAgency && a.leadOfficer ? `${a.leadAgency} (${a.leadOfficer})` : a.leadAgency || a.leadOfficer);
    put('due', a.dueRaw);
    put('brag', a.brag === 'unrated' ? '' : BRAG_LABEL[a.brag as Brag]);
    if (objectiveColumn !== undefined && objective) {
      // "Priority 3" came from a cell that said "3" under the Priority header: write it back as it was.
      const header = layout.headers[objectiveColumn] ?? '';
      const label = objective.code ?? objective.title;
      cells[objectiveColumn] = label.startsWith(`${header} `) ? label.slice(header.length + 1) : label;
    }
    const extra = JSON.parse(a.extraJson) as Record<string, string>;
    layout.headers.forEach((h, i) => {
      if (extra[h] !== undefined && !Object.values(layout.fields).includes(i)) cells[i] = extra[h];
    });
    rows.push({ kind: 'action', cells, brag: a.brag as Brag });
  }
  return { layout, rows };
}

export async function exportPlan(db: Db, groupId: string, outPath: string): Promise<{ rows: number; format: 'csv' | 'xlsx' }> {
  const ext = extname(outPath).toLowerCase();
  if (ext !== '.csv' && ext !== '.xlsx') throw new BragbotError('INPUT_INVALID', `--out must end in .xlsx or .csv (got "${ext || outPath}")`);
  const plan = await buildExport(db, groupId);
  if (ext === '.csv') {
    // A BOM so Excel opens UTF-8 ("Children’s") correctly when an officer double-clicks the file.
    await writeFile(outPath, '\uFEFF' + stringify([plan.layout.headers, ...plan.rows.map((r) => r.cells)]));
    return { rows: plan.rows.length, format: 'csv' };
  }
  const wb = new ExcelJS.Workbook();
  wb.creator = 'bragbot';
  const ws = wb.addWorksheet(plan.layout.sheet ?? 'Action Plan', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(plan.layout.headers).font = { bold: true };
  const bragCol = plan.layout.fields.brag;
  for (const r of plan.rows) {
    const row = ws.addRow(r.cells);
    row.alignment = { wrapText: true, vertical: 'top' };
    if (r.kind === 'heading') row.font = { bold: true };
    const fill = r.brag ? BRAG_FILL[r.brag] : null;
    if (bragCol !== undefined && fill) {
      // The word is always in the cell; the fill is a courtesy, never the only signal.
      row.getCell(bragCol + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
    }
  }
  plan.layout.headers.forEach((h, i) => {
    ws.getColumn(i + 1).width = Math.min(60, Math.max(10, h.length + 4, i === plan.layout.fields.activity ? 50 : 0));
  });
  await wb.xlsx.writeFile(outPath);
  return { rows: plan.rows.length, format: 'xlsx' };
}
