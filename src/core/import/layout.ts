/**
 * Header recognition: which column of a council's table holds which idea.
 * Councils name the same ideas differently (DOMAIN.md); the aliases below cover the
 * seeds' three shapes and common variants, and a mapping file covers anything else.
 */
import { z } from 'zod';
import { BRAGS, type Brag } from '../brag.js';

export const PLAN_FIELDS = ['ref', 'objective', 'activity', 'progress', 'evidence', 'lead', 'due', 'brag'] as const;
export type PlanField = (typeof PLAN_FIELDS)[number];

/** Normalised header text → field. Compared after normalise(). */
const ALIASES: Record<PlanField, readonly string[]> = {
  ref: ['ref', 'reference', 'ref no', 'no', 'number', 'action ref', 'action no', 'action number', 'id', '#'],
  objective: ['objective', 'priority', 'theme', 'outcome', 'strategic objective', 'principle'],
  activity: ['activity', 'action', 'actions', 'what will we do', 'area for development', 'task', 'action required', 'what we will do'],
  progress: ['where are we now', 'current situation progress made', 'progress', 'progress update', 'update', 'commentary', 'current position', 'progress to date'],
  evidence: ['evidence', 'how will we measure success', 'current performance', 'measures', 'evidence of impact', 'measure of success'],
  lead: ['lead agency and lead officer', 'lead', 'lead officer', 'lead agency', 'who will do it', 'owner', 'responsible', 'responsible officer', 'who'],
  due: ['by when', 'due', 'due date', 'target date', 'deadline', 'target data date', 'target date date', 'timescale', 'timescales', 'when', 'completion date'],
  brag: ['brag', 'rag', 'brag status', 'rag status', 'rag rating', 'brag rating', 'status'],
};

export const normaliseHeader = (h: string): string =>
  h.toLowerCase().replace(/&/g, ' ').replace(/[^a-z0-9#]+/g, ' ').trim();

const LOOKUP = new Map<string, PlanField>(
  PLAN_FIELDS.flatMap((f) => ALIASES[f].map((a) => [normaliseHeader(a), f] as const)),
);

const BY_LENGTH = [...LOOKUP.entries()].filter(([a]) => a.length >= 4).sort((x, y) => y[0].length - x[0].length);

/**
 * Exact alias first; else the longest alias the header starts with, so
 * "How will we measure success? What difference will have been made?" still reads as evidence.
 */
export function fieldForHeader(header: string): PlanField | undefined {
  const h = normaliseHeader(header);
  return LOOKUP.get(h) ?? BY_LENGTH.find(([a]) => h.startsWith(`${a} `))?.[1];
}

export interface ColumnMap {
  /** 0-based column index → field; columns with no field are kept as "extra" by header text. */
  fields: Partial<Record<PlanField, number>>;
  headers: string[];
}

/** A named layout, for messages and for export ("the layout it came in"). */
export interface Layout {
  name: string;
  sheet?: string;
  headerRow: number;
  headers: string[];
  fields: Partial<Record<PlanField, number>>;
  /** Rows above the header (title, notes) as written, so export puts them back. */
  preamble?: string[][];
  /** Column index → the key its value is kept under in an action's extra columns (null: a field's column). */
  extraKeys?: (string | null)[];
  /** Quarterly update columns ("Q1 Update (Apr-Jun)"), in column order, when there is no progress column. */
  progressFrom?: number[];
  /** The council's own status words as the file wrote them, in order of first use ("On Track" → green). */
  statusWords?: Record<string, Brag>;
}

const KNOWN: { name: string; signature: PlanField[]; headers: string[] }[] = [
  { name: 'york-delivery-plan', signature: ['ref', 'activity', 'progress', 'lead', 'due', 'brag'], headers: ['ref', 'activity', 'where are we now', 'evidence', 'lead agency and lead officer', 'by when', 'brag'] },
  { name: 'iro-service-plan', signature: ['objective', 'activity', 'progress', 'due'], headers: ['area for development', 'current situation progress made', 'specific actions to drive change', 'current performance', 'target data date'] },
  { name: 'herefordshire-action-plan', signature: ['objective', 'activity', 'lead', 'evidence'], headers: ['priority', 'what will we do', 'how will we do it', 'who will do it', 'how will we measure success'] },
];

/**
 * Maps a candidate header row. Each field takes the first column whose header names it;
 * a second column naming an already-taken field is kept as extra (nothing is dropped).
 */
export function mapHeaders(cells: readonly string[]): ColumnMap {
  const fields: Partial<Record<PlanField, number>> = {};
  cells.forEach((cell, i) => {
    // "Progress Q1", "Q2 Update": quarterly columns are kept whole, never taken for the progress column.
    if (QUARTERLY_HEADER.test(cell.trim())) return;
    const f = fieldForHeader(cell);
    if (f !== undefined && fields[f] === undefined) fields[f] = i;
  });
  // IRO-style sheets leave the ref column's header blank: a blank first header beside a
  // recognised table is the ref column.
  if (fields.ref === undefined && (cells[0] ?? '').trim() === '' && Object.keys(fields).length >= 2) fields.ref = 0;
  return { fields, headers: cells.map((c) => c.trim()) };
}

/** "Q1 Update (Apr-Jun)", "Q3 update 2025/26", "Quarter 2 progress": a quarterly update column. */
export const QUARTERLY_HEADER = /^(?:q|quarter\s*)([1-4])\b.*\b(?:update|progress|commentary|position)\b|^(?:update|progress)\s*(?:q|quarter\s*)([1-4])\b/i;

/** Enough recognised columns to be a plan: an activity and at least two other ideas. */
export function looksLikeHeader(map: ColumnMap): boolean {
  return map.fields.activity !== undefined && Object.keys(map.fields).length >= 3;
}

export function layoutName(map: ColumnMap): string {
  const normalised = map.headers.map(normaliseHeader);
  const known = KNOWN.find((k) => k.headers.every((h) => normalised.some((n) => n === h || n.startsWith(`${h} `))));
  return known?.name ?? 'custom';
}

/** A mapping file (JSON) for a layout the aliases do not recognise. */
export const MappingFile = z
  .object({
    sheet: z.string().optional(),
    headerRow: z.number().int().positive().optional(),
    /** A council's own status words: { "Behind schedule": "red", "Paused": "amber", "Not due": "unrated" }. */
    status: z.record(z.string().min(1), z.string().transform((v) => v.trim().toLowerCase()).pipe(z.enum(BRAGS))).optional(),
    columns: z
      .object({
        ref: z.string(),
        objective: z.string(),
        activity: z.string(),
        progress: z.string(),
        evidence: z.string(),
        lead: z.string(),
        due: z.string(),
        brag: z.string(),
      })
      .partial()
      .refine((c) => c.activity !== undefined, { message: 'columns.activity is required: which column holds the action' })
      .optional(),
  })
  .strict();
export type MappingFile = z.infer<typeof MappingFile>;

export function mapWithMappingFile(cells: readonly string[], mapping: MappingFile): ColumnMap | { missing: string[] } {
  const headers = cells.map((c) => c.trim());
  const fields: Partial<Record<PlanField, number>> = {};
  const missing: string[] = [];
  for (const [field, header] of Object.entries(mapping.columns ?? {}) as [PlanField, string | undefined][]) {
    if (header === undefined) continue;
    const i = headers.findIndex((h) => normaliseHeader(h) === normaliseHeader(header));
    if (i < 0) missing.push(header);
    else fields[field] = i;
  }
  return missing.length > 0 ? { missing } : { fields, headers };
}

/** Stored on the group so export writes the plan back in the layout it came in. */
export interface StoredLayout extends Layout {
  fileType: 'csv' | 'xlsx' | 'ods' | 'docx';
  /** Every imported sheet's layout, when the plan came from several sheets (actions say which). */
  sheets?: Layout[];
  /** The file's title row, written back above the table. */
  title?: string;
}
