/** `highlight-report`'s answer: the chat summary (Markdown), with a Publish button for a draft when the person may publish it. */
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { VERBS } from '../ids.js';
import type { ReportPreview } from '../report-service.js';
import { statusBlock, type StatusLine } from './action.js';
import { actionSet, button, card, text, type Element } from './elements.js';
import { ukDate } from './text.js';

/** The summary is Markdown from src/render/chat.ts (user text already escaped there): one block per paragraph. */
function summaryBlocks(summary: string): Element[] {
  return summary.split(/\n{2,}/).filter((p) => p.trim() !== '').map((p, i) => text(p, i === 0 ? {} : { spacing: 'Medium' }));
}

/**
 * `papers`: where the full paper is. A link (the person's own, to the group's plan page: Word and
 * PDF, which a Teams bot cannot attach); 'ask-in-chat' in a channel, where a personal link must
 * not be posted; absent (no web pages): bragbot's `report` command.
 */
function papersSentence(papers: { url: string } | 'ask-in-chat' | undefined): string {
  if (papers === 'ask-in-chat') return 'The plan and its papers (Word, PDF): send me highlight-report in a chat with bragbot for your own link.';
  if (papers) return `The plan and its papers (Word, PDF): [open the plan page](${papers.url}) (your own link: do not forward it).`;
  return "The full paper (Word, PDF) comes from bragbot's `report` command.";
}

export function renderReportCard(p: ReportPreview, o: { status?: StatusLine; published?: boolean; papers?: { url: string } | 'ask-in-chat' | undefined } = {}): IAdaptiveCard {
  const body: Element[] = [...summaryBlocks(p.summary)];
  if (o.status) body.push(statusBlock(o.status));
  const where = o.published ? 'Published' : 'Preview';
  body.push(
    text(`${where}: version ${p.version} (${p.status}) of the report for ${ukDate(p.meetingDate)}. ${papersSentence(o.papers)}`, {
      isSubtle: true,
      size: 'Small',
      separator: true,
    }),
  );
  // Publish only for those who may (the report service says), and only a draft.
  if (p.status === 'draft' && p.canPublish === true && !o.published) {
    body.push(actionSet([button('Publish', VERBS.reportPublish, { r: p.reportId, g: p.groupSlug }, { style: 'positive', tooltip: 'Freeze this version and post it to the group’s channel' })]));
  }
  return card(body);
}
