/**
 * The audit trail of a plan as CSV or XLSX, for auditors and inspectors: every status update,
 * who made it, when, through which channel, from what to what. Pure renderers over rows the
 * service reads (src/services/audit.ts).
 */
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { BRAG_LABEL, isBrag } from '../core/brag.js';
import { renderCsv } from './csv.js';

export interface AuditRow {
  id: string;
  at: Date;
  who: string;
  actionRef: string;
  activity: string;
  kind: string;
  channel: string;
  fromBrag: string;
  toBrag: string;
  note: string | null;
  evidence: string | null;
  fromProgress: string | null;
  toProgress: string | null;
  fromDue: string | null;
  revisedDue: string | null;
  revisedDueDate: string | null;
}

export const AUDIT_COLUMNS = [
  'When (UTC)', 'When (UK time)', 'Who', 'Action ref', 'Action', 'Kind', 'Channel', 'From', 'To',
  'Note', 'Evidence', 'Progress before', 'Progress after', 'Due before', 'Revised due', 'Revised due date', 'Update id',
] as const;

const bragName = (b: string) => (isBrag(b) ? BRAG_LABEL[b] : b);
const ukTime = (at: Date) => DateTime.fromJSDate(at, { zone: 'Europe/London' }).toFormat('yyyy-MM-dd HH:mm:ss');

function cells(r: AuditRow): string[] {
  return [
    r.at.toISOString(), ukTime(r.at), r.who, r.actionRef, r.activity, r.kind, r.channel, bragName(r.fromBrag), bragName(r.toBrag),
    r.note ?? '', r.evidence ?? '', r.fromProgress ?? '', r.toProgress ?? '', r.fromDue ?? '', r.revisedDue ?? '', r.revisedDueDate ?? '', r.id,
  ];
}

/** The XLSX has no CSV-injection risk (cells are typed as text) and keeps every value exactly as recorded. */
export function renderAuditCsv(rows: AuditRow[]): string {
  return renderCsv([[...AUDIT_COLUMNS], ...rows.map(cells)], { windows: true });
}

export async function renderAuditXlsx(rows: AuditRow[], meta: { groupName: string; exportedAt: Date }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'bragbot';
  wb.created = meta.exportedAt;
  wb.title = `${meta.groupName}: status history`;
  const ws = wb.addWorksheet('Status history', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = AUDIT_COLUMNS.map((header) => ({
    header,
    width: header === 'Action' || header.startsWith('Note') || header.startsWith('Progress') || header === 'Evidence' ? 45 : header.startsWith('When') ? 21 : 16,
  }));
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
