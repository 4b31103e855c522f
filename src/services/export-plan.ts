/**
 * Writes a group's current plan back out in the layout it was imported from (same sheets, rows
 * above the header, columns and order, objective headings between their actions, every cell as
 * written while it still holds), with today's BRAG and progress. Re-importing an export changes
 * nothing: the round trip is tested over every fixture. The layout itself is pure
 * (src/core/import/export-layout.ts); this module reads the values and writes the file.
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import type { Brag } from '../core/brag.js';
import { BragbotError } from '../core/errors.js';
import { layoutExport, type ExportAction, type ExportObjective, type ExportSheet } from '../core/import/export-layout.js';
import type { StoredLayout } from '../core/import/layout.js';
import type { ActionSource, ObjectiveSource } from '../core/import/parse-plan.js';
import type { Db } from '../db/client.js';
import { existingAt, rowsAsOf } from './plan-as-of.js';
import { renderCsv } from '../render/csv.js';
import { renderPlanDocx } from '../render/plan-docx.js';

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
  sheets: ExportSheet[];
}

const parse = <T>(json: string | null | undefined): T => (json ? (JSON.parse(json) as T) : ({} as T));

/**
 * The plan's current values, as the pure layout takes them; with `at`, as they stood then
 * (src/services/plan-as-of.ts: the actions that existed, their BRAG, progress and due date).
 */
export async function loadExportValues(db: Db, groupId: string, at?: Date): Promise<{ layout: StoredLayout; objectives: ExportObjective[]; actions: ExportAction[] }> {
  const group = await db.group.findUniqueOrThrow({ where: { id: groupId }, select: { layoutJson: true } });
  const layout: StoredLayout = group.layoutJson ? (JSON.parse(group.layoutJson) as StoredLayout) : DEFAULT_LAYOUT;
  const objectives = (await db.objective.findMany({ where: { groupId }, orderBy: { position: 'asc' } })).map((o) => ({
    id: o.id, position: o.position, code: o.code, title: o.title, description: o.description, source: parse<ObjectiveSource>(o.sourceJson),
  }));
  const rows = await db.action.findMany({ where: { groupId, ...(at === undefined ? { archivedAt: null } : existingAt(at)) }, orderBy: { position: 'asc' } });
  const actions = (at === undefined ? rows : await rowsAsOf(db, rows, at)).map((a) => ({
    objectiveId: a.objectiveId, ref: a.ref, activity: a.activity, progress: a.progress, evidence: a.evidence,
    leadAgency: a.leadAgency, leadOfficer: a.leadOfficer, dueRaw: a.dueRaw, brag: a.brag as Brag,
    extra: parse<Record<string, string>>(a.extraJson), source: parse<ActionSource>(a.sourceJson),
  }));
  return { layout, objectives, actions };
}

export async function buildExport(db: Db, groupId: string, at?: Date): Promise<ExportedPlan> {
  const { layout, objectives, actions } = await loadExportValues(db, groupId, at);
  return { layout, sheets: layoutExport(layout, objectives, actions) };
}

export type ExportFormat = 'csv' | 'xlsx' | 'docx';

export async function exportPlan(db: Db, groupId: string, outPath: string, at?: Date): Promise<{ rows: number; format: ExportFormat }> {
  const ext = extname(outPath).toLowerCase();
  if (ext !== '.csv' && ext !== '.xlsx' && ext !== '.docx') throw new BragbotError('INPUT_INVALID', `--out must end in .xlsx, .docx or .csv (got "${ext || outPath}")`);
  const plan = await buildExport(db, groupId, at);
  const rows = plan.sheets.reduce((n, s) => n + s.rows.filter((r) => r.kind === 'action' || r.kind === 'heading').length, 0);
  if (ext === '.csv') {
    if (plan.sheets.length > 1) {
      throw new BragbotError('INPUT_INVALID', `this plan came from ${plan.sheets.length} sheets (${plan.sheets.map((s) => `"${s.name}"`).join(', ')}), which one CSV cannot hold: export it as .xlsx`);
    }
    await writeFile(outPath, renderCsv(plan.sheets[0]!.rows.map((r) => r.cells)));
    return { rows, format: 'csv' };
  }
  if (ext === '.docx') {
    const group = await db.group.findUniqueOrThrow({ where: { id: groupId }, select: { name: true } });
    await writeFile(outPath, await renderPlanDocx(plan.sheets, { title: plan.layout.title ?? group.name }));
    return { rows, format: 'docx' };
  }
  await writeFile(outPath, await renderPlanXlsx(plan));
  return { rows, format: 'xlsx' };
}

export async function renderPlanXlsx(plan: ExportedPlan): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'bragbot';
  plan.sheets.forEach((sheet, k) => {
    const headerAt = sheet.rows.findIndex((r) => r.kind === 'header') + 1;
    const ws = wb.addWorksheet(sheet.name ?? (plan.sheets.length > 1 ? `Sheet ${k + 1}` : 'Action Plan'), { views: [{ state: 'frozen', ySplit: headerAt }] });
    const bragCol = sheet.layout.fields.brag;
    for (const r of sheet.rows) {
      const row = ws.addRow(r.cells);
      if (r.kind === 'header') {
        row.font = { bold: true };
        continue;
      }
      if (r.kind === 'preamble') continue;
      row.alignment = { wrapText: true, vertical: 'top' };
      if (r.kind === 'heading') row.font = { bold: true };
      const fill = r.brag ? BRAG_FILL[r.brag] : null;
      if (bragCol !== undefined && fill) {
        // The word is always in the cell; the fill is a courtesy, never the only signal.
        row.getCell(bragCol + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
      }
    }
    sheet.layout.headers.forEach((h, i) => {
      ws.getColumn(i + 1).width = Math.min(60, Math.max(10, h.length + 4, i === sheet.layout.fields.activity ? 50 : 0));
    });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
