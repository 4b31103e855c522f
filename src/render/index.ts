/**
 * One entry point for every rendering of a highlight report: the paper a chair circulates
 * (Markdown, HTML, Word, PDF), the chart on its own, or the stored JSON. Pure functions of the
 * report content; the chart is drawn only for the formats that embed it.
 */
import type { HighlightReportContent } from '../core/report/types.js';
import { renderBragChart } from './chart.js';
import { reportFileName } from './common.js';
import { renderDocx } from './docx.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import { renderPdf } from './pdf.js';

export const REPORT_FORMATS = ['md', 'html', 'docx', 'pdf', 'png', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const MIME_TYPES: Record<ReportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  png: 'image/png',
  json: 'application/json',
};

export interface RenderedFile {
  filename: string;
  mimeType: string;
  /** Text formats as a string, binary formats as a Buffer. */
  body: string | Buffer;
}

export const isReportFormat = (v: unknown): v is ReportFormat => typeof v === 'string' && (REPORT_FORMATS as readonly string[]).includes(v);

/** A plan with no actions now or then has nothing to chart. */
async function chartFor(report: HighlightReportContent): Promise<Buffer | undefined> {
  const empty = report.plan.total === 0 && (report.plan.comparison?.total ?? 0) === 0;
  return empty ? undefined : renderBragChart(report);
}

export async function renderReportContent(
  report: HighlightReportContent,
  format: ReportFormat,
  options: { version?: number | undefined } = {},
): Promise<RenderedFile> {
  const filename = reportFileName(report, format, options.version);
  const mimeType = MIME_TYPES[format];
  switch (format) {
    case 'md':
      return { filename, mimeType, body: renderMarkdown(report) };
    case 'json':
      return { filename, mimeType, body: `${JSON.stringify(report, null, 2)}\n` };
    case 'png':
      return { filename, mimeType, body: await renderBragChart(report) };
    case 'html':
      return { filename, mimeType, body: renderHtml(report, { chartPng: await chartFor(report) }) };
    case 'docx':
      return { filename, mimeType, body: await renderDocx(report, { chartPng: await chartFor(report) }) };
    case 'pdf':
      return { filename, mimeType, body: await renderPdf(report, { chartPng: await chartFor(report) }) };
  }
}

export { renderBragChart } from './chart.js';
export { renderCoverNote } from './cover-note.js';
export { renderChatSummary, SLACK_SECTION_TEXT_LIMIT, TEAMS_CARD_TEXT_LIMIT, type ChatFlavour, type ChatSummaryOptions } from './chat.js';
export { renderDocx } from './docx.js';
export { renderHtml } from './html.js';
export { renderMarkdown } from './markdown.js';
export { renderPdf } from './pdf.js';
