/**
 * The audit of a plan and its governance as CSV or XLSX, for auditors and inspectors: every
 * change (a `Kind` column: src/services/audit.ts AUDIT_KINDS), who made it, when, through which
 * channel, about what and whom, from what to what. Pure renderers over rows the service reads.
 */
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { BRAG_LABEL, isBrag } from '../core/brag.js';
import { renderCsv } from './csv.js';

export interface AuditRow {
  id: string;
  at: Date;
  kind: string;
  who: string;
  channel: string;
  /** A status change made through a message's link: the route that carried the message (email). */
  route: string | null;
  actionRef: string;
  activity: string;
  /** Whom the change is about, when not the actor. */
  about: string;
  summary: string;
  fromValue: string | null;
  toValue: string | null;
  /** A status change (from/to are BRAG values; the detail columns are its StatusUpdate's). */
  brag: boolean;
  note: string | null;
  evidence: string | null;
  fromProgress: string | null;
  toProgress: string | null;
  fromDue: string | null;
  revisedDue: string | null;
  revisedDueDate: string | null;
}

export const AUDIT_COLUMNS = [
  'When (UTC)', 'When (UK time)', 'Kind', 'Who', 'Channel', 'Route', 'Action ref', 'Action', 'About', 'What changed', 'From', 'To',
  'Note', 'Evidence', 'Progress before', 'Progress after', 'Due before', 'Revised due', 'Revised due date', 'Record id',
] as const;

const bragName = (b: string | null) => (b === null ? '' : isBrag(b) ? BRAG_LABEL[b] : b);
const ukTime = (at: Date) => DateTime.fromJSDate(at, { zone: 'Europe/London' }).toFormat('yyyy-MM-dd HH:mm:ss');

/** A status change in words: what of status, progress, evidence, date and note it carried. */
function statusSummary(r: AuditRow): string {
  const parts = [
    r.fromValue !== r.toValue ? `status ${bragName(r.fromValue)} to ${bragName(r.toValue)}` : '',
    r.toProgress !== null ? 'progress' : '',
    r.evidence !== null ? 'evidence' : '',
    r.revisedDue !== null ? `due date ${r.fromDue ?? ''} to ${r.revisedDue}`.replace('  ', ' ') : '',
    r.note !== null ? 'a note' : '',
  ].filter(Boolean);
  if (r.kind === 'not-mine') return `handed the action back${r.note !== null ? ' with a note' : ''}`;
  return parts.length ? `${r.kind === 'import-change' ? 'Import changed' : 'Updated'} ${parts.join(', ')}` : 'Recorded with no change';
}

function cells(r: AuditRow): string[] {
  return [
    r.at.toISOString(), ukTime(r.at), r.kind, r.who, r.channel, r.route ?? '', r.actionRef, r.activity, r.about, r.brag ? statusSummary(r) : r.summary,
    r.brag ? bragName(r.fromValue) : (r.fromValue ?? ''), r.brag ? bragName(r.toValue) : (r.toValue ?? ''),
    r.note ?? '', r.evidence ?? '', r.fromProgress ?? '', r.toProgress ?? '', r.fromDue ?? '', r.revisedDue ?? '', r.revisedDueDate ?? '', r.id,
  ];
}

/** CSV cells that a spreadsheet would run as a formula are defused (src/render/csv.ts); the XLSX keeps them as typed text. */
export function renderAuditCsv(rows: AuditRow[]): string {
  return renderCsv([[...AUDIT_COLUMNS], ...rows.map(cells)], { windows: true });
}

export async function renderAuditXlsx(rows: AuditRow[], meta: { title: string; exportedAt: Date }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'bragbot';
  wb.created = meta.exportedAt;
  wb.title = `${meta.title}: audit`;
  const ws = wb.addWorksheet('Audit', { views: [{ state: 'frozen', ySplit: 1 }] });
  const wide = new Set<string>(['Action', 'What changed', 'Note', 'Evidence', 'Progress before', 'Progress after']);
  ws.columns = AUDIT_COLUMNS.map((header) => ({ header, width: wide.has(header) ? 45 : header.startsWith('When') ? 21 : 16 }));
  for (const r of rows) {
    const values = cells(r);
    const row = ws.addRow([r.at, ...values.slice(1)]);
    row.getCell(1).numFmt = 'yyyy-mm-dd hh:mm:ss "UTC"';
    // Strings are written as string cells: "=SUM(…)" typed in a note stays text, never a formula.
    row.alignment = { wrapText: true, vertical: 'top' };
  }
  ws.getRow(1).font = { bold: true };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: AUDIT_COLUMNS.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
