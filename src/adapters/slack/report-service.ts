/**
 * What /highlight-report needs from the report side: the neutral seam in
 * src/services/report-service.ts (shared with Teams). Tests inject a slow fake, and
 * `dbReportService` (report-service-db.ts) wires the real one with Slack's summary flavour.
 */
export type { ReportFileFormat, ReportFileOut, ReportPreview, ReportService } from '../../services/report-service.js';
