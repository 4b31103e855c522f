/**
 * What /highlight-report needs from the report side, as a seam: the adapter codes against
 * this, tests inject a slow fake, and `dbReportService` (report-service-db.ts) wires the real
 * one (src/services/reports.ts). Every call is scoped to the workspace and checks the person.
 */
export type ReportFileFormat = 'docx' | 'pdf';

export interface ReportPreview {
  reportId: string;
  groupSlug: string;
  meetingDate: string;
  version: number;
  /** draft | published | superseded */
  status: string;
  /** The chat summary in Slack mrkdwn, at most 3000 characters (one section). */
  summary: string;
}

export interface ReportFileOut {
  body: Buffer | string;
  filename: string;
  mimeType: string;
}

export interface ReportService {
  /** Generates (or reuses) the report for a group's meeting; refuses people who may not read it. */
  generate(req: { workspaceId: string; groupSlug: string; meetingDate?: string | undefined; requestedBy: string; requesterPersonId: string; now: Date }): Promise<ReportPreview>;
  /** A stored version as a file; refuses people who may not read it. */
  render(req: { workspaceId: string; reportId: string; format: ReportFileFormat; personId: string }): Promise<ReportFileOut>;
  /** Freezes a version (idempotent) and returns it, with the summary to post; refuses people who may not publish. */
  publish(req: { workspaceId: string; reportId: string; by: string; byPersonId: string; now: Date }): Promise<ReportPreview>;
}
