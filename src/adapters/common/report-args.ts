/** `highlight-report [group] [meeting date]` arguments, as both adapters read them. */
import { parseDueDate } from '../../core/due-date.js';
import { overLimit } from '../../services/interactions/limits.js';

export interface ReportArgs {
  groupSlug?: string;
  meetingDate?: string;
  error?: string;
}

/**
 * Group slug and meeting date, in any order; dates UK day-first or YYYY-MM-DD. An error ends
 * with the platform's usage line; `quote` wraps a stray word the way that platform writes it.
 */
export function parseReportArgs(text: string, usage: string, quote: (word: string) => string): ReportArgs {
  const long = overLimit('command', text);
  if (long) return { error: long };
  const out: { groupSlug?: string; meetingDate?: string } = {};
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    const due = parseDueDate(token);
    if (due.ok && due.due.kind === 'date' && due.due.date) {
      if (out.meetingDate) return { error: `Two dates given. ${usage}` };
      out.meetingDate = due.due.date;
    } else if (!due.ok) {
      return { error: `${due.reason}. ${usage}` };
    } else {
      if (out.groupSlug) return { error: `I expected one group and a date, not ${quote(token)}. ${usage}` };
      out.groupSlug = token.toLowerCase();
    }
  }
  return out;
}
