/**
 * Bot commands (Teams has no slash commands): `my actions`, `highlight-report [group] [date]`,
 * `help`, and `set-channel [group]` for chairs. In a personal chat every message is for the
 * bot; in a channel or group chat only a message that @mentions it (with the RSC permission the
 * bot also sees everything else there, and must stay quiet about it).
 */
import { parseReportArgs as parseArgs, type ReportArgs } from '../../common/report-args.js';
import { conversationKind, mentionsBot, messageText, type LooseActivity } from '../activity.js';

export type CommandName = 'help' | 'my-actions' | 'highlight-report' | 'set-channel';

export interface Command {
  name: CommandName;
  args: string;
}

const PATTERNS: [RegExp, CommandName][] = [
  [/^(?:help|\?|hello|hi|hey|start)(?:\s+(.*))?$/is, 'help'],
  [/^(?:my[\s-]*actions?|actions|mine|brag|list)(?:\s+(.*))?$/is, 'my-actions'],
  [/^(?:highlight[\s-]*report|report)(?:\s+(.*))?$/is, 'highlight-report'],
  [/^(?:set[\s-]*channel|use[\s-]+this[\s-]+channel)(?:\s+(.*))?$/is, 'set-channel'],
];

/** A command from the text (mention already removed); people used to Slack may type a slash. */
export function parseCommand(text: string): Command | null {
  const t = text.trim().replace(/^\/+/, '').replace(/[.!]+$/, '');
  for (const [re, name] of PATTERNS) {
    const m = re.exec(t);
    if (m) return { name, args: (m[1] ?? '').trim() };
  }
  return null;
}

export type Addressed = { addressed: false } | { addressed: true; text: string; command: Command | null };

/** Is this message for the bot, and which command is it? */
export function addressed(activity: LooseActivity): Addressed {
  if (activity.type !== 'message') return { addressed: false };
  const personal = conversationKind(activity) === 'personal';
  if (!personal && !mentionsBot(activity)) return { addressed: false };
  const text = messageText(activity);
  return { addressed: true, text, command: parseCommand(text) };
}

/** The usage line, with one of the person's own groups as the example (never an invented one). */
export const reportUsage = (example: string | null): string =>
  `Usage: **highlight-report [group] [meeting date]**, e.g. highlight-report ${example ?? '<group>'} dd/mm/yyyy. In a group’s channel the group can be left out; without a date the next meeting is used.`;

export const REPORT_USAGE = reportUsage(null);

/** Group slug and meeting date, in any order; dates UK day-first or YYYY-MM-DD. */
export const parseReportArgs = (text: string, usage = REPORT_USAGE): ReportArgs => parseArgs(text, usage, (word) => `“${word}”`);
