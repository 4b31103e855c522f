/**
 * What `highlight-report` needs from the report side: the neutral seam in
 * src/services/report-service.ts (shared with Slack), without file downloads. Handlers code
 * against `TeamsReportService`, tests may inject a fake, and `dbReportService` wires the real
 * one with the summary in Markdown, bounded for a card.
 */
import type { Db } from '../../db/client.js';
import { TEAMS_CARD_TEXT_LIMIT } from '../../render/chat.js';
import { reportService, type ReportService, type ReportsModule } from '../../services/report-service.js';

export type { PublishOutcome, ReportPreview, ReportsModule } from '../../services/report-service.js';

export type TeamsReportService = Pick<ReportService, 'generate' | 'previewOf' | 'publish'>;

export function dbReportService(db: Db, m?: ReportsModule): TeamsReportService {
  return reportService(db, { flavour: 'markdown', maxChars: TEAMS_CARD_TEXT_LIMIT }, m);
}

/** A service as given, or one over the module / the database. */
export function reportServiceFrom(db: Db, given: TeamsReportService | ReportsModule | undefined): TeamsReportService {
  // The reports module also exports functions named generate/publish (with other signatures): tell them apart by generateReport.
  if (!given) return dbReportService(db);
  if ('generateReport' in given) return dbReportService(db, given);
  return given;
}
