/**
 * Turns a council's table (rows of cells, as read from CSV or XLSX) into a plan:
 * objectives, actions, and every guess as a warning naming its row. Pure: no I/O, no clock.
 *
 * Row numbers are the ones the officer sees in their spreadsheet (1-based, header included),
 * so "row 14" in a warning is row 14 on their screen.
 */
import { BRAG_LABEL, BRAG_MEANING, bragFromColour, parseBrag, statusKey, type Brag } from '../brag.js';
import { dueDateFromCell, parseDueDate, type DueDate } from '../due-date.js';
import { leadColumnKind, parseLead } from './lead.js';
import {
  QUARTERLY_HEADER,
  layoutName,
  looksLikeHeader,
  mapHeaders,
  mapWithMappingFile,
  type ColumnMap,
  type Layout,
  type MappingFile,
  type PlanField,
} from './layout.js';

export type Cell = string | number | Date | boolean | null | undefined;

export interface SourceRow {
  /** Row number as the spreadsheet shows it. */
  number: number;
  cells: Cell[];
  /** Cell background colours (RRGGBB) by column, where the file has them: BRAG shown only as colour. */
  fills?: (string | undefined)[];
}

export interface SourceTable {
  fileName: string;
  sheet?: string;
  rows: SourceRow[];
  /** What the reader had to guess about the file itself (an encoding), reported with the plan's warnings. */
  warnings?: Issue[];
  /** What the reader refused (a cell over the size limit): row errors, so nothing is written. */
  errors?: Issue[];
}

export interface Issue {
  row: number;
  /** The sheet, in a workbook of several. */
  sheet?: string;
  column?: string;
  message: string;
}

/** Heading rows as written, and where they came from, so export writes them back unchanged. */
export interface ObjectiveSource {
  /** The heading row's text, then its purpose rows, as written. */
  rows?: string[];
  /** Column the heading text sat in (York: the Ref column). */
  column?: number;
  /** Column of each of rows[1..] (purpose lines), where it differs from the heading's. */
  columns?: number[];
  /** The objective cell as written, for layouts with an objective column ("Priority 1: Improve …"). */
  cell?: string;
  /** Index of the sheet in a workbook of several. */
  sheet?: number;
  /** The objective is the sheet's name (the sheet had no objective rows). */
  fromSheet?: boolean;
  /**
   * The objective cell stood on a row of its own (with at most a ref, no activity): the ref as
   * written ('' for none), so export writes that row back instead of losing the objective.
   */
  ownRowRef?: string;
}

export interface ParsedObjective {
  position: number;
  code: string | null;
  title: string;
  description: string | null;
  row: number;
  source: ObjectiveSource;
}

/** Cells as written where the action keeps a normalised value; the sheet it came from. */
export interface ActionSource {
  /** The BRAG cell as written, when it is not the plain colour word ("On Track", "RED", "Not Started"). */
  brag?: string;
  /** The lead cell as written, when export would not write it back the same way. */
  lead?: string;
  /**
   * The objective cell as written, when it is not the cell of the action's objective (an action
   * under a heading row that still names an earlier objective in the column): written back as read.
   */
  objectiveCell?: string;
  sheet?: number;
}

export interface ParsedAction {
  row: number;
  position: number;
  objectivePosition: number | null;
  ref: string;
  rowKey: string;
  activity: string;
  progress: string;
  evidence: string;
  leadAgency: string;
  /** leadOfficers joined with ", ". */
  leadOfficer: string;
  leadOfficers: string[];
  due: DueDate;
  brag: Brag;
  /** Columns with no field of their own, by header, as written. */
  extra: Record<string, string>;
  source: ActionSource;
}

export interface ParsedPlan {
  layout: Layout;
  objectives: ParsedObjective[];
  actions: ParsedAction[];
  warnings: Issue[];
  errors: Issue[];
  /** The file's title row (the first line above the header), if it has one: a new group's name. */
  title?: string;
}

/** How many rows from the top we look through for the header (title rows come first in real sheets). */
const HEADER_SEARCH_ROWS = 30;

export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  // An unreadable date cell (Invalid Date) has no text: toISOString would throw (found by fast-check).
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  return String(cell).replace(/\r\n?/g, '\n').replace(/[ \t\u00a0]+/g, ' ').trim();
}

function findHeader(rows: SourceRow[], mapping?: MappingFile & { columns: NonNullable<MappingFile['columns']> }): { index: number; map: ColumnMap } | { error: Issue } {
  if (mapping?.headerRow !== undefined) {
    const index = rows.findIndex((r) => r.number === mapping.headerRow);
    const row = rows[index];
    if (!row) return { error: { row: mapping.headerRow, message: `the mapping file says the header is on row ${mapping.headerRow}, but the sheet has no such row` } };
    const map = mapWithMappingFile(row.cells.map(cellText), mapping);
    if ('missing' in map) return { error: { row: row.number, message: `row ${row.number} has no column named ${map.missing.map((m) => `"${m}"`).join(', ')} (from the mapping file)` } };
    return { index, map };
  }
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS); i++) {
    const row = rows[i]!;
    const cells = row.cells.map(cellText);
    if (mapping) {
      const map = mapWithMappingFile(cells, mapping);
      if (!('missing' in map)) return { index: i, map };
      continue;
    }
    const map = mapHeaders(cells);
    if (looksLikeHeader(map)) return { index: i, map };
  }
  return {
    error: {
      row: rows[0]?.number ?? 1,
      message: mapping
        ? `no row in the first ${HEADER_SEARCH_ROWS} has the columns the mapping file names`
        : `no header row found in the first ${HEADER_SEARCH_ROWS} rows: expected columns such as Ref, Activity, Where Are We Now?, Lead, By When, BRAG. For another layout, pass --mapping FILE`,
    },
  };
}

const OBJECTIVE_HEADING = /^((objective|priority|theme|outcome|principle|aim)\s*[0-9ivx]+[a-z]?)\s*[:;.\-–—]?\s*(.*)$/is;
/** Refs are short tokens: "1", "12a", "3.2", "A4", "P1.3". Longer text in the ref column is a heading. */
const REF_LIKE = /^[A-Za-z]{0,3}\s?\d+(?:[.\-/]\d+)*[a-z]?\.?$/;

function splitHeading(text: string): { code: string | null; title: string; description: string | null } {
  const m = OBJECTIVE_HEADING.exec(text);
  if (!m) return { code: null, title: text, description: null };
  const rest = (m[3] ?? '').trim();
  // York writes "Objective 3 - Title with 'Local Offer' 'To ensure …'": the last quoted
  // sentence is the purpose (the description); quotes inside the title stay in the title.
  const starts = [...rest.matchAll(/\s['‘](?=[A-Z])/g)];
  const last = starts[starts.length - 1];
  if (last?.index !== undefined && /['’]\.?\s*$/.test(rest)) {
    const title = rest.slice(0, last.index).trim();
    const description = rest.slice(last.index).trim().replace(/^['‘]/, '').replace(/['’]\.?\s*$/, '');
    if (title !== '') return { code: m[1]!.replace(/\s+/g, ' '), title, description };
  }
  return { code: m[1]!.replace(/\s+/g, ' '), title: rest || m[1]!, description: null };
}

export interface ParseOptions {
  mapping?: MappingFile;
}

/** Spreadsheet column letters for column index i (0 → A, 26 → AA). */
export function columnLetter(i: number): string {
  let n = i + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Keys for the columns with no field of their own: the header, made unique; "Column F" where blank. */
function extraKeysFor(headers: string[], fieldColumns: Set<number>, rows: SourceRow[], from: number): (string | null)[] {
  const used = new Set<string>();
  const width = Math.max(headers.length, ...rows.slice(from).map((r) => r.cells.length));
  const keys: (string | null)[] = [];
  for (let i = 0; i < width; i++) {
    if (fieldColumns.has(i)) {
      keys.push(null);
      continue;
    }
    let key = (headers[i] ?? '').trim() || `Column ${columnLetter(i)}`;
    for (let n = 2; used.has(key); n++) key = `${(headers[i] ?? '').trim() || `Column ${columnLetter(i)}`} (${n})`;
    used.add(key);
    keys.push(key);
  }
  return keys;
}

export function parsePlan(table: SourceTable, options: ParseOptions = {}): ParsedPlan {
  const warnings: Issue[] = [...(table.warnings ?? [])];
  const errors: Issue[] = [...(table.errors ?? [])];
  const objectives: ParsedObjective[] = [];
  const actions: ParsedAction[] = [];
  const emptyLayout: Layout = { name: 'unknown', headerRow: 0, headers: [], fields: {}, ...(table.sheet ? { sheet: table.sheet } : {}) };
  const columnMapping = options.mapping?.columns ? { ...options.mapping, columns: options.mapping.columns } : undefined;
  const statusWords: Record<string, Brag> = Object.fromEntries(Object.entries(options.mapping?.status ?? {}).map(([k, v]) => [statusKey(k), v]));

  const header = findHeader(table.rows, columnMapping);
  if ('error' in header) return { layout: emptyLayout, objectives, actions, warnings, errors: [...errors, header.error] };
  const { map } = header;
  const headerRow = table.rows[header.index]!;
  const preamble = table.rows.slice(0, header.index).map((r) => trimEnd(r.cells.map(cellText)));
  const col = (f: PlanField) => map.fields[f];
  const fieldColumns = new Set(Object.values(map.fields));
  const extraKeys = extraKeysFor(map.headers, fieldColumns, table.rows, header.index + 1);
  const extraColumns = extraKeys.map((key, i) => ({ key, i })).filter((c): c is { key: string; i: number } => c.key !== null);
  // Quarterly update columns stand in for progress when the plan has no progress column.
  const quarterly = col('progress') === undefined ? map.headers.map((h, i) => ({ h, i })).filter(({ h }) => QUARTERLY_HEADER.test(h)).map(({ i }) => i) : [];
  const layout: Layout = {
    name: columnMapping ? 'custom' : layoutName(map),
    headerRow: headerRow.number,
    headers: map.headers,
    fields: map.fields,
    ...(table.sheet ? { sheet: table.sheet } : {}),
    ...(preamble.some((r) => r.length > 0) ? { preamble } : {}),
    extraKeys,
    ...(quarterly.length > 0 ? { progressFrom: quarterly } : {}),
  };
  const title = preamble.map((r) => r.filter((c) => c !== '')).find((r) => r.length === 1)?.[0];
  const leadKind = col('lead') === undefined ? 'both' : leadColumnKind(map.headers[col('lead')!] ?? '');
  const refSeen = new Map<string, number[]>();
  const leads = new Map<string, ReturnType<typeof parseLead>>();
  // One warning per distinct status word (issue 13), naming the first row and counting the rest.
  const wordRows = new Map<string, { brag: Brag; rows: number[] }>();
  const vocabulary: Record<string, Brag> = {};
  let currentObjective: ParsedObjective | null = null;
  let lastObjectiveCell = '';

  const get = (cells: Cell[], f: PlanField): Cell => {
    const i = col(f);
    return i === undefined ? undefined : cells[i];
  };
  const text = (cells: Cell[], f: PlanField): string => cellText(get(cells, f));

  const startObjective = (row: number, heading: string, source: ObjectiveSource) => {
    // A bare number in a Priority/Objective column ("1") means "Priority 1".
    const objectiveHeader = col('objective') !== undefined ? map.headers[col('objective')!] : undefined;
    const label = /^\d+[a-z]?$/i.test(heading) && objectiveHeader ? `${objectiveHeader} ${heading}` : heading;
    const { code, title, description } = splitHeading(label);
    currentObjective = { position: objectives.length + 1, code, title, description, row, source };
    objectives.push(currentObjective);
  };

  for (const row of table.rows.slice(header.index + 1)) {
    const cells = row.cells.map(cellText);
    const filled = cells.map((c, i) => ({ c, i })).filter(({ c }) => c !== '');
    if (filled.length === 0) continue;
    // A repeat of the header (a sheet printed across pages, then pasted back) is not data.
    if (cells.every((c, i) => c === '' || c === map.headers[i])) continue;

    const activity = text(row.cells, 'activity');
    const ref = text(row.cells, 'ref');
    const objectiveCell = text(row.cells, 'objective');

    // Heading rows: one cell of text and nothing else (York puts objectives in the Ref column).
    if (filled.length === 1 && !(ref !== '' && REF_LIKE.test(ref) && filled[0]!.i === col('ref'))) {
      const only = filled[0]!.c;
      const asWritten = cellText(row.cells[filled[0]!.i]);
      if (OBJECTIVE_HEADING.test(only) || objectiveCell === only) {
        startObjective(row.number, only, { rows: [asWritten], column: filled[0]!.i });
      } else if (currentObjective !== null) {
        // Purpose and "How will we achieve this" lines under an objective heading.
        const obj: ParsedObjective = currentObjective;
        obj.description = obj.description ? `${obj.description}\n${only}` : only;
        (obj.source.rows ??= []).push(asWritten);
        (obj.source.columns ??= []).push(filled[0]!.i);
      } else {
        startObjective(row.number, only, { rows: [asWritten], column: filled[0]!.i });
        warnings.push({ row: row.number, message: `read "${truncate(only)}" as a heading, since it has no action` });
      }
      continue;
    }

    // Layouts with an objective/priority column: a new value starts a new objective.
    let startedHere = false;
    if (objectiveCell !== '' && objectiveCell !== lastObjectiveCell) {
      startObjective(row.number, objectiveCell, { cell: objectiveCell });
      lastObjectiveCell = objectiveCell;
      startedHere = true;
    }

    if (activity === '') {
      if (objectiveCell !== '' && filled.every(({ i }) => i === col('objective') || i === col('ref'))) {
        // The objective's own row: kept so that an objective with no actions survives export.
        if (startedHere && currentObjective !== null) (currentObjective as ParsedObjective).source.ownRowRef = ref;
        continue;
      }
      errors.push({ row: row.number, column: map.headers[col('activity')!], message: `row ${row.number} has no activity: every action needs one (the row has: ${truncate(filled.map((f) => f.c).join(' | '))})` });
      continue;
    }

    const source: ActionSource = {};
    if (objectiveCell !== '' && (currentObjective as ParsedObjective | null)?.source.cell !== objectiveCell) source.objectiveCell = objectiveCell;
    const bragText = text(row.cells, 'brag');
    const bragParse = parseBrag(bragText, statusWords);
    let brag: Brag = 'unrated';
    if (!bragParse.ok) {
      errors.push({ row: row.number, column: map.headers[col('brag')!], message: `row ${row.number}: ${bragParse.reason}` });
    } else {
      brag = bragParse.brag;
      const colour = bragText === '' && col('brag') !== undefined ? row.fills?.[col('brag')!] : undefined;
      const shaded = colour ? bragFromColour(colour) : undefined;
      if (shaded) {
        // A BRAG cell with no word, only its shading (Word plans, some trackers): the colour is the rating.
        brag = shaded;
        warnings.push({ row: row.number, column: map.headers[col('brag')!], message: `read the BRAG cell's colour (#${colour}) as ${BRAG_LABEL[shaded]}: it has no word` });
      }
      if (bragText !== '' && bragText !== BRAG_LABEL[brag]) {
        source.brag = bragText;
        vocabulary[bragText] ??= brag;
      }
      if (bragParse.guessed) {
        const key = bragText.trim();
        const seen = wordRows.get(key) ?? { brag, rows: [] };
        seen.rows.push(row.number);
        wordRows.set(key, seen);
      }
    }

    let due: DueDate = { kind: 'unknown', date: null, raw: '' };
    const dueCell = get(row.cells, 'due');
    if (dueCell instanceof Date && Number.isNaN(dueCell.getTime())) {
      errors.push({ row: row.number, column: map.headers[col('due')!], message: `row ${row.number}: the date in this cell cannot be read; type it again as day/month/year` });
    } else if (dueCell instanceof Date) {
      due = dueDateFromCell(dueCell);
    } else {
      const parsed = parseDueDate(cellText(dueCell));
      if (!parsed.ok) errors.push({ row: row.number, column: map.headers[col('due')!], message: `row ${row.number}: ${parsed.reason}` });
      else {
        due = parsed.due;
        if (parsed.guess) warnings.push({ row: row.number, column: map.headers[col('due')!], message: parsed.guess });
      }
    }

    const leadText = text(row.cells, 'lead');
    // Plans repeat the same few lead cells on every row: read each distinct one once.
    let lead = leads.get(leadText);
    if (!lead) leads.set(leadText, (lead = parseLead(leadText, leadKind)));
    if (lead.guess) warnings.push({ row: row.number, column: map.headers[col('lead')!], message: lead.guess });
    if (leadText !== composeLead(lead.agency, lead.officers)) source.lead = leadText;

    const seen = refSeen.get(ref) ?? [];
    seen.push(row.number);
    refSeen.set(ref, seen);
    const rowKey = ref === '' ? `row:${normaliseKey(activity)}` : seen.length === 1 ? ref : `${ref}#${seen.length}`;
    if (ref !== '' && seen.length === 2) {
      warnings.push({ row: row.number, column: map.headers[col('ref')!], message: `ref ${ref} is used again (first on row ${seen[0]}): both kept, this one as ${rowKey}` });
    } else if (ref !== '' && seen.length > 2) {
      warnings.push({ row: row.number, column: map.headers[col('ref')!], message: `ref ${ref} is used ${seen.length} times: this one kept as ${rowKey}` });
    }

    const extra: Record<string, string> = {};
    for (const { key, i } of extraColumns) {
      const v = cells[i] ?? '';
      if (v !== '') extra[key] = v;
    }
    // No progress column: the latest quarterly update that says something is the progress.
    let progress = text(row.cells, 'progress');
    for (const i of quarterly) if ((cells[i] ?? '') !== '') progress = cells[i]!;

    actions.push({
      row: row.number,
      position: actions.length + 1,
      objectivePosition: (currentObjective as ParsedObjective | null)?.position ?? null,
      ref,
      rowKey,
      activity,
      progress,
      evidence: text(row.cells, 'evidence'),
      leadAgency: lead.agency,
      leadOfficer: lead.officer,
      leadOfficers: lead.officers,
      due,
      brag,
      extra,
      source,
    });
  }

  for (const [word, { brag, rows }] of wordRows) {
    const meaning = brag === 'unrated' ? 'not yet rated (the word is kept)' : `${BRAG_LABEL[brag]} (${BRAG_MEANING[brag]})`;
    const more = rows.length > 1 ? `, here and on ${rows.length - 1} more row${rows.length === 2 ? '' : 's'} (${truncate(rows.slice(1).join(', '), 60)})` : '';
    warnings.push({ row: rows[0]!, column: map.headers[col('brag')!], message: `read status "${word}" as ${meaning}${more}` });
  }
  if (Object.keys(vocabulary).length > 0) layout.statusWords = vocabulary;

  // Blank refs keyed by activity text can still collide (the same words twice): make them unique.
  const keys = new Map<string, number>();
  for (const a of actions) {
    const n = (keys.get(a.rowKey) ?? 0) + 1;
    keys.set(a.rowKey, n);
    if (n > 1) a.rowKey = `${a.rowKey}#${n}`;
  }

  if (actions.length === 0 && errors.length === 0) {
    errors.push({ row: headerRow.number, message: 'the header was found but no action rows follow it' });
  }
  return { layout, objectives, actions, warnings, errors, ...(title ? { title } : {}) };
}

/** How export writes a lead cell from its parts; a cell written otherwise is kept as written. */
export function composeLead(agency: string, officers: readonly string[]): string {
  const people = officers.join(', ');
  return agency && people ? `${agency} (${people})` : agency || people;
}

const trimEnd = (cells: string[]): string[] => {
  let n = cells.length;
  while (n > 0 && cells[n - 1] === '') n -= 1;
  return cells.slice(0, n);
};

const truncate = (s: string, n = 80): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const normaliseKey = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim().slice(0, 60);
