/**
 * The real ReportService (src/services/report-service.ts over reports.ts), with the chat
 * summary in Slack mrkdwn, sized for one section.
 */
import type { Db } from '../../db/client.js';
import { SLACK_SECTION_TEXT_LIMIT } from '../../render/chat.js';
import { reportService, type ReportService } from '../../services/report-service.js';

export function dbReportService(db: Db): ReportService {
  return reportService(db, { flavour: 'slack-mrkdwn', maxChars: SLACK_SECTION_TEXT_LIMIT });
}
