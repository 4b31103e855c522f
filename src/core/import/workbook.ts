/**
 * A workbook of several sheets as one plan (issue 13): every sheet that holds an action table is
 * imported, a sheet with no objective rows of its own is one objective named after the sheet, and
 * the sheets skipped are listed with the reason. Pure: no I/O.
 */
import type { Layout, StoredLayout } from './layout.js';
import { parsePlan, cellText, type Issue, type ParseOptions, type ParsedObjective, type ParsedPlan, type SourceTable } from './parse-plan.js';

export interface SheetOutcome {
  sheet: string;
  imported: boolean;
  actions: number;
  /** Why a sheet was skipped ("no action table: …"). */
  reason?: string;
}

export interface ParsedWorkbook extends ParsedPlan {
  /** Each imported sheet's layout, in workbook order (one for a CSV or a one-plan workbook). */
  layouts: Layout[];
  sheets: SheetOutcome[];
}

const withSheet = (issues: Issue[], sheet: string | undefined, several: boolean): Issue[] =>
  several && sheet !== undefined ? issues.map((i) => ({ ...i, sheet })) : issues;

/** Why a sheet holds no action table, in a line. */
function skipReason(table: SourceTable): string {
  const filled = table.rows.filter((r) => r.cells.some((c) => cellText(c) !== '')).length;
  if (filled === 0) return 'empty';
  return `no action table: none of its first rows names an activity column and two others (Ref, Lead, By When, BRAG…); ${filled} row${filled === 1 ? '' : 's'} of text`;
}

/** The first line of text on a cover sheet: "Corporate Parenting Tracker 2025-26". */
function coverTitle(table: SourceTable): string | undefined {
  for (const row of table.rows.slice(0, 10)) {
    const filled = row.cells.map(cellText).filter((c) => c !== '');
    if (filled.length === 1) return filled[0];
    if (filled.length > 1) return undefined;
  }
  return undefined;
}

export function parseWorkbook(tables: readonly SourceTable[], options: ParseOptions = {}): ParsedWorkbook {
  const several = tables.length > 1;
  const parsed = tables.map((t) => ({ table: t, plan: parsePlan(t, options) }));
  const found = parsed.filter((p) => p.plan.layout.headerRow > 0);
  const sheets: SheetOutcome[] = parsed.map(({ table, plan }) =>
    plan.layout.headerRow > 0
      ? { sheet: table.sheet ?? table.fileName, imported: true, actions: plan.actions.length }
      : { sheet: table.sheet ?? table.fileName, imported: false, actions: 0, reason: skipReason(table) },
  );
  const title = (tables[0] && found[0]?.table !== tables[0] ? coverTitle(tables[0]) : undefined) ?? found[0]?.plan.title;

  if (found.length <= 1) {
    const only = found[0] ?? parsed[0]!;
    const { plan, table } = only;
    return {
      ...plan,
      ...(title ? { title } : {}),
      warnings: withSheet(plan.warnings, table.sheet, several),
      errors: withSheet(plan.errors, table.sheet, several),
      layouts: found.length === 1 ? [plan.layout] : [],
      sheets,
    };
  }

  // Several action sheets: one plan. Keys carry the sheet ("Principle 2!4") so each sheet's own
  // refs (every sheet starts at 1) stay distinct, and stay the same when the workbook comes back.
  const objectives: ParsedObjective[] = [];
  const actions: ParsedPlan['actions'] = [];
  const warnings: Issue[] = [];
  const errors: Issue[] = [];
  found.forEach(({ table, plan }, sheetIndex) => {
    const name = table.sheet ?? table.fileName;
    const offset = objectives.length;
    if (plan.objectives.length === 0) {
      objectives.push({ position: offset + 1, code: null, title: name, description: null, row: plan.layout.headerRow, source: { sheet: sheetIndex, fromSheet: true } });
    } else {
      for (const o of plan.objectives) objectives.push({ ...o, position: offset + o.position, source: { ...o.source, sheet: sheetIndex } });
    }
    for (const a of plan.actions) {
      actions.push({
        ...a,
        position: actions.length + 1,
        objectivePosition: plan.objectives.length === 0 ? offset + 1 : a.objectivePosition === null ? null : offset + a.objectivePosition,
        rowKey: `${name}!${a.rowKey}`,
        source: { ...a.source, sheet: sheetIndex },
      });
    }
    warnings.push(...withSheet(plan.warnings, name, true));
    errors.push(...withSheet(plan.errors, name, true));
  });
  const layouts = found.map((f) => f.plan.layout);
  return { layout: { ...layouts[0]! }, layouts, objectives, actions, warnings, errors, sheets, ...(title ? { title } : {}) };
}

/** The layout stored on the group: the first sheet's, with every sheet's when there are several. */
export function storedLayout(plan: ParsedWorkbook, fileType: StoredLayout['fileType']): StoredLayout {
  return { ...plan.layout, fileType, ...(plan.layouts.length > 1 ? { sheets: plan.layouts } : {}), ...(plan.title ? { title: plan.title } : {}) };
}
