/**
 * The real ReportService: src/services/reports.ts (versions, publish freezes, renderings) behind
 * the adapter's seam. Access rules are the report service's own: members may read and generate,
 * chairs, managers and admins may publish.
 */
import type { Db } from '../../db/client.js';
import { SLACK_SECTION_TEXT_LIMIT } from '../../render/chat.js';
import { authorizeReportAccess, generateReport, getReport, publishReport, renderReport, reportChatSummary, type StoredReport } from '../../services/reports.js';
import type { ReportPreview, ReportService } from './report-service.js';

function preview(report: StoredReport): ReportPreview {
  return {
    reportId: report.id,
    groupSlug: report.content.group.slug,
    meetingDate: report.meetingDate,
    version: report.version,
    status: report.status,
    summary: reportChatSummary(report, { flavour: 'slack-mrkdwn', maxChars: SLACK_SECTION_TEXT_LIMIT }),
  };
}

export function dbReportService(db: Db): ReportService {
  return {
    async generate(req) {
      const { report } = await generateReport(db, {
        workspaceId: req.workspaceId, groupSlug: req.groupSlug, meetingDate: req.meetingDate, requestedBy: req.requestedBy, requesterPersonId: req.requesterPersonId, now: req.now,
      });
      return preview(report);
    },
    async render(req) {
      const report = await getReport(db, req.workspaceId, req.reportId);
      await authorizeReportAccess(db, req.workspaceId, report.groupId, req.personId, 'read');
      return renderReport(report, req.format);
    },
    async publish(req) {
      return preview(await publishReport(db, { workspaceId: req.workspaceId, reportId: req.reportId, by: req.by, byPersonId: req.byPersonId, now: req.now }));
    },
  };
}
