/**
 * What a (re-)import changes, worked out before anything is written: the same function feeds
 * `--dry-run` and the real import, so the preview is exactly what happens.
 */
import type { Brag } from '../brag.js';
import type { ActionSource, ParsedAction } from './parse-plan.js';

/** The fields of an action a plan file owns. */
export const IMPORTED_FIELDS = ['ref', 'activity', 'progress', 'evidence', 'leadAgency', 'leadOfficer', 'dueRaw', 'brag', 'objective', 'extra', 'asWritten'] as const;
export type ImportedField = (typeof IMPORTED_FIELDS)[number];

export interface ExistingAction {
  id: string;
  rowKey: string;
  ref: string;
  activity: string;
  progress: string;
  evidence: string;
  leadAgency: string;
  leadOfficer: string;
  dueRaw: string;
  brag: Brag;
  objectivePosition: number | null;
  extraJson: string;
  sourceJson: string;
  archived: boolean;
}

export interface FieldChange {
  field: ImportedField;
  from: string;
  to: string;
}

export interface PlanDiff {
  created: ParsedAction[];
  updated: { existing: ExistingAction; parsed: ParsedAction; changes: FieldChange[] }[];
  unchanged: { existing: ExistingAction; parsed: ParsedAction }[];
  /** In the database but no longer in the file: archived (hidden, history kept), never deleted. */
  archived: ExistingAction[];
}

/** Canonical JSON of the extra columns so key order never shows as a change. */
export const extraToJson = (extra: Record<string, string>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(extra).sort(([a], [b]) => a.localeCompare(b))));

/** Canonical JSON of the cells as written (brag, lead, sheet). */
export const sourceToJson = (source: ActionSource): string =>
  JSON.stringify(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b))));

export function diffPlan(existing: readonly ExistingAction[], parsed: readonly ParsedAction[]): PlanDiff {
  const byKey = new Map(existing.map((e) => [e.rowKey, e]));
  const seen = new Set<string>();
  const diff: PlanDiff = { created: [], updated: [], unchanged: [], archived: [] };
  for (const p of parsed) {
    const e = byKey.get(p.rowKey);
    seen.add(p.rowKey);
    if (!e) {
      diff.created.push(p);
      continue;
    }
    const pairs: [ImportedField, string, string][] = [
      ['ref', e.ref, p.ref],
      ['activity', e.activity, p.activity],
      ['progress', e.progress, p.progress],
      ['evidence', e.evidence, p.evidence],
      ['leadAgency', e.leadAgency, p.leadAgency],
      ['leadOfficer', e.leadOfficer, p.leadOfficer],
      ['dueRaw', e.dueRaw, p.due.raw],
      ['brag', e.brag, p.brag],
      ['objective', String(e.objectivePosition ?? ''), String(p.objectivePosition ?? '')],
      ['extra', e.extraJson, extraToJson(p.extra)],
      // "On Track" → "Green" changes no value, but export writes the cell back as the file last had it.
      ['asWritten', e.sourceJson, sourceToJson(p.source)],
    ];
    let changes = pairs.filter(([, from, to]) => from !== to).map(([field, from, to]) => ({ field, from, to }));
    // The cells as written follow the values: shown only when nothing else says what changed.
    if (changes.length > 1) changes = changes.filter((c) => c.field !== 'asWritten');
    // A row that comes back after being archived is a change even if its fields are the same.
    if (changes.length > 0 || e.archived) diff.updated.push({ existing: e, parsed: p, changes });
    else diff.unchanged.push({ existing: e, parsed: p });
  }
  diff.archived = existing.filter((e) => !e.archived && !seen.has(e.rowKey));
  return diff;
}
