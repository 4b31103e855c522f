/**
 * The audit (issue 10 pt 10): one append-only record of every change to a plan and its
 * governance, and its export for inspectors (`bragbot audit`).
 *
 * One write path. Every change writes its AuditEvent row here, in the same transaction (or the
 * same statement) as the change itself: `recordAudit` for changes made through Prisma (one raw
 * multi-row INSERT, not a Prisma query plan per row), and, for the paths that are measured —
 * a BRAG click (src/services/brag-change.ts) and an import — the same columns as SQL
 * (`AUDIT_OF_STATUS_UPDATE`, `auditStatusUpdates`), built from the schema's column list. A status
 * change's detail (from/to, note, evidence, progress, dates) stays in its StatusUpdate row; the
 * audit row points at it.
 *
 * Append-only: the migration's triggers refuse UPDATE and DELETE on AuditEvent (and TRUNCATE on
 * PostgreSQL), and the table has no foreign keys, so nothing cascades into it.
 */
import { DateTime } from 'luxon';
import { londonDate } from '../core/calendar.js';
import { BragbotError } from '../core/errors.js';
import { AUDIT_EVENT_COLUMNS, insertSelect, type AuditEvent } from '../db/columns.js';
import { Prisma, type Db, type Tx } from '../db/client.js';
import { newId } from '../db/ids.js';
// The renderers (exceljs) are loaded by the export only: every command that changes something imports this module.
import type { AuditRow } from '../render/audit.js';
import type { RenderedFile } from '../render/index.js';
import { decideOnGroup, required } from './access.js';

/** Every kind of change the audit records, and what it means (the export's `Kind` column). */
export const AUDIT_KINDS = {
  status: 'an action’s status (BRAG), progress, evidence or date updated in chat, on the web or the CLI',
  'import-change': 'a re-imported plan changed an action’s status, progress, evidence or date',
  'not-mine': 'an owner handed an action back (they no longer own it)',
  archived: 'an action left the re-imported plan: archived, its history kept',
  restored: 'an archived action came back in a re-imported plan',
  import: 'a plan file imported (what it added, changed and archived)',
  snooze: 'reminders about an action snoozed, by the person they go to',
  'owner-added': 'a person made an owner of an action',
  'owner-removed': 'a person no longer an owner of an action',
  'member-added': 'a person given a role in a group',
  'member-removed': 'a person’s role in a group taken away',
  'group-created': 'a group created',
  'group-changed': 'a group’s name, cadence or reporting line changed',
  'channel-set': 'a group’s Slack or Teams channel set',
  'settings-changed': 'a group’s planner or report settings changed',
  'meeting-added': 'a meeting added to a group’s calendar',
  'meeting-changed': 'a meeting’s title changed',
  'report-generated': 'a highlight report version stored',
  'report-published': 'a highlight report version published (frozen)',
  'person-added': 'a person added',
  'person-changed': 'a person’s name, email, team, chat accounts, line manager or admin flag changed',
  'plan-closed': 'a group’s plan closed or reopened (its retention periods run from the close)',
  'legal-hold': 'a legal hold on a group set or lifted (while set, nothing of it is purged)',
  purged: 'records deleted by the retention purge (how many, of what kind, under which rule)',
  'person-erased': 'a person who left erased: “Former officer N” from then on',
} as const;
export type AuditKind = keyof typeof AUDIT_KINDS;

export type AuditChannel = 'slack' | 'teams' | 'web' | 'cli' | 'import' | 'system';

/** Who made a change: a person (by id, with their name then), or the CLI operator / an import / the system. */
export interface AuditActor {
  personId: string | null;
  name: string;
  channel: AuditChannel;
}

/** Changes made with no one named (set-up code, the demo's seed). */
export const SYSTEM: AuditActor = { personId: null, name: 'system', channel: 'system' };

/** Who and when, as a change's caller passes it to a service. */
export interface Change {
  by: AuditActor;
  at: Date;
}

export interface AuditEntry {
  workspaceId: string;
  groupId: string | null;
  at: Date;
  kind: AuditKind;
  by: AuditActor;
  action?: { id: string; ref: string } | null | undefined;
  /** Whom the change is about, when not the actor. */
  subject?: { personId: string | null; name: string } | null | undefined;
  from?: string | null | undefined;
  to?: string | null | undefined;
  summary: string;
}

const CHUNK = 250;

function rowOf(e: AuditEntry): Record<keyof AuditEvent & string, unknown> {
  return {
    id: newId(), workspaceId: e.workspaceId, groupId: e.groupId, at: e.at, kind: e.kind, personId: e.by.personId, actorName: e.by.name, channel: e.by.channel,
    actionId: e.action?.id ?? null, actionRef: e.action?.ref ?? null, subjectPersonId: e.subject?.personId ?? null, subjectName: e.subject?.name ?? null,
    fromValue: e.from ?? null, toValue: e.to ?? null, summary: e.summary, statusUpdateId: null,
  };
}

const COLUMNS_SQL = Prisma.raw(`(${AUDIT_EVENT_COLUMNS.map((c) => `"${c}"`).join(', ')})`);

/** Writes audit rows: call it with the transaction that makes the change. One raw multi-row INSERT per 250 rows. */
export async function recordAudit(db: Db | Tx, entries: AuditEntry | readonly AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? (entries as readonly AuditEntry[]) : [entries as AuditEntry];
  for (let i = 0; i < list.length; i += CHUNK) {
    const values = list.slice(i, i + CHUNK).map((e) => {
      const row = rowOf(e);
      return Prisma.sql`(${Prisma.join(AUDIT_EVENT_COLUMNS.map((c) => row[c]))})`;
    });
    await db.$executeRaw`INSERT INTO "AuditEvent" ${COLUMNS_SQL} VALUES ${Prisma.join(values)}`;
  }
}

/**
 * An audit row about an action, its group, workspace, ref and the actor's current name read by
 * the INSERT itself (no round trip to look them up): for changes whose caller knows only ids.
 * Returned unawaited, so it can go in a batch transaction with the change.
 */
export function actionAuditStatement(db: Db | Tx, actionId: string, e: Omit<AuditEntry, 'workspaceId' | 'groupId' | 'action'>) {
  const row = rowOf({ ...e, workspaceId: '', groupId: null });
  const expr = (c: keyof AuditEvent & string) => {
    if (c === 'workspaceId') return Prisma.raw('g."workspaceId"');
    if (c === 'groupId') return Prisma.raw('a."groupId"');
    if (c === 'actionId') return Prisma.raw('a."id"');
    if (c === 'actionRef') return Prisma.raw('a."ref"');
    if (c === 'actorName') return Prisma.sql`COALESCE(p."name", ${e.by.name})`;
    return Prisma.sql`${row[c]}`;
  };
  return db.$executeRaw`INSERT INTO "AuditEvent" ${COLUMNS_SQL} SELECT ${Prisma.join(AUDIT_EVENT_COLUMNS.map(expr))}
    FROM "Action" a JOIN "Group" g ON g."id" = a."groupId" LEFT JOIN "Person" p ON p."id" = ${e.by.personId} WHERE a."id" = ${actionId}`;
}

export async function recordActionAudit(db: Db | Tx, actionId: string, e: Omit<AuditEntry, 'workspaceId' | 'groupId' | 'action'>): Promise<void> {
  await actionAuditStatement(db, actionId, e);
}

/** An audit row about a group, its workspace read by the INSERT itself (no round trip). */
export async function recordGroupAudit(db: Db | Tx, groupId: string, e: Omit<AuditEntry, 'workspaceId' | 'groupId'>): Promise<void> {
  const row = rowOf({ ...e, workspaceId: '', groupId });
  const expr = (c: keyof AuditEvent & string) => (c === 'workspaceId' ? Prisma.raw('g."workspaceId"') : Prisma.sql`${row[c]}`);
  await db.$executeRaw`INSERT INTO "AuditEvent" ${COLUMNS_SQL} SELECT ${Prisma.join(AUDIT_EVENT_COLUMNS.map(expr))} FROM "Group" g WHERE g."id" = ${groupId}`;
}

/** A StatusUpdate's kind as an audit kind. */
export const STATUS_KIND_AUDIT = { update: 'status', import: 'import-change', 'not-mine': 'not-mine' } as const satisfies Record<string, AuditKind>;

/**
 * The audit row of StatusUpdate `s` (of Action `a` in Group `g`), as `INSERT … SELECT` columns:
 * the one mapping every status change's audit row is written with (the click statement, an
 * import, a form), so they cannot drift apart. The row's id is the update's, prefixed.
 */
export function auditOfStatusUpdate(s: string, a: string, g: string): string {
  const kind = `CASE ${s}."kind" ${Object.entries(STATUS_KIND_AUDIT).map(([k, v]) => `WHEN '${k}' THEN '${v}'`).join(' ')} ELSE ${s}."kind" END`;
  const exprs: Record<keyof AuditEvent & string, string> = {
    id: `'au' || ${s}."id"`, workspaceId: `${g}."workspaceId"`, groupId: `${a}."groupId"`, at: `${s}."at"`, kind, personId: `${s}."personId"`, actorName: `${s}."actorName"`,
    channel: `${s}."channel"`, actionId: `${a}."id"`, actionRef: `${a}."ref"`, subjectPersonId: 'NULL', subjectName: 'NULL', fromValue: `${s}."fromBrag"`, toValue: `${s}."toBrag"`,
    summary: `''`, statusUpdateId: `${s}."id"`,
  };
  return `INSERT INTO "AuditEvent" ${insertSelect<AuditEvent>(AUDIT_EVENT_COLUMNS, exprs)}`;
}

const AUDIT_OF_STATUS_UPDATES = `${auditOfStatusUpdate('s', 'a', 'g')} FROM "StatusUpdate" s JOIN "Action" a ON a."id" = s."actionId" JOIN "Group" g ON g."id" = a."groupId"`;

/** The audit rows of StatusUpdates just written in this transaction (by id). */
export async function auditStatusUpdates(db: Db | Tx, statusUpdateIds: readonly string[]): Promise<void> {
  for (let i = 0; i < statusUpdateIds.length; i += CHUNK) {
    await db.$executeRaw`${Prisma.raw(AUDIT_OF_STATUS_UPDATES)} WHERE s."id" IN (${Prisma.join(statusUpdateIds.slice(i, i + CHUNK))})`;
  }
}

// ---- the export ----

export const AUDIT_FORMATS = ['csv', 'xlsx'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export interface AuditFilter {
  /** One group's plan and governance; undefined: the whole workspace (people's changes too). */
  groupId?: string | undefined;
  /** London calendar dates, inclusive: YYYY-MM-DD. */
  from?: string | undefined;
  to?: string | undefined;
  /** Changes made by this person, or about them (made an owner, given a role). */
  personId?: string | undefined;
}

const LONDON = 'Europe/London';

/** A London calendar day's first instant (UTC), after checking it is a date. */
function londonDayStart(date: string, flag: string): Date {
  const d = DateTime.fromISO(date, { zone: LONDON });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !d.isValid) throw new BragbotError('INPUT_INVALID', `${flag} "${date}": give a date as YYYY-MM-DD (a London calendar day)`);
  return d.startOf('day').toJSDate();
}

/** The instants a filter covers: [from's London midnight, the day after `to`'s London midnight). */
export function auditWindow(f: Pick<AuditFilter, 'from' | 'to'>): { gte?: Date; lt?: Date } {
  const gte = f.from !== undefined ? londonDayStart(f.from, '--from') : undefined;
  const lt = f.to !== undefined ? DateTime.fromJSDate(londonDayStart(f.to, '--to'), { zone: LONDON }).plus({ days: 1 }).toJSDate() : undefined;
  if (gte && lt && gte >= lt) throw new BragbotError('INPUT_INVALID', `--from ${f.from} is after --to ${f.to}: nothing could match`);
  return { ...(gte ? { gte } : {}), ...(lt ? { lt } : {}) };
}

export async function auditRows(db: Db | Tx, workspaceId: string, f: AuditFilter = {}): Promise<AuditRow[]> {
  const at = auditWindow(f);
  const events = await db.auditEvent.findMany({
    where: {
      workspaceId,
      ...(f.groupId !== undefined ? { groupId: f.groupId } : {}),
      ...(at.gte || at.lt ? { at } : {}),
      ...(f.personId !== undefined ? { OR: [{ personId: f.personId }, { subjectPersonId: f.personId }] } : {}),
    },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  });
  const updateIds = events.flatMap((e) => (e.statusUpdateId ? [e.statusUpdateId] : []));
  const updates = new Map<string, Awaited<ReturnType<typeof db.statusUpdate.findMany>>[number]>();
  for (let i = 0; i < updateIds.length; i += 1000) {
    for (const u of await db.statusUpdate.findMany({ where: { id: { in: updateIds.slice(i, i + 1000) } } })) updates.set(u.id, u);
  }
  const actionIds = [...new Set(events.flatMap((e) => (e.actionId ? [e.actionId] : [])))];
  const activities = new Map<string, string>();
  for (let i = 0; i < actionIds.length; i += 1000) {
    for (const a of await db.action.findMany({ where: { id: { in: actionIds.slice(i, i + 1000) } }, select: { id: true, activity: true } })) activities.set(a.id, a.activity);
  }
  return events.map((e) => {
    const u = e.statusUpdateId ? updates.get(e.statusUpdateId) : undefined;
    return {
      id: e.id,
      at: e.at,
      kind: e.kind,
      who: e.actorName,
      channel: e.channel,
      route: u?.route ?? null,
      actionRef: e.actionRef ?? '',
      activity: e.actionId ? (activities.get(e.actionId) ?? '') : '',
      about: e.subjectName ?? '',
      summary: e.summary,
      fromValue: e.fromValue,
      toValue: e.toValue,
      brag: u !== undefined,
      note: u?.note ?? null,
      evidence: u?.evidence ?? null,
      fromProgress: u?.fromProgress ?? null,
      toProgress: u?.toProgress ?? null,
      fromDue: u?.fromDueRaw ?? null,
      revisedDue: u?.revisedDueRaw ?? null,
      revisedDueDate: u?.revisedDueDate ?? null,
    };
  });
}

export interface ExportAuditRequest extends Omit<AuditFilter, 'groupId'> {
  workspaceId: string;
  /** One group; undefined: the whole workspace (the CLI operator only). */
  groupSlug?: string | undefined;
  format: AuditFormat;
  now: Date;
  /** When a person asks (not the CLI operator): their person id, checked for audit.read. */
  requesterPersonId?: string | undefined;
}

export async function exportAudit(db: Db, req: ExportAuditRequest): Promise<RenderedFile & { rows: number }> {
  const group = req.groupSlug !== undefined ? await getGroup(db, req.workspaceId, req.groupSlug) : null;
  // The audit is auditors' and admins' (docs/access.md), not every member's; the whole workspace's is the operator's.
  if (req.requesterPersonId !== undefined) {
    if (!group) throw new BragbotError('FORBIDDEN', 'The whole workspace’s audit is exported from the command line; ask for one group’s.');
    required(await decideOnGroup(db, { workspaceId: req.workspaceId, caller: { kind: 'person', personId: req.requesterPersonId }, group: { id: group.id }, capability: 'audit.read' }));
  }
  const rows = await auditRows(db, req.workspaceId, { groupId: group?.id, from: req.from, to: req.to, personId: req.personId });
  const stamp = londonDate(req.now);
  const filename = `${group?.slug ?? 'workspace'}-audit-${stamp}.${req.format}`;
  const { renderAuditCsv, renderAuditXlsx } = await import('../render/audit.js');
  if (req.format === 'csv') return { filename, mimeType: 'text/csv; charset=utf-8', body: renderAuditCsv(rows), rows: rows.length };
  return {
    filename,
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: await renderAuditXlsx(rows, { title: group?.name ?? 'All groups', exportedAt: req.now }),
    rows: rows.length,
  };
}

async function getGroup(db: Db, workspaceId: string, slug: string) {
  // Not groups.ts's getGroupBySlug: groups.ts writes audit rows through this module.
  const group = await db.group.findUnique({ where: { workspaceId_slug: { workspaceId, slug } }, select: { id: true, slug: true, name: true } });
  if (!group) {
    const known = await db.group.findMany({ where: { workspaceId }, select: { slug: true }, orderBy: { slug: 'asc' } });
    throw new BragbotError('NOT_FOUND', `no group "${slug}" (groups: ${known.length ? known.map((g) => g.slug).join(', ') : 'none yet'})`);
  }
  return group;
}
