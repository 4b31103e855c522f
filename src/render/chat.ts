/**
 * The report as a chat message: a short, neutral summary within the length the adapter passes
 * (Slack section text ≤ 3000 characters, a Teams card's text), with a pointer to the full paper
 * attached beside it. Lists share the room (each its first item, then each its second …) and are
 * cut to fit with "…and N more"; the headline figures never are. This is the chair's preview, so
 * it also says who replied, who did not, and who could not be asked in chat.
 * No chat SDK here: the adapters wrap this text in Block Kit / an Adaptive Card.
 */
import { BRAG_LABEL, BRAG_ORDER } from '../core/brag.js';
import { overdueText } from '../core/overdue.js';
import { longDate } from '../core/report/dates.js';
import type { ActionSummary, HighlightReportContent } from '../core/report/types.js';
import { brief, ownersText, signed } from './common.js';

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

  // A ref written "28." at the start of a list item is a list number to Markdown (Teams renumbers
  // or drops it): "Ref 28:" reads the same and cannot be mistaken for one.
  const label = (a: Pick<ActionSummary, 'ref' | 'activity'>) => (a.ref ? `Ref ${esc(a.ref)}: ${esc(brief(a.activity, 90))}` : esc(brief(a.activity, 90)));
  const who = (p: { name: string; team: string | null }) => esc(p.name) + (p.team ? ` (${esc(p.team)})` : '');
  const notAsked = report.notAsked ?? [];
  const lists: { title: string; items: string[] }[] = [
    {
      title: `Overdue (${plan.overdue.length})`,
      items: plan.overdue.map((o) => `${label(o)}: ${esc(ownersText(o))}, ${overdueText(o.daysOverdue)}`),
    },
    {
      title: `Red and Amber (${plan.redAmber.length})`,
      items: plan.redAmber.map((f) => `${BRAG_LABEL[f.brag]}, ${label(f)}${f.latestNote ? `: “${esc(brief(f.latestNote.text, 120))}”` : ''}`),
    },
    // Who replied and who did not: for the chair, never in the circulated paper.
    {
      title: `Updates received (${report.sections.length})`,
      items: report.sections.map((s) => `${esc(s.heading)}${s.authors.length > 0 ? `: ${esc(s.authors.join(', '))}` : ''}${s.late ? ', after the meeting' : ''}`),
    },
    { title: `Not yet replied (${report.notReplied.length})`, items: report.notReplied.map(who) },
    { title: `Could not be asked in chat (${notAsked.length})`, items: notAsked.map(who) },
  ].filter((l) => l.items.length > 0);

  const pointer = options.attachmentName ? `_Full paper attached: ${esc(options.attachmentName)}_` : '';
  const budget = options.maxChars - (pointer ? pointer.length + 2 : 0);
  const headText = head.join('\n');
  const more = (n: number) => `\n${bullet} …and ${n} more`;
  const blockLength = (l: { title: string; items: string[] }, shown: number) => {
    let n = `\n\n${bold(l.title)}`.length;
    for (let i = 0; i < shown; i += 1) n += `\n${bullet} ${l.items[i]}`.length;
    return n + (shown < l.items.length ? more(l.items.length - shown).length : 0);
  };
  // Every list gets its first item before any list gets its second (and so on), so a long
  // overdue list cannot push the Red and Amber ones out of the message: each shows what fits.
  const shown = lists.map(() => 0);
  const included = lists.map(() => false);
  let total = headText.length;
  for (let i = 0; i < lists.length; i += 1) {
    const n = blockLength(lists[i]!, 0);
    if (total + n <= budget) {
      included[i] = true;
      total += n;
    }
  }
  const open = lists.map((_, i) => included[i]!);
  for (let round = 0; open.some(Boolean); round += 1) {
    for (let i = 0; i < lists.length; i += 1) {
      if (!open[i]) continue;
      const l = lists[i]!;
      if (shown[i]! >= l.items.length) {
        open[i] = false;
        continue;
      }
      const delta = blockLength(l, shown[i]! + 1) - blockLength(l, shown[i]!);
      if (total + delta > budget) {
        open[i] = false;
        continue;
      }
      shown[i] = shown[i]! + 1;
      total += delta;
    }
    if (round > 100_000) break;
  }
  let text = headText;
  let cut = false;
  lists.forEach((l, i) => {
    if (!included[i]) {
      cut = true;
      return;
    }
    text += `\n\n${bold(l.title)}`;
    for (let k = 0; k < shown[i]!; k += 1) text += `\n${bullet} ${l.items[k]}`;
    if (shown[i]! < l.items.length) {
      text += more(l.items.length - shown[i]!);
      cut = true;
    }
  });
  if (pointer) text += `\n\n${pointer}`;
  else if (cut && text.length + 40 <= options.maxChars) text += '\n\n_See the full report for the rest._';
  // Headline lines alone can exceed a tiny limit: never hand the adapter more than it allowed.
  return text.length <= options.maxChars ? text : `${text.slice(0, Math.max(0, options.maxChars - 1))}…`;
}
