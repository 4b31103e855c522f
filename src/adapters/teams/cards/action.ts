/**
 * One action as card elements: what it is, its BRAG (icon + word + meaning), due date, days
 * overdue, and, for people who may change it, the same choices as in Slack: Blue / Green /
 * Amber / Red, Update progress…, Snooze a week, Not mine….
 */
import type { IContainer, IExecuteAction } from '@microsoft/teams.cards';
import type { Brag } from '../../../core/brag.js';
import type { ActionCard } from '../../../core/chat.js';
import { overdueText } from '../../../core/overdue.js';
import { VERBS } from '../ids.js';
import { actionSet, button, container, text, type Element } from './elements.js';
import { BRAG_ICON, bragMd, clamp, dueText, md, oneLine, ownersText } from './text.js';

export const TITLE_MAX = 400;
export const NOTE_MAX = 400;

/** A line saying what just happened to this action, shown under it. */
export interface StatusLine {
  text: string;
  tone?: 'good' | 'warning' | 'attention' | undefined;
}

export interface ActionItemOptions {
  showGroup?: boolean;
  showOwners?: boolean;
  showNote?: boolean;
  status?: StatusLine | undefined;
  /** Owner controls, with the action's version for idempotent clicks; omitted → no buttons. */
  controls?: { version?: string | undefined } | undefined;
  /** A Details button (escalations, digests: someone else's action). */
  details?: boolean;
  titleMax?: number;
}

export function actionTitle(card: Pick<ActionCard, 'ref' | 'activity'>, max = TITLE_MAX): string {
  const activity = md(clamp(oneLine(card.activity), max));
  return card.ref ? `**${md(clamp(card.ref, 30))}** · ${activity}` : activity;
}

export function actionFacts(card: ActionCard): string {
  const facts = [bragMd(card.brag), `Due ${md(dueText(card))}`];
  if (card.daysOverdue > 0) facts.push(`**${overdueText(card.daysOverdue)}**`);
  return facts.join(' · ');
}

const STATUS_COLOR = { good: 'Good', warning: 'Warning', attention: 'Attention' } as const;

export function statusBlock(s: StatusLine): Element {
  return text(s.text, { spacing: 'Small', ...(s.tone ? { color: STATUS_COLOR[s.tone] } : {}) });
}

const BUTTON_BRAGS: readonly Exclude<Brag, 'unrated'>[] = ['blue', 'green', 'amber', 'red'];
const BUTTON_LABEL: Record<Exclude<Brag, 'unrated'>, string> = { blue: 'Blue (complete)', green: 'Green', amber: 'Amber', red: 'Red' };

export function bragButtons(actionId: string, version: string | undefined): IExecuteAction[] {
  return BUTTON_BRAGS.map((b) => button(`${BRAG_ICON[b]} ${BUTTON_LABEL[b]}`, VERBS.brag, { a: actionId, b, v: version }, { tooltip: `Set status to ${BUTTON_LABEL[b]}` }));
}

export function ownerButtons(actionId: string, version: string | undefined): IExecuteAction[] {
  return [
    button('Update progress…', VERBS.progressOpen, { a: actionId, v: version }, { tooltip: 'Where you are, evidence, a revised date, a note' }),
    button('Snooze a week', VERBS.snooze, { a: actionId }, { tooltip: 'No reminders about this action for seven days' }),
    button('Not mine…', VERBS.notMineAsk, { a: actionId }, { tooltip: 'Hand the action back to the chair' }),
  ];
}

export function actionItem(card: ActionCard, o: ActionItemOptions = {}): IContainer {
  const items: Element[] = [text(actionTitle(card, o.titleMax ?? TITLE_MAX)), text(actionFacts(card), { spacing: 'Small' })];
  const who: string[] = [];
  if (o.showGroup) who.push(`_${md(clamp(card.groupName, 120))}_`);
  if (o.showOwners) who.push(`Owner: ${md(clamp(ownersText(card), 200))}`);
  if (who.length) items.push(text(who.join(' · '), { spacing: 'Small', isSubtle: true, size: 'Small' }));
  if (o.showNote && card.latestNote) items.push(text(`“${md(clamp(oneLine(card.latestNote), NOTE_MAX))}”`, { spacing: 'Small', isSubtle: true }));
  if (o.status) items.push(statusBlock(o.status));
  if (o.controls) {
    items.push(actionSet(bragButtons(card.actionId, o.controls.version), { spacing: 'Small' }));
    items.push(actionSet(ownerButtons(card.actionId, o.controls.version), { spacing: 'None' }));
  } else if (o.details) {
    items.push(actionSet([button('Details', VERBS.details, { a: card.actionId })], { spacing: 'Small' }));
  }
  return container(items, { separator: true, spacing: 'Medium' });
}

/** A compact Markdown list of many actions, for what does not fit with buttons. */
export function compactList(cards: readonly ActionCard[], maxChars: number): string {
  const lines: string[] = [];
  let used = 0;
  for (let i = 0; i < cards.length; i++) {
    const c = cards[i]!;
    const line = `- ${BRAG_ICON[c.brag]} ${c.ref ? `**${md(clamp(c.ref, 20))}** ` : ''}${md(clamp(oneLine(c.activity), 70))}${c.daysOverdue > 0 ? ` (${overdueText(c.daysOverdue)})` : ''}`;
    const tail = `\n- …and ${cards.length - i} more`;
    if (used + line.length + 1 + tail.length > maxChars) {
      lines.push(`- …and ${cards.length - i} more`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return lines.join('\n');
}
