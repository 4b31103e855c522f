/**
 * Highlight reports, stored and versioned. This is what the Slack and Teams adapters and the CLI
 * call: load the inputs, assemble (pure, src/core/report), store a version, render.
 *
 * Versions, per group and meeting date:
 *  - generating stores version n+1 as a draft, with who asked, when, and a fingerprint of the paper (reportContentHash; the column keeps its old name, inputsHash);
 *    earlier drafts become 'superseded' (kept, never deleted);
 *  - the plan status is as at the meeting's cut-off (reportPlanInstant), rebuilt from the history,
 *    so the paper for a past meeting says the same whenever it is generated;
 *  - generating again when the paper would be the same as the latest version's (same content
 *    fingerprint) reuses that version instead of storing an identical one (outcome 'reused'):
 *    a click or a re-import after a published meeting's cut-off does not pile a version over it;
 *  - publishing freezes a draft: its content is never written again. A late reply or status change
 *    after publication makes a NEW draft version on the next generate; the published one stays as
 *    it was circulated. Regenerating a published version itself raises REPORT_FROZEN.
 */
import { BragbotError } from '../core/errors.js';
import type { Brag } from '../core/brag.js';
import type { DueKind } from '../core/due-date.js';
import { assembleReport } from '../core/report/assemble.js';
import { londonDate, longDate, longDateTime } from '../core/report/dates.js';
import { reportContentHash } from '../core/report/inputs-hash.js';
import { calendarFor } from '../core/calendar.js';
import { isBaseline } from '../core/history.js';
import { defaultMeeting, meetingCutOff } from '../core/meetings.js';
import { reportSettingsFrom } from '../core/report/settings.js';
import { parseGroupSettings } from '../core/settings.js';
import type { AskedPerson, HighlightReportContent, ReportInputs } from '../core/report/types.js';
import type { Db, Tx } from '../db/client.js';
import { renderChatSummary, type ChatSummaryOptions } from '../render/chat.js';
import { reportFileName } from '../render/common.js';
import { renderCoverNote } from '../render/cover-note.js';
import { MIME_TYPES, renderReportContent, type RenderedFile, type ReportFormat } from '../render/index.js';
import { decideOnGroup, required } from './access.js';
import { recordGroupAudit, type AuditActor, type AuditChannel } from './audit.js';
import { getGroupBySlug } from './groups.js';
import { requireMeetingOn } from './meetings.js';
import { findPerson } from './people.js';
import { firstImports, reconstruct } from './plan-as-of.js';
import { isUniqueViolation } from '../db/errors.js';

export type ReportStatus = 'draft' | 'published' | 'superseded';

export interface StoredReport {
  id: string;
  groupId: string;
  meetingId: string | null;
  meetingDate: string;
  version: number;
  status: ReportStatus;
  requestedBy: string;
  requestedAt: Date;
  publishedAt: Date | null;
  publishedBy: string | null;
  inputsHash: string;
  content: HighlightReportContent;
}

export interface GenerateResult {
  report: StoredReport;
  /** 'created': a new version was stored; 'reused': the inputs were unchanged, the latest version stands. */
  outcome: 'created' | 'reused';
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function toStored(row: {
  id: string; groupId: string; meetingId: string | null; meetingDate: string; version: number; status: string;
  requestedBy: string; requestedAt: Date; publishedAt: Date | null; publishedBy: string | null; inputsHash: string; contentJson: string;
}): StoredReport {
  return {
    id: row.id,
    groupId: row.groupId,
    meetingId: row.meetingId,
    meetingDate: row.meetingDate,
    version: row.version,
    status: row.status as ReportStatus,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt,
    publishedAt: row.publishedAt,
    publishedBy: row.publishedBy,
    inputsHash: row.inputsHash,
    content: JSON.parse(row.contentJson) as HighlightReportContent,
  };
}

/**
 * Which meeting a report is for when the chair does not say: the next meeting after the clock
 * (today included), else the most recent one — cadence and recorded meetings alike, by the one
 * rule in src/core/meetings.ts (defaultMeeting) that `report`, Slack's `/highlight-report` and
 * Teams' `highlight-report` all come through here for.
 */
export async function resolveMeetingDate(db: Db | Tx, groupId: string, now: Date, meetingDate?: string): Promise<string> {
  if (meetingDate !== undefined) {
    if (!DATE.test(meetingDate)) throw new BragbotError('INPUT_INVALID', `meeting date "${meetingDate}" must be YYYY-MM-DD, e.g. 2021-01-13`);
    return meetingDate;
  }
  const group = await db.group.findUniqueOrThrow({
    where: { id: groupId },
    select: { cadence: true, cadenceAnchor: true, settingsJson: true, meetings: { select: { date: true, time: true, title: true, cancelled: true } } },
  });
  const { settings } = parseGroupSettings(group.settingsJson);
  const meeting = defaultMeeting({ cadence: group.cadence, cadenceAnchor: group.cadenceAnchor, meetings: group.meetings }, londonDate(now), calendarFor(settings.region), settings.meetingOnBankHoliday);
  if (meeting) return meeting.date;
  throw new BragbotError('NOT_FOUND', 'This group has no meetings yet: give the meeting date (YYYY-MM-DD), or add the group\'s meetings first.');
}

/**
 * The instant a meeting's paper shows the plan as at: the --as-of given, else the meeting's
 * cut-off (src/core/meetings.ts meetingCutOff; the group's reportCutOffWorkingDays), or `now`
 * while the cut-off is still to come (the paper for the next meeting shows today's plan).
 */
export function reportPlanInstant(settingsJson: string | null, meetingDate: string, now: Date, asOf?: Date): Date {
  if (asOf !== undefined) return asOf;
  const { settings } = parseGroupSettings(settingsJson);
  const cutOff = meetingCutOff(meetingDate, calendarFor(settings.region), settings.reportCutOffWorkingDays);
  return cutOff < now ? cutOff : now;
}

/** Everything a report is assembled from, read in one place; `planAt` is the instant its plan status is as at. */
export async function loadReportInputs(db: Db | Tx, groupId: string, meetingDate: string, planAt?: Date): Promise<{ inputs: ReportInputs; meetingId: string | null }> {
  const group = await db.group.findUniqueOrThrow({ where: { id: groupId }, include: { reportsTo: { select: { name: true } } } });
  const settings = reportSettingsFrom(group.settingsJson);
  const groupSettings = parseGroupSettings(group.settingsJson).settings;
  const meeting = await db.meeting.findUnique({ where: { groupId_date: { groupId, date: meetingDate } } });
  const previousMeeting = await db.meeting.findFirst({
    where: { groupId, cancelled: false, date: { lt: meetingDate } },
    orderBy: { date: 'desc' },
    select: { date: true },
  });
  const previousReport = await db.highlightReport.findFirst({
    where: { groupId, status: 'published', meetingDate: { lt: meetingDate } },
    orderBy: [{ meetingDate: 'desc' }, { version: 'desc' }],
  });
  const sections = meeting
    ? await db.sectionUpdate.findMany({
      where: { thread: { meetingId: meeting.id } },
      include: { person: { select: { team: true } } },
      orderBy: [{ postedAt: 'asc' }, { id: 'asc' }],
    })
    : [];
  const actions = await db.action.findMany({
    where: { groupId },
    include: { owners: { include: { person: { select: { id: true, name: true, team: true, slackUserId: true, teamsUserId: true } } } }, objective: { select: { title: true } } },
    orderBy: [{ position: 'asc' }, { id: 'asc' }],
  });
  const updates = await db.statusUpdate.findMany({ where: { action: { groupId } }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  const firstUpdate = new Map<string, Date>();
  for (const u of updates) if (!firstUpdate.has(u.actionId)) firstUpdate.set(u.actionId, u.at);
  const firstImportAt = (await firstImports(db, [groupId])).get(groupId) ?? null;
  // Open at the paper's instant (rebuilt from the history), not now: a later click must not change who was asked.
  const openAt = planAt === undefined
    ? new Set(actions.filter((a) => a.archivedAt === null && a.brag !== 'blue').map((a) => a.id))
    : new Set(reconstruct(actions, historyByActionId(updates), firstImportAt ? new Map([[groupId, firstImportAt]]) : new Map(), planAt).filter((a) => a.brag !== 'blue').map((a) => a.id));

  // Asked for an update: the group's members, and the owners of every open action. Only people
  // with a Slack or Teams id can be asked in chat; the rest are listed apart for the chair.
  const members = await db.groupMember.findMany({
    where: { groupId, role: 'member' },
    include: { person: { select: { id: true, name: true, team: true, slackUserId: true, teamsUserId: true } } },
  });
  const asked = new Map<string, AskedPerson>();
  const askedPerson = (p: { id: string; name: string; team: string | null; slackUserId: string | null; teamsUserId: string | null }): AskedPerson =>
    ({ personId: p.id, name: p.name, team: p.team, reachable: Boolean(p.slackUserId || p.teamsUserId) });
  for (const m of members) asked.set(m.person.id, askedPerson(m.person));
  for (const a of actions) {
    if (!openAt.has(a.id)) continue;
    for (const o of a.owners) asked.set(o.person.id, askedPerson(o.person));
  }
  const signOff = await signOffFor(db, group.workspaceId, groupId, settings.signOff);
  const chairs = await db.groupMember.findMany({ where: { groupId, role: 'chair' }, select: { personId: true } });
  const convenorPersonIds = [...new Set([...chairs.map((c) => c.personId), ...(signOff?.personId ? [signOff.personId] : [])])].sort();

  return {
    meetingId: meeting?.id ?? null,
    inputs: {
      group: { slug: group.slug, name: group.name, reportsToName: group.reportsTo?.name ?? null },
      region: parseGroupSettings(group.settingsJson).settings.region,
      meeting: { date: meetingDate, title: meeting?.title ?? null },
      previousMeetingDate: previousMeeting?.date ?? null,
      cutOffWorkingDays: groupSettings.reportCutOffWorkingDays,
      previousReport: previousReport
        ? { version: previousReport.version, meetingDate: previousReport.meetingDate, asOf: reportAsOf(previousReport) }
        : null,
      settings: { purpose: settings.purpose, title: settings.title, sections: settings.sections, coverageLine: settings.coverageLine },
      sections: sections.map((s) => ({
        id: s.id,
        section: s.section,
        headed: s.headed,
        authorName: s.authorName,
        personId: s.personId,
        authorTeam: s.person?.team ?? null,
        text: s.text,
        postedAt: s.postedAt,
        editedAt: s.editedAt,
        deletedAt: s.deletedAt,
      })),
      actions: actions.map((a) => {
        const first = firstUpdate.get(a.id);
        return {
          id: a.id,
          ref: a.ref,
          position: a.position,
          activity: a.activity,
          objective: a.objective?.title ?? null,
          progress: a.progress,
          brag: a.brag as Brag,
          dueKind: a.dueKind as DueKind,
          dueDate: a.dueDate,
          dueRaw: a.dueRaw,
          leadAgency: a.leadAgency,
          leadOfficer: a.leadOfficer,
          ownerNames: a.owners.map((o) => o.person.name).sort((x, y) => x.localeCompare(y)),
          firstSeenAt: first && first < a.createdAt ? first : a.createdAt,
          baseline: isBaseline(a.createdAt, firstImportAt),
          archivedAt: a.archivedAt,
        };
      }),
      updates: updates.map((u) => ({
        actionId: u.actionId,
        at: u.at,
        actorName: u.actorName,
        kind: u.kind,
        channel: u.channel,
        fromBrag: u.fromBrag as Brag,
        toBrag: u.toBrag as Brag,
        fromProgress: u.fromProgress,
        toProgress: u.toProgress,
        note: u.note,
        fromDueRaw: u.fromDueRaw,
        revisedDueRaw: u.revisedDueRaw,
        revisedDueDate: u.revisedDueDate,
      })),
      asked: [...asked.values()],
      signOff: signOff ? { name: signOff.name, role: signOff.role } : null,
      convenorPersonIds,
    },
  };
}

/** The instant a stored report describes (its assembly clock), for "changes since the last report". */
function reportAsOf(row: { contentJson: string; requestedAt: Date }): Date {
  try {
    const asOf = (JSON.parse(row.contentJson) as { asOf?: unknown }).asOf;
    if (typeof asOf === 'string' && !Number.isNaN(Date.parse(asOf))) return new Date(asOf);
  } catch {
    // fall through: an unreadable row still has the time it was asked for
  }
  return row.requestedAt;
}

/** The convening manager: the person the group's settings name, else its chair. */
async function signOffFor(db: Db | Tx, workspaceId: string, groupId: string, configured: string | undefined) {
  if (configured) {
    const person = await findPerson(db, workspaceId, configured);
    if (person) return { personId: person.id, name: person.name, role: person.role };
  }
  const chair = await db.groupMember.findFirst({
    where: { groupId, role: 'chair' },
    include: { person: { select: { id: true, name: true, role: true } } },
    orderBy: { person: { name: 'asc' } },
  });
  return chair ? { personId: chair.person.id, name: chair.person.name, role: chair.person.role } : null;
}

function historyByActionId<T extends { actionId: string }>(rows: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const list = map.get(r.actionId);
    if (list) list.push(r);
    else map.set(r.actionId, [r]);
  }
  return map;
}

/** The stored version's fingerprint, computed again from its content (rows stored before v2 hashed their inputs). */
function storedContentHash(row: { contentJson: string }): string | null {
  try {
    return reportContentHash(JSON.parse(row.contentJson));
  } catch {
    return null;
  }
}

/**
 * Generates (or reuses) the report for a group's meeting. See the file comment for the
 * version rules. `requestedBy` is who asked, as it should appear in the record (a name or id).
 * `asOf`: the plan status as at this instant instead of the meeting's cut-off (reportPlanInstant).
 */
export async function generate(db: Db, groupId: string, meetingDate: string, requestedBy: string, now: Date, asOf?: Date, by?: AuditActor): Promise<GenerateResult> {
  if (!DATE.test(meetingDate)) throw new BragbotError('INPUT_INVALID', `meeting date "${meetingDate}" must be YYYY-MM-DD, e.g. 2021-01-13`);
  const group = await db.group.findUniqueOrThrow({ where: { id: groupId }, select: { settingsJson: true } });
  const planAt = reportPlanInstant(group.settingsJson, meetingDate, now, asOf);
  const { inputs, meetingId } = await loadReportInputs(db, groupId, meetingDate, planAt);
  // The update thread is read up to now (replies posted at the meeting belong in its paper); with --as-of, up to then.
  const content = assembleReport(inputs, planAt, asOf ?? now);
  const inputsHash = reportContentHash(content);

  // Two chairs clicking at once race for the same version number; the unique key keeps one.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const latest = await db.highlightReport.findFirst({ where: { groupId, meetingDate }, orderBy: { version: 'desc' } });
    // The same paper as the latest version (published or draft) is that version: no new one over it.
    if (latest && latest.status !== 'superseded' && (latest.inputsHash === inputsHash || storedContentHash(latest) === inputsHash)) {
      return { report: toStored(latest), outcome: 'reused' };
    }
    const version = (latest?.version ?? 0) + 1;
    try {
      const row = await db.$transaction(async (tx) => {
        const created = await tx.highlightReport.create({
          data: {
            groupId,
            meetingId,
            meetingDate,
            version,
            status: 'draft',
            requestedBy,
            requestedAt: now,
            inputsHash,
            contentJson: JSON.stringify(content),
          },
        });
        // Only drafts are ever superseded: a published version keeps its status and content.
        await tx.highlightReport.updateMany({ where: { groupId, meetingDate, status: 'draft', version: { lt: version } }, data: { status: 'superseded' } });
        // One INSERT in this transaction (its workspace read by the statement itself).
        await recordGroupAudit(tx, groupId, {
          at: now, kind: 'report-generated', by: by ?? { personId: null, name: requestedBy, channel: 'cli' }, to: `version ${version}`,
          summary: `Highlight report for ${meetingDate} stored as version ${version} (draft)`,
        });
        return created;
      });
      return { report: toStored(row), outcome: 'created' };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  }
  throw new BragbotError('CONFLICT', 'Several reports for this meeting were being generated at once: try again.');
}

export interface GenerateReportRequest {
  workspaceId: string;
  groupSlug: string;
  /** 'YYYY-MM-DD'; default: the next meeting (today included), else the latest. */
  meetingDate?: string | undefined;
  /** Who asked, as recorded on the version (a person's name, or "cli:<user>"). */
  requestedBy: string;
  /** When a chat user asks: their person id, checked against the group's membership. */
  requesterPersonId?: string | undefined;
  /** Where the request came from (the audit's channel); default the CLI. */
  channel?: AuditChannel | undefined;
  now: Date;
  /** The plan status as at this instant (`report --as-of`); default the meeting's cut-off. */
  asOf?: Date | undefined;
}

/**
 * For the adapters and the CLI: by workspace and group slug, access checked first when a person
 * asks (a group they may not see is "not found", and only their own groups are named). A date
 * given with no meeting of the group on it stores nothing: the answer names its meetings.
 */
export async function generateReport(db: Db, req: GenerateReportRequest): Promise<GenerateResult> {
  const group = req.requesterPersonId !== undefined
    ? required(await decideOnGroup(db, { workspaceId: req.workspaceId, caller: { kind: 'person', personId: req.requesterPersonId }, group: { slug: req.groupSlug }, capability: 'report.generate' })).group
    : await getGroupBySlug(db, req.workspaceId, req.groupSlug);
  const meetingDate = await resolveMeetingDate(db, group.id, req.now, req.meetingDate);
  if (req.meetingDate !== undefined) await requireMeetingOn(db, group.id, meetingDate);
  return generate(db, group.id, meetingDate, req.requestedBy, req.now, req.asOf, { personId: req.requesterPersonId ?? null, name: req.requestedBy, channel: req.channel ?? 'cli' });
}

/**
 * Reports carry what leads wrote, so access follows group membership (src/services/access.ts):
 * members, the board's viewers and auditors may read; chairs, managers and admins may publish.
 */
export async function authorizeReportAccess(db: Db | Tx, workspaceId: string, groupId: string, personId: string, need: 'read' | 'publish'): Promise<void> {
  required(await decideOnGroup(db, { workspaceId, caller: { kind: 'person', personId }, group: { id: groupId }, capability: need === 'read' ? 'report.read' : 'report.publish' }));
}

/** Regenerates a given version: a draft gives way to a new version; a published one is frozen. */
export async function regenerate(db: Db, reportId: string, requestedBy: string, now: Date): Promise<GenerateResult> {
  const row = await db.highlightReport.findUnique({ where: { id: reportId } });
  if (!row) throw new BragbotError('NOT_FOUND', 'No such highlight report.');
  assertNotFrozen(toStored(row));
  return generate(db, row.groupId, row.meetingDate, requestedBy, now);
}

export function assertNotFrozen(report: Pick<StoredReport, 'status' | 'version' | 'meetingDate' | 'publishedAt' | 'publishedBy'>): void {
  if (report.status === 'published') {
    throw new BragbotError(
      'REPORT_FROZEN',
      `Version ${report.version} of the report for ${longDate(report.meetingDate)} was published${report.publishedAt ? ` on ${longDateTime(report.publishedAt.toISOString())}` : ''}${report.publishedBy ? ` by ${report.publishedBy}` : ''} and cannot change. Generate the report again to make a new version.`,
    );
  }
}

/** Freezes a draft. Publishing the published version again changes nothing. */
export async function publish(db: Db, reportId: string, by: string, now: Date, actor?: AuditActor): Promise<StoredReport> {
  const row = await db.highlightReport.findUnique({ where: { id: reportId } });
  if (!row) throw new BragbotError('NOT_FOUND', 'No such highlight report.');
  if (row.status === 'published') return toStored(row);
  if (row.status === 'superseded') {
    const latest = await db.highlightReport.findFirst({ where: { groupId: row.groupId, meetingDate: row.meetingDate }, orderBy: { version: 'desc' } });
    throw new BragbotError('CONFLICT', `Version ${row.version} was replaced by version ${latest?.version ?? '?'}: publish that one (or generate again).`);
  }
  // Conditional on still being a draft: two publishes at once freeze it once, and audit it once.
  await db.$transaction(async (tx) => {
    const frozen = await tx.highlightReport.updateMany({ where: { id: reportId, status: 'draft' }, data: { status: 'published', publishedAt: now, publishedBy: by } });
    if (frozen.count === 1) {
      await recordGroupAudit(tx, row.groupId, {
        at: now, kind: 'report-published', by: actor ?? { personId: null, name: by, channel: 'cli' }, from: 'draft', to: 'published',
        summary: `Highlight report for ${row.meetingDate}, version ${row.version}, published`,
      });
    }
  });
  return toStored(await db.highlightReport.findUniqueOrThrow({ where: { id: reportId } }));
}

export interface PublishReportRequest {
  workspaceId: string;
  reportId: string;
  by: string;
  byPersonId?: string | undefined;
  now: Date;
  /** Where the Publish came from (the audit's channel). */
  channel?: AuditChannel | undefined;
}

/** For the adapters: the report must belong to the workspace, and the person may publish. */
export async function publishReport(db: Db, req: PublishReportRequest): Promise<StoredReport> {
  const row = await db.highlightReport.findFirst({ where: { id: req.reportId, group: { workspaceId: req.workspaceId } }, select: { groupId: true } });
  if (!row) throw new BragbotError('NOT_FOUND', 'No such highlight report in this workspace.');
  if (req.byPersonId !== undefined) await authorizeReportAccess(db, req.workspaceId, row.groupId, req.byPersonId, 'publish');
  return publish(db, req.reportId, req.by, req.now, { personId: req.byPersonId ?? null, name: req.by, channel: req.channel ?? 'system' });
}

/** A stored version, scoped to the workspace (ids come from chat payloads). */
export async function getReport(db: Db | Tx, workspaceId: string, reportId: string): Promise<StoredReport> {
  const row = await db.highlightReport.findFirst({ where: { id: reportId, group: { workspaceId } } });
  if (!row) throw new BragbotError('NOT_FOUND', 'No such highlight report in this workspace.');
  return toStored(row);
}

/** Every version for a group (newest first), optionally for one meeting. */
export async function listReports(db: Db | Tx, groupId: string, meetingDate?: string): Promise<StoredReport[]> {
  const rows = await db.highlightReport.findMany({
    where: { groupId, ...(meetingDate ? { meetingDate } : {}) },
    orderBy: [{ meetingDate: 'desc' }, { version: 'desc' }],
  });
  return rows.map(toStored);
}

/** The paper in a format, with its file name and MIME type; the version is in the file name. */
export async function renderReport(report: StoredReport | HighlightReportContent, format: ReportFormat): Promise<RenderedFile> {
  if ('content' in report) return renderReportContent(report.content, format, { version: report.version });
  return renderReportContent(report, format);
}

/** The chair's cover note (Markdown): who replied, who did not, who could not be asked. Never part of the paper. */
export function reportCoverNote(report: StoredReport): RenderedFile {
  return {
    filename: reportFileName(report.content, 'md', report.version).replace('-highlight-report-', '-cover-note-'),
    mimeType: MIME_TYPES.md,
    body: renderCoverNote(report.content, { version: report.version, status: report.status }),
  };
}

/** The chat message text: a summary within `maxChars`, pointing at the attached paper. */
export function reportChatSummary(report: StoredReport, options: Omit<ChatSummaryOptions, 'version' | 'status'>): string {
  return renderChatSummary(report.content, { ...options, version: report.version, status: report.status });
}
