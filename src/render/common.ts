/**
 * What every rendering of a highlight report shares: BRAG colours (always printed beside the
 * word, never instead of it), how a lead's text splits into paragraphs and lists, the labels
 * of the plan tables. Renderers are pure functions of the report content: no database, no chat SDK.
 */
import { BRAG_LABEL, BRAG_MEANING, BRAG_ORDER, type Brag } from '../core/brag.js';
import { longDate } from '../core/report/dates.js';
import { isSubheading } from '../core/report/headings.js';
import type { ActionSummary, HighlightReportContent } from '../core/report/types.js';

/** Fill and text colours chosen for contrast (WCAG AA for the word printed on the fill). */
export const BRAG_COLOUR: Record<Brag, { fill: string; text: string }> = {
  red: { fill: '#C00000', text: '#FFFFFF' },
  amber: { fill: '#FFC000', text: '#000000' },
  green: { fill: '#00B050', text: '#000000' },
  blue: { fill: '#0070C0', text: '#FFFFFF' },
  unrated: { fill: '#D9D9D9', text: '#000000' },
};

export { BRAG_LABEL, BRAG_MEANING, BRAG_ORDER };

/** "Red (off track)": how a status is written wherever it appears. */
export const bragText = (b: Brag): string => `${BRAG_LABEL[b]} (${BRAG_MEANING[b]})`;

export type Block =
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'list'; items: string[] }
  /** A lead's own sub-heading ("Placement sufficiency:"), printed as a heading, as written. */
  | { kind: 'subheading'; text: string };

const BULLET = /^\s*(?:[-•*–])\s+/;

/**
 * A lead's text as blocks: paragraphs are separated by blank lines; a paragraph whose every
 * line starts with a bullet is a list; a short line of its own ending in a colon, with more
 * text after it, is a sub-heading (core/report/headings.ts). Nothing else is interpreted, so
 * their words stay as written.
 */
export function textBlocks(text: string, options: { subheadings?: boolean } = {}): Block[] {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== ''))
    .filter((lines) => lines.length > 0);
  return paragraphs.map((lines, i): Block => {
    if (lines.every((l) => BULLET.test(l))) return { kind: 'list', items: lines.map((l) => l.replace(BULLET, '')) };
    const only = lines.length === 1 ? lines[0]!.trim() : null;
    if (options.subheadings !== false && only !== null && i < paragraphs.length - 1 && isSubheading(only)) {
      return { kind: 'subheading', text: only };
    }
    return { kind: 'paragraph', lines: lines.map((l) => l.trim()) };
  });
}

/** Long plan cells shortened for chat messages (never for the paper); the full text stays in the plan. */
export function brief(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** "28. Promote the use of …": the action as the plan writes it, never cut (a paper wraps, it does not truncate). */
export const actionLabel = (a: Pick<ActionSummary, 'ref' | 'activity'>): string => {
  const activity = a.activity.replace(/\s+/g, ' ').trim();
  return a.ref ? `${a.ref}. ${activity}` : activity;
};

export const dueText = (a: Pick<ActionSummary, 'dueRaw' | 'dueDate'>): string => a.dueRaw || (a.dueDate ? a.dueDate : 'no date');

export const ownersText = (a: Pick<ActionSummary, 'owners'>): string => (a.owners.length > 0 ? a.owners.join(', ') : 'no owner');

export const signed = (n: number): string => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

export interface GlanceRow {
  brag: Brag;
  label: string;
  meaning: string;
  now: number;
  before: number | null;
  change: string | null;
}

/** The "at a glance" table: one row per status in attention order, then the total. */
export function glanceRows(report: HighlightReportContent): { rows: GlanceRow[]; total: { now: number; before: number | null; change: string | null } } {
  const cmp = report.plan.comparison;
  const rows = BRAG_ORDER.map((b) => ({
    brag: b,
    label: BRAG_LABEL[b],
    meaning: BRAG_MEANING[b],
    now: report.plan.counts[b],
    before: cmp ? cmp.counts[b] : null,
    change: cmp ? signed(report.plan.counts[b] - cmp.counts[b]) : null,
  }));
  return {
    rows,
    total: { now: report.plan.total, before: cmp ? cmp.total : null, change: cmp ? signed(report.plan.total - cmp.total) : null },
  };
}

/** The line under the title: which meeting, which period, as at when. */
export function metaLine(report: HighlightReportContent): string {
  const parts = [`Meeting: ${longDate(report.meeting.date)}`];
  if (report.meeting.previousDate) parts.push(`Period: since ${longDate(report.meeting.previousDate)}`);
  parts.push(`Action plan as at: ${longDate(report.asOfDate)}`);
  return parts.join(' · ');
}

export const PLAN_HEADING = 'Action plan status';

/** Plain alt text for the chart: the same figures as the table, in words. */
export function chartAltText(report: HighlightReportContent): string {
  const now = BRAG_ORDER.map((b) => `${BRAG_LABEL[b]} ${report.plan.counts[b]}`).join(', ');
  const cmp = report.plan.comparison;
  const before = cmp ? `; at ${cmp.label}: ${BRAG_ORDER.map((b) => `${BRAG_LABEL[b]} ${cmp.counts[b]}`).join(', ')}` : '';
  return `Bar chart of the action plan's ${report.plan.total} actions by status as at ${longDate(report.asOfDate)}: ${now}${before}.`;
}

/** A file name for the paper: group slug, meeting date, and the version when known. */
export function reportFileName(report: HighlightReportContent, ext: string, version?: number): string {
  return `${report.group.slug}-highlight-report-${report.meeting.date}${version !== undefined ? `-v${version}` : ''}.${ext}`;
}
