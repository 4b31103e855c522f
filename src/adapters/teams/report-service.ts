/**
 * What `highlight-report` needs from the report side, as a seam: handlers code against this
 * interface, tests may inject a fake, and `dbReportService` wires the real one
 * (src/services/reports.ts). Every call is scoped to the workspace and checks the person.
 */
import type { Db } from '../../db/client.js';
import { TEAMS_CARD_TEXT_LIMIT } from '../../render/chat.js';
import * as reportsModule from '../../services/reports.js';
import type { StoredReport } from '../../services/reports.js';

/** What `bragbot serve` may pass instead of a service: the reports module's functions. */
export type ReportsModule = Pick<typeof reportsModule, 'generateReport' | 'publishReport' | 'reportChatSummary'>;

export interface ReportPreview {
  reportId: string;
  groupSlug: string;
  meetingDate: string;
  version: number;
  /** draft | published | superseded */
  status: string;
  /** The chat summary in Markdown (what a TextBlock renders), bounded for a card. */
  summary: string;
}

export interface TeamsReportService {
  /** Generates (or reuses) the report for a group's meeting; refuses people who may not read it. */
  generate(req: { workspaceId: string; groupSlug: string; meetingDate?: string | undefined; requestedBy: string; requesterPersonId: string; now: Date }): Promise<ReportPreview>;
  /** Freezes a version (idempotent); refuses people who may not publish. */
  publish(req: { workspaceId: string; reportId: string; groupSlug: string; by: string; byPersonId: string; now: Date }): Promise<ReportPreview>;
}

function preview(m: ReportsModule, report: StoredReport, groupSlug: string): ReportPreview {
  return {
    reportId: report.id,
    groupSlug,
    meetingDate: report.meetingDate,
    version: report.version,
    status: report.status,
    summary: m.reportChatSummary(report, { flavour: 'markdown', maxChars: TEAMS_CARD_TEXT_LIMIT }),
  };
}

export function dbReportService(db: Db, m: ReportsModule = reportsModule): TeamsReportService {
  return {
    async generate(req) {
      const { report } = await m.generateReport(db, req);
      return preview(m, report, req.groupSlug);
    },
    async publish(req) {
      const report = await m.publishReport(db, { workspaceId: req.workspaceId, reportId: req.reportId, by: req.by, byPersonId: req.byPersonId, now: req.now });
      return preview(m, report, req.groupSlug);
    },
  };
}

/** A service as given, or one over the module / the database. */
export function reportServiceFrom(db: Db, given: TeamsReportService | ReportsModule | undefined): TeamsReportService {
  // The reports module also exports functions named generate/publish (with other signatures): tell them apart by generateReport.
  if (!given) return dbReportService(db);
  if ('generateReport' in given) return dbReportService(db, given);
  return given;
}
