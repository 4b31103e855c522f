/**
 * One action as Block Kit: a section (ref, title, due date, BRAG as emoji + word + meaning,
 * days overdue) and, for people who may change it, a row of buttons. Two blocks per action,
 * always, so an in-place update never changes a message's block count.
 */
import type { ActionsBlock, Button, KnownBlock, SectionBlock } from '@slack/types';
import type { Brag } from '../../../core/brag.js';
import type { ActionCard } from '../../../core/chat.js';
import { overdueText } from '../../../core/overdue.js';
import { ACTION_IDS, actionBlockId, encodeActionButton } from '../ids.js';
import { bragMrkdwn, BRAG_EMOJI, clamp, esc, oneLine, ukDate } from './text.js';

export const TITLE_MAX = 400;
export const NOTE_MAX = 400;

export function dueText(card: Pick<ActionCard, 'dueKind' | 'dueDate' | 'dueRaw'>): string {
  if (card.dueKind === 'date' && card.dueDate) return ukDate(card.dueDate);
  if (card.dueKind === 'month') return card.dueRaw || (card.dueDate ? ukDate(card.dueDate) : 'no date');
  if (card.dueKind === 'ongoing') return 'Ongoing';
  return card.dueRaw ? esc(clamp(oneLine(card.dueRaw), 60)) : 'no date';
}

export function actionTitle(card: Pick<ActionCard, 'ref' | 'activity'>, max = TITLE_MAX): string {
  const activity = esc(clamp(oneLine(card.activity), max));
  return card.ref ? `*${esc(clamp(card.ref, 30))}* · ${activity}` : activity;
}

export interface CardTextOptions {
  /** Show the group (messages that span groups). */
  showGroup?: boolean;
  /** Show owners (escalations and digests are about other people's actions). */
  showOwners?: boolean;
  /** Show the latest note (Red/Amber in escalations and digests). */
  showNote?: boolean;
  /** A line of what just happened ("✅ You set this to Green …"), already mrkdwn. */
  status?: string | undefined;
}

export function actionCardText(card: ActionCard, o: CardTextOptions = {}): string {
  const lines = [actionTitle(card)];
  const facts = [bragMrkdwn(card.brag), `Due ${dueText(card)}`];
  if (card.daysOverdue > 0) facts.push(`*${overdueText(card.daysOverdue)}*`);
  lines.push(facts.join(' · '));
  const who: string[] = [];
  if (o.showGroup) who.push(`_${esc(clamp(card.groupName, 120))}_`);
  if (o.showOwners) {
    const owners = card.ownerNames.length ? card.ownerNames.join(', ') : [card.leadOfficer, card.leadAgency].filter(Boolean).join(', ') || 'no owner';
    who.push(`Owner: ${esc(clamp(owners, 200))}`);
  }
  if (who.length) lines.push(who.join(' · '));
  if (o.showNote && card.latestNote) lines.push(`> ${esc(clamp(oneLine(card.latestNote), NOTE_MAX))}`);
  if (o.status) lines.push(o.status);
  return lines.join('\n');
}

const BUTTON_BRAGS: readonly Exclude<Brag, 'unrated'>[] = ['blue', 'green', 'amber', 'red'];
const BUTTON_LABEL: Record<Exclude<Brag, 'unrated'>, string> = {
  blue: 'Blue (complete)',
  green: 'Green',
  amber: 'Amber',
  red: 'Red',
};

export function ownerButtons(actionId: string, version: string | undefined, page?: number): Button[] {
  const value = encodeActionButton({ a: actionId, ...(version !== undefined ? { v: version } : {}), ...(page !== undefined ? { p: page } : {}) });
  const brag = BUTTON_BRAGS.map((b): Button => ({
    type: 'button',
    action_id: `${ACTION_IDS.bragPrefix}${b}`,
    text: { type: 'plain_text', text: `${BRAG_EMOJI[b]} ${BUTTON_LABEL[b]}`, emoji: true },
    value,
    accessibility_label: `Set status to ${BUTTON_LABEL[b]}`,
  }));
  return [
    ...brag,
    { type: 'button', action_id: ACTION_IDS.progress, text: { type: 'plain_text', text: 'Update progress…' }, value },
    { type: 'button', action_id: ACTION_IDS.snooze, text: { type: 'plain_text', text: 'Snooze a week' }, value },
    {
      type: 'button',
      action_id: ACTION_IDS.notMine,
      text: { type: 'plain_text', text: 'Not mine' },
      value,
      confirm: {
        title: { type: 'plain_text', text: 'Not your action?' },
        text: { type: 'plain_text', text: 'You will stop being an owner of it, and the group’s chair will be told so they can find the right person.' },
        confirm: { type: 'plain_text', text: 'Hand it back' },
        deny: { type: 'plain_text', text: 'Keep it' },
      },
    },
  ];
}

export function detailsButton(actionId: string): Button {
  return {
    type: 'button',
    action_id: ACTION_IDS.details,
    text: { type: 'plain_text', text: 'Details' },
    value: encodeActionButton({ a: actionId }),
  };
}

/** Section + buttons: what nudges and /brag show for each of the recipient's own actions. */
export function ownerActionBlocks(card: ActionCard, version: string | undefined, o: CardTextOptions & { page?: number } = {}): KnownBlock[] {
  const section: SectionBlock = { type: 'section', block_id: actionBlockId(card.actionId, 'card'), text: { type: 'mrkdwn', text: actionCardText(card, o) } };
  const actions: ActionsBlock = { type: 'actions', block_id: actionBlockId(card.actionId, 'buttons'), elements: ownerButtons(card.actionId, version, o.page) };
  return [section, actions];
}

/** The same two blocks without buttons: after "Not mine" the action is no longer theirs to change. */
export function closedActionBlocks(card: ActionCard, status: string, o: CardTextOptions = {}): KnownBlock[] {
  return [
    { type: 'section', block_id: actionBlockId(card.actionId, 'card'), text: { type: 'mrkdwn', text: actionCardText(card, o) } },
    { type: 'context', block_id: actionBlockId(card.actionId, 'buttons'), elements: [{ type: 'mrkdwn', text: status }] },
  ];
}

/** One block with a Details button: escalations and digests, about someone else's action. */
export function watchedActionBlock(card: ActionCard, o: CardTextOptions = {}): KnownBlock {
  return {
    type: 'section',
    block_id: actionBlockId(card.actionId, 'card'),
    text: { type: 'mrkdwn', text: actionCardText(card, { showOwners: true, showNote: true, ...o }) },
    accessory: detailsButton(card.actionId),
  };
}

/** A compact one-line summary of many actions, for what does not fit as blocks. */
export function compactList(cards: readonly ActionCard[], maxChars: number): string {
  const lines: string[] = [];
  let used = 0;
  for (let i = 0; i < cards.length; i++) {
    const c = cards[i]!;
    const line = `• ${BRAG_EMOJI[c.brag]} ${c.ref ? `${esc(clamp(c.ref, 20))} ` : ''}${esc(clamp(oneLine(c.activity), 70))}${c.daysOverdue > 0 ? ` (${overdueText(c.daysOverdue)})` : ''}`;
    const tail = `\n…and ${cards.length - i} more`;
    if (used + line.length + 1 + tail.length > maxChars) {
      lines.push(`…and ${cards.length - i} more`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return lines.join('\n');
}
