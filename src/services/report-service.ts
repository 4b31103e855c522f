/**
 * The highlight report as the chat adapters need it, as a seam: handlers code against
 * `ReportService`, tests inject fakes, and `reportService` wires the real one over reports.ts
 * (versions, publish freezes, renderings). Every call is scoped to the workspace and checks
 * the person: members may read and generate; chairs, managers and admins may publish.
 */
import type { Db } from '../db/client.js';
import { decideOnGroup } from './access.js';
import type { ChatSummaryOptions } from '../render/chat.js';
import * as reportsModule from './reports.js';
import type { StoredReport } from './reports.js';

export type ReportFileFormat = 'docx' | 'pdf';

export interface ReportPreview {
  reportId: string;
  groupSlug: string;
  meetingDate: string;
  version: number;
  /** draft | published | superseded */
  status: string;
  /** The chat summary in the adapter's flavour (Slack mrkdwn, Teams Markdown), within its limit. */
  summary: string;
  /** May the person it was made for publish it? A Publish button is shown only then. */
  canPublish?: boolean | undefined;
}

export interface ReportFileOut {
  body: Buffer | string;
  filename: string;
  mimeType: string;
}

export interface GeneratePreviewRequest {
  workspaceId: string;
  groupSlug: string;
  meetingDate?: string | undefined;
  requestedBy: string;
  requesterPersonId: string;
  now: Date;
}

export interface PublishPreviewRequest {
  workspaceId: string;
  reportId: string;
  by: string;
  byPersonId: string;
  now: Date;
}

export interface ReportService {
  /** Generates (or reuses) the report for a group's meeting; refuses people who may not read it. */
  generate(req: GeneratePreviewRequest): Promise<ReportPreview>;
  /** A stored version as a file; refuses people who may not read it. */
  render(req: { workspaceId: string; reportId: string; format: ReportFileFormat; personId: string }): Promise<ReportFileOut>;
  /** Freezes a version (idempotent) and returns it, with the summary to post; refuses people who may not publish. */
  publish(req: PublishPreviewRequest): Promise<ReportPreview>;
  /** A stored version's preview again (after a refused Publish, so the preview is not lost); refuses people who may not read it. */
  previewOf(req: { workspaceId: string; reportId: string; personId: string }): Promise<ReportPreview>;
}

/** The reports module's functions the service uses (`bragbot serve` may pass the module itself). */
export type ReportsModule = Pick<typeof reportsModule, 'generateReport' | 'publishReport' | 'getReport' | 'authorizeReportAccess' | 'renderReport' | 'reportChatSummary'>;

/** The real service; `summary` is the adapter's chat flavour and length limit. */
export function reportService(db: Db, summary: Pick<ChatSummaryOptions, 'flavour' | 'maxChars'>, m: ReportsModule = reportsModule): ReportService {
  const preview = async (report: StoredReport, workspaceId: string, personId: string | undefined): Promise<ReportPreview> => ({
    reportId: report.id,
    groupSlug: report.content.group.slug,
    meetingDate: report.meetingDate,
    version: report.version,
    status: report.status,
    summary: m.reportChatSummary(report, summary),
    canPublish: personId !== undefined
      && (await decideOnGroup(db, { workspaceId, caller: { kind: 'person', personId }, group: { id: report.groupId }, capability: 'report.publish' })).allowed,
  });
  return {
    async generate(req) {
      const { report } = await m.generateReport(db, {
        workspaceId: req.workspaceId, groupSlug: req.groupSlug, meetingDate: req.meetingDate, requestedBy: req.requestedBy, requesterPersonId: req.requesterPersonId, now: req.now,
      });
      return preview(report, req.workspaceId, req.requesterPersonId);
    },
    async previewOf(req) {
      const report = await m.getReport(db, req.workspaceId, req.reportId);
      await m.authorizeReportAccess(db, req.workspaceId, report.groupId, req.personId, 'read');
      return preview(report, req.workspaceId, req.personId);
    },
    async render(req) {
      const report = await m.getReport(db, req.workspaceId, req.reportId);
      await m.authorizeReportAccess(db, req.workspaceId, report.groupId, req.personId, 'read');
      return m.renderReport(report, req.format);
    },
    async publish(req) {
      return preview(await m.publishReport(db, { workspaceId: req.workspaceId, reportId: req.reportId, by: req.by, byPersonId: req.byPersonId, now: req.now }), req.workspaceId, req.byPersonId);
    },
  };
}
