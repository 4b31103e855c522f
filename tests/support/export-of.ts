/** The export layout of a parsed plan, as the database would hold it after importing it (pure). */
import { layoutExport, type ExportAction, type ExportObjective } from '../../src/core/import/export-layout.js';
import type { StoredLayout } from '../../src/core/import/layout.js';
import type { ParsedPlan } from '../../src/core/import/parse-plan.js';

/** What the database would hold after importing plan, fed back to the export layout. */
export function exportOf(plan: ParsedPlan, layout: StoredLayout): string[][][] {
  const objectives: ExportObjective[] = plan.objectives.map((o) => ({ id: `o${o.position}`, position: o.position, code: o.code, title: o.title, description: o.description, source: o.source }));
  const actions: ExportAction[] = plan.actions.map((a) => ({
    objectiveId: a.objectivePosition === null ? null : `o${a.objectivePosition}`, ref: a.ref, activity: a.activity, progress: a.progress, evidence: a.evidence,
    leadAgency: a.leadAgency, leadOfficer: a.leadOfficer, dueRaw: a.due.raw, brag: a.brag, extra: a.extra, source: a.source,
  }));
  return layoutExport(layout, objectives, actions).map((s) => s.rows.map((r) => r.cells));
}

