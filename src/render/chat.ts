/**
 * The report as a chat message: a short, neutral summary within the length the adapter passes
 * (Slack section text ≤ 3000 characters, a Teams card's text), with a pointer to the full paper
 * attached beside it. Lists are cut to fit with "…and N more"; the headline figures never are.
 * No chat SDK here: the adapters wrap this text in Block Kit / an Adaptive Card.
 */
import { BRAG_LABEL, BRAG_ORDER } from '../core/brag.js';
import { overdueText } from '../core/overdue.js';
import { longDate } from '../core/report/dates.js';
import type { HighlightReportContent } from '../core/report/types.js';
import { actionLabel, brief, ownersText, signed } from './common.js';

/** Slack: a section block's text field is at most 3000 characters. */
export const SLACK_SECTION_TEXT_LIMIT = 3000;
/** Teams: no hard limit on a TextBlock, but a card must stay well under the 28 KB message limit and readable. */
export const TEAMS_CARD_TEXT_LIMIT = 4000;

export type ChatFlavour = 'slack-mrkdwn' | 'markdown';

export interface ChatSummaryOptions {
  flavour: ChatFlavour;
  maxChars: number;
  /** File name of the full paper attached beside the message, if any. */
  attachmentName?: string | undefined;
  /** Stored version, shown in the headline. */
  version?: number | undefined;
  status?: string | undefined;
}

export function renderChatSummary(report: HighlightReportContent, options: ChatSummaryOptions): string {
  const slack = options.flavour === 'slack-mrkdwn';
  // Slack mrkdwn needs &, < and > escaped; its bold is *x*, Teams markdown's is **x**.
  const esc = (s: string) => (slack ? s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : s.replace(/([*_`[\]])/g, '\\$1'));
  const bold = (s: string) => (slack ? `*${s}*` : `**${s}**`);
  const bullet = slack ? '•' : '-';
  const plan = report.plan;
  const cmp = plan.comparison;

  const head: string[] = [];
  head.push(bold(esc(report.title)) + (options.version !== undefined ? ` (version ${options.version}${options.status ? `, ${options.status}` : ''})` : ''));
  head.push(`Meeting ${longDate(report.meeting.date)} · action plan as at ${longDate(report.asOfDate)}`);
  const counts = BRAG_ORDER.filter((b) => b !== 'unrated' || plan.counts.unrated > 0)
    .map((b) => `${BRAG_LABEL[b]} ${plan.counts[b]}${cmp ? ` (${signed(plan.counts[b] - cmp.counts[b])})` : ''}`)
    .join(' · ');
  head.push(`${bold('Status')}: ${counts}. ${plan.total} actions.`);
  if (cmp) {
    const parts = [
      `${cmp.completions.length} completed`,
      `${cmp.moves.length} changed status`,
      `${cmp.newActions.length} new`,
      `${cmp.redated.length} re-dated`,
    ];
    head.push(`${bold(`Since ${esc(cmp.label)}`)}: ${parts.join(', ')}.`);
  }

  const lists: { title: string; items: string[] }[] = [
    {
      title: `Overdue (${plan.overdue.length})`,
      items: plan.overdue.map((o) => `${esc(actionLabel(o, 90))}: ${esc(ownersText(o))}, ${overdueText(o.daysOverdue)}`),
    },
    {
      title: `Red and Amber (${plan.redAmber.length})`,
      items: plan.redAmber.map((f) => `${BRAG_LABEL[f.brag]}: ${esc(actionLabel(f, 90))}${f.latestNote ? `: “${esc(brief(f.latestNote.text, 120))}”` : ''}`),
    },
    { title: `Updates received (${report.sections.length})`, items: report.sections.map((s) => esc(s.heading)) },
    { title: `Not yet replied (${report.notReplied.length})`, items: report.notReplied.map((p) => esc(p.name) + (p.team ? ` (${esc(p.team)})` : '')) },
  ];

  const pointer = options.attachmentName ? `_Full paper attached: ${esc(options.attachmentName)}_` : '';
  const budget = options.maxChars - (pointer ? pointer.length + 2 : 0);
  let text = head.join('\n');
  let cut = false;
  for (const list of lists) {
    if (list.items.length === 0) continue;
    const title = `\n\n${bold(list.title)}`;
    if (text.length + title.length > budget) {
      cut = true;
      break;
    }
    let block = title;
    let shown = 0;
    for (const item of list.items) {
      const remaining = list.items.length - shown - 1;
      const line = `\n${bullet} ${item}`;
      // Room for this line and, if more follow, for the "…and N more" line.
      const reserve = remaining > 0 ? `\n${bullet} …and ${remaining} more`.length : 0;
      if (text.length + block.length + line.length + reserve > budget) break;
      block += line;
      shown += 1;
    }
    if (shown < list.items.length) {
      block += `\n${bullet} …and ${list.items.length - shown} more`;
      cut = true;
    }
    if (text.length + block.length > budget) {
      cut = true;
      break;
    }
    text += block;
  }
  if (pointer) text += `\n\n${pointer}`;
  else if (cut && text.length + 40 <= options.maxChars) text += '\n\n_See the full report for the rest._';
  // Headline lines alone can exceed a tiny limit: never hand the adapter more than it allowed.
  return text.length <= options.maxChars ? text : `${text.slice(0, Math.max(0, options.maxChars - 1))}…`;
}
