/**
 * The chair's cover note: who replied in the update thread (and when), who was asked and has not
 * replied, and who bragbot could not ask in chat. It goes to the chair beside the paper and is
 * never part of the paper circulated to the Board (issue 12: chasing belongs to the chair).
 * Markdown, so it reads as plain text in an email too. Pure.
 */
import { longDate, longDateTime } from '../core/report/dates.js';
import type { HighlightReportContent } from '../core/report/types.js';
import { escapeMarkdown } from './markdown.js';

const cell = (text: string): string => escapeMarkdown(text.replace(/\s+/g, ' ').trim());

export function renderCoverNote(report: HighlightReportContent, options: { version?: number | undefined; status?: string | undefined } = {}): string {
  const version = options.version !== undefined ? `, version ${options.version}${options.status ? ` (${options.status})` : ''}` : '';
  const out: string[] = [
    `# Cover note for the chair: ${cell(report.title)}`,
    '',
    `_Meeting of ${longDate(report.meeting.date)}${version}; replies as at ${longDateTime(report.asOf)}._`,
    '',
    'For the chair, not for circulation: the paper itself carries none of this.',
    '',
    `## Updates received: ${report.sections.length}`,
    '',
  ];
  if (report.sections.length === 0) out.push('Nobody has replied in the update thread yet.', '');
  else {
    out.push('| Section | From | First posted | Last changed |', '| --- | --- | --- | --- |');
    for (const s of report.sections) {
      const changed = s.lastChangedAt !== s.firstPostedAt ? longDateTime(s.lastChangedAt) : '';
      out.push(`| ${cell(s.heading)} | ${cell(s.authors.join(', '))} | ${longDateTime(s.firstPostedAt)} | ${changed}${s.late ? ' (after the meeting)' : ''} |`);
    }
    out.push('');
  }

  out.push(`## Not yet replied: ${report.notReplied.length}`, '');
  if (report.notReplied.length === 0) out.push('Everyone bragbot asked for an update has replied.', '');
  else out.push(...report.notReplied.map((p) => `- ${cell(p.name)}${p.team ? ` (${cell(p.team)})` : ''}`), '');

  const notAsked = report.notAsked ?? [];
  if (notAsked.length > 0) {
    out.push(
      `## Could not be asked in chat: ${notAsked.length}`,
      '',
      'They own open actions or belong to the group but have no Slack or Teams account linked in bragbot: ask them another way, or link them (`bragbot people set`, `bragbot people map-slack`).',
      '',
      ...notAsked.map((p) => `- ${cell(p.name)}${p.team ? ` (${cell(p.team)})` : ''}`),
      '',
    );
  }
  return out.join('\n');
}
