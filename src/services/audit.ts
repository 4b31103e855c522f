/**
 * The audit export: every StatusUpdate of a group's plan (archived actions included: the record
 * outlives the row), oldest first, as CSV or XLSX. Status updates are append-only, so this is the
 * complete history of who changed what, when, from what to what, and through which channel.
 */
import type { Db, Tx } from '../db/client.js';
import { renderAuditCsv, renderAuditXlsx, type AuditRow } from '../render/audit.js';
import type { RenderedFile } from '../render/index.js';
import { getGroupBySlug } from './groups.js';
import { decideOnGroup, required } from './access.js';

export const AUDIT_FORMATS = ['csv', 'xlsx'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export async function auditRows(db: Db | Tx, groupId: string): Promise<AuditRow[]> {
  const updates = await db.statusUpdate.findMany({
    where: { action: { groupId } },
    include: { action: { select: { ref: true, activity: true } } },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  });
  return updates.map((u) => ({
    id: u.id,
    at: u.at,
    who: u.actorName,
    actionRef: u.action.ref,
    activity: u.action.activity,
    kind: u.kind,
    channel: u.channel,
    fromBrag: u.fromBrag,
    toBrag: u.toBrag,
    note: u.note,
    evidence: u.evidence,
    fromProgress: u.fromProgress,
    toProgress: u.toProgress,
    fromDue: u.fromDueRaw,
    revisedDue: u.revisedDueRaw,
    revisedDueDate: u.revisedDueDate,
  }));
}

export interface ExportAuditRequest {
  workspaceId: string;
  groupSlug: string;
  format: AuditFormat;
  now: Date;
  /** When a person asks (not the CLI operator): their person id, checked for audit.read. */
  requesterPersonId?: string | undefined;
}

export async function exportAudit(db: Db, req: ExportAuditRequest): Promise<RenderedFile & { rows: number }> {
  const group = await getGroupBySlug(db, req.workspaceId, req.groupSlug);
  // The audit is auditors' and admins' (docs/access.md), not every member's.
  if (req.requesterPersonId !== undefined) required(await decideOnGroup(db, { workspaceId: req.workspaceId, caller: { kind: 'person', personId: req.requesterPersonId }, group: { id: group.id }, capability: 'audit.read' }));
  const rows = await auditRows(db, group.id);
  const stamp = req.now.toISOString().slice(0, 10);
  const filename = `${group.slug}-status-history-${stamp}.${req.format}`;
  if (req.format === 'csv') return { filename, mimeType: 'text/csv; charset=utf-8', body: renderAuditCsv(rows), rows: rows.length };
  return {
    filename,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: await renderAuditXlsx(rows, { groupName: group.name, exportedAt: req.now }),
    rows: rows.length,
  };
}
