/**
 * The plan laid out again in the layout it was imported in: the rows above the header, the header,
 * objective headings where the file had them, and every cell the import read — as written while the
 * value still holds ("On Track", "Children's Social Care, Dave Purcell", "Priority 1: Improve …"),
 * the current value where it changed since. Pure: the export service feeds it the values (today's,
 * or reconstructed as of a date) and writes the result as XLSX, CSV, ODS or DOCX.
 */
import { BRAG_LABEL, parseBrag, statusKey, type Brag } from '../brag.js';
import { leadColumnKind, parseLead } from './lead.js';
import type { Layout, PlanField, StoredLayout } from './layout.js';
import { composeLead, type ActionSource, type ObjectiveSource } from './parse-plan.js';

export interface ExportObjective {
  id: string;
  position: number;
  code: string | null;
  title: string;
  description: string | null;
  source: ObjectiveSource;
}

export interface ExportAction {
  objectiveId: string | null;
  ref: string;
  activity: string;
  progress: string;
  evidence: string;
  leadAgency: string;
  leadOfficer: string;
  dueRaw: string;
  brag: Brag;
  extra: Record<string, string>;
  source: ActionSource;
}

export interface ExportRow {
  cells: string[];
  kind: 'preamble' | 'header' | 'heading' | 'action';
  brag?: Brag;
}

export interface ExportSheet {
  name: string | undefined;
  layout: Layout;
  /** Every row, from the top of the sheet: preamble, header, then the plan. */
  rows: ExportRow[];
}

/**
 * The BRAG cell: the file's own word while it still means the current BRAG; where the rating changed
 * since, the council's word for the new one ("At Risk" for an action turned Amber in chat, in a plan
 * that wrote "On Track"); else the colour word.
 */
function bragCell(a: ExportAction, layout: Layout): string {
  if (a.source.brag === undefined) return a.brag === 'unrated' ? '' : BRAG_LABEL[a.brag];
  const vocabulary = layout.statusWords ?? {};
  const words = Object.fromEntries(Object.entries(vocabulary).map(([w, b]) => [statusKey(w), b]));
  const read = parseBrag(a.source.brag, words);
  if (read.ok && read.brag === a.brag) return a.source.brag;
  if (a.brag === 'unrated') return '';
  return Object.entries(vocabulary).find(([, b]) => b === a.brag)?.[0] ?? BRAG_LABEL[a.brag];
}

function leadCell(a: ExportAction, layout: Layout): string {
  if (a.source.lead !== undefined) {
    const header = layout.fields.lead === undefined ? '' : (layout.headers[layout.fields.lead] ?? '');
    const read = parseLead(a.source.lead, leadColumnKind(header));
    if (read.agency === a.leadAgency && read.officer === a.leadOfficer) return a.source.lead;
  }
  return composeLead(a.leadAgency, a.leadOfficer === '' ? [] : [a.leadOfficer]);
}

function headingRows(o: ExportObjective, width: number, objectiveColumn: number | undefined, refColumn?: number): ExportRow[] {
  // Objectives from an objective column live in that column; only heading rows are written as rows,
  // and the objective's own row where the file had one (an objective with a ref and no activity).
  if (o.source.cell !== undefined && o.source.ownRowRef !== undefined && objectiveColumn !== undefined) {
    const cells = Array<string>(width).fill('');
    cells[objectiveColumn] = o.source.cell;
    if (refColumn !== undefined && o.source.ownRowRef !== '') cells[refColumn] = o.source.ownRowRef;
    return [{ kind: 'heading', cells }];
  }
  if (o.source.fromSheet || o.source.cell !== undefined) return [];
  if (objectiveColumn !== undefined && o.source.rows === undefined) return [];
  const texts = o.source.rows ?? [
    o.code ? `${o.code} – ${o.title}` : o.title,
    ...(o.description ? [o.description] : []),
  ];
  return texts.map((t, k) => lineRow(t, k === 0 ? o.source.column : (o.source.columns?.[k - 1] ?? o.source.column), width));
}

function lineRow(text: string, column: number | undefined, width: number): ExportRow {
  const cells = Array<string>(width).fill('');
  cells[Math.min(column ?? 0, Math.max(0, width - 1))] = text;
  return { kind: 'heading', cells };
}

function layoutSheet(layout: Layout, objectives: ExportObjective[], actions: ExportAction[]): ExportSheet {
  const width = Math.max(layout.headers.length, layout.extraKeys?.length ?? 0);
  const at = (f: PlanField) => layout.fields[f];
  const objectiveColumn = at('objective');
  const rows: ExportRow[] = [];
  for (const p of layout.preamble ?? []) rows.push({ kind: 'preamble', cells: [...p] });
  rows.push({ kind: 'header', cells: [...layout.headers, ...Array<string>(width - layout.headers.length).fill('')] });
  const byId = new Map(objectives.map((o) => [o.id, o]));
  const ordered = [...objectives].sort((x, y) => x.position - y.position);
  let written = 0; // objectives whose heading rows are out
  let lastObjective: string | null = null;
  const described = new Set<string>();
  const extraKeys = layout.extraKeys ?? layout.headers.map((h, i) => (Object.values(layout.fields).includes(i) || h === '' ? null : h));
  const quarterly = layout.progressFrom ?? [];

  for (const a of actions) {
    const objective = a.objectiveId === null ? undefined : byId.get(a.objectiveId);
    // Layouts without an objective column carry objectives as heading rows, as councils write them;
    // objectives without actions keep their place.
    if (objective && objective.id !== lastObjective) {
      while (written < ordered.length && ordered[written]!.position <= objective.position) rows.push(...headingRows(ordered[written++]!, width, objectiveColumn, at('ref')));
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
    put('lead', leadCell(a, layout));
    put('due', a.dueRaw);
    put('brag', bragCell(a, layout));
    // An objective from a heading row leaves the objective column blank, as the file did.
    const fromHeadingRow = objective?.source.cell === undefined && (objective?.source.rows !== undefined || objective?.source.fromSheet);
    if (objectiveColumn !== undefined && a.source.objectiveCell !== undefined) cells[objectiveColumn] = a.source.objectiveCell;
    else if (objectiveColumn !== undefined && objective && !fromHeadingRow) {
      if (objective.source.cell !== undefined) cells[objectiveColumn] = objective.source.cell;
      else {
        // "Priority 3" came from a cell that said "3" under the Priority header: write it back as it was.
        const header = layout.headers[objectiveColumn] ?? '';
        const label = objective.code ? `${objective.code}${objective.title !== objective.code ? ` – ${objective.title}` : ''}` : objective.title;
        cells[objectiveColumn] = objective.code && label.startsWith(`${header} `) && objective.title === objective.code ? label.slice(header.length + 1) : label;
      }
    }
    extraKeys.forEach((key, i) => {
      if (key !== null && a.extra[key] !== undefined) cells[i] = a.extra[key];
    });
    if (quarterly.length > 0) {
      // No progress column: the latest quarterly update is the progress. A newer progress goes in the
      // next empty quarter, so the earlier updates stay as written and re-import reads the new one.
      let latest = -1;
      quarterly.forEach((i, k) => {
        if ((cells[i] ?? '') !== '') latest = k;
      });
      const current = latest >= 0 ? cells[quarterly[latest]!] : '';
      if (a.progress !== '' && a.progress !== current) cells[quarterly[Math.min(latest + 1, quarterly.length - 1)]!] = a.progress;
    }
    rows.push({ kind: 'action', cells, brag: a.brag });
    // Purpose lines under an objective from the objective column follow its first action, where they sat.
    if (objective?.source.cell !== undefined && objective.source.rows && !described.has(objective.id)) {
      described.add(objective.id);
      objective.source.rows.forEach((t, k) => rows.push(lineRow(t, objective.source.columns?.[k], width)));
    }
  }
  while (written < ordered.length) rows.push(...headingRows(ordered[written++]!, width, objectiveColumn, at('ref')));
  return { name: layout.sheet, layout, rows };
}

export function layoutExport(layout: StoredLayout, objectives: ExportObjective[], actions: ExportAction[]): ExportSheet[] {
  if (!layout.sheets || layout.sheets.length <= 1) return [layoutSheet(layout, objectives, actions)];
  return layout.sheets.map((sheet, k) =>
    layoutSheet(
      sheet,
      objectives.filter((o) => (o.source.sheet ?? 0) === k),
      actions.filter((a) => (a.source.sheet ?? 0) === k),
    ),
  );
}
