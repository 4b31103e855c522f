/**
 * A plain-text rendering of every outbound message: what the console port prints and what
 * `bragbot nudges plan` shows. Colour is never the only signal: each BRAG carries its meaning.
 */
import { BRAG_LABEL, BRAG_MEANING } from '../core/brag.js';
import { formatDate } from '../core/calendar.js';
import type { ActionCard, NudgeReason, OutboundMessage } from '../core/chat.js';
import { overdueText } from '../core/overdue.js';
import { plural } from '../core/text.js';

const REASON_TEXT: Record<NudgeReason, string> = {
  overdue: 'overdue',
  'due-soon': 'due soon',
  stale: 'no update for a while',
  'update-round': 'update wanted before the meeting',
  'catch-up': 'catching up after the bot was offline',
};

function due(card: ActionCard): string {
  if (card.dueKind === 'ongoing') return 'ongoing';
  if (!card.dueDate) return card.dueRaw ? `due "${card.dueRaw}"` : 'no due date';
  const when = card.dueKind === 'month' ? `${card.dueRaw} (end of month)` : formatDate(card.dueDate);
  return card.daysOverdue > 0 ? `was due ${when}, ${overdueText(card.daysOverdue)}` : `due ${when}`;
}

export function renderCard(card: ActionCard): string {
  const status = `${BRAG_LABEL[card.brag]} (${BRAG_MEANING[card.brag]})`;
  const lead = card.ownerNames.length ? card.ownerNames.join(', ') : [card.leadAgency, card.leadOfficer].filter(Boolean).join(', ') || 'no owner';
  const note = card.latestNote ? `\n      latest note: ${card.latestNote}` : '';
  return `  • [${card.groupName} ${card.ref}] ${card.activity}\n      ${status}; ${due(card)}; lead: ${lead}${note}`;
}

export function renderText(message: OutboundMessage): string {
  switch (message.kind) {
    case 'nudge': {
      const why = message.reasons.map((r) => REASON_TEXT[r]).join(', ');
      const meeting = message.meeting ? `\n${message.meeting.groupName} meets on ${formatDate(message.meeting.date)}: please update your actions before then.` : '';
      return `Hello ${message.recipientName}, ${plural(message.actions.length, 'of your actions needs', 'of your actions need')} a look (${why}).${meeting}\n${message.actions.map(renderCard).join('\n')}`;
    }
    case 'escalation': {
      const why = message.reason === 'red' ? 'turned Red (off track)' : 'still overdue with reminders unanswered';
      return `Hello ${message.recipientName}, for your attention: ${message.actions.length === 1 ? 'an action' : `${message.actions.length} actions`} led by ${message.ownerName} ${why}.\n${message.actions.map(renderCard).join('\n')}`;
    }
    case 'digest':
      return `Hello ${message.recipientName}, your action-plan digest for the ${message.periodLabel}: ${message.actions.length} action${message.actions.length === 1 ? '' : 's'} Red, Amber or overdue.\n${message.actions.map(renderCard).join('\n')}`;
    case 'thread-open':
      return `Update round for the ${message.groupName} meeting on ${formatDate(message.meetingDate)}. Please reply in this thread with your update${message.askedNames.length ? ` (${message.askedNames.join(', ')})` : ''}.`;
    case 'not-mine':
      return `Hello ${message.recipientName}, ${message.fromName} says this action is not theirs: it needs a new owner.\n${renderCard(message.action)}`;
    case 'text':
      return message.text;
  }
}
