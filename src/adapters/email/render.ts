/**
 * An outbound message as an email: plain text and HTML with the same content as the cards
 * (src/delivery/render-text.ts words it; the HTML says the same), and under each action the
 * signed link that opens its page. Colour is never the only signal: each status carries its word.
 */
import { BRAG_LABEL, BRAG_MEANING } from '../../core/brag.js';
import { formatDate } from '../../core/calendar.js';
import type { ActionCard, OutboundMessage } from '../../core/chat.js';
import { overdueText } from '../../core/overdue.js';
import { renderCard, renderText } from '../../delivery/render-text.js';
import { html, type Html } from '../../web/html.js';

export interface EmailLinks {
  /** actionId → the page to update it (or, for those in readOnly, to see it). */
  actions: Map<string, string>;
  /** Actions the recipient may see but not update (a manager's digest or escalation). */
  readOnly?: ReadonlySet<string> | undefined;
  /** The update round's page, when the message asks for the meeting's update. */
  round?: string | undefined;
  linkDays: number;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function subjectOf(m: OutboundMessage): string {
  switch (m.kind) {
    case 'nudge':
      return m.meeting ? `${m.meeting.groupName}: your update before the meeting on ${formatDate(m.meeting.date)}` : `Action plan: ${plural(m.actions.length, 'action')} need${m.actions.length === 1 ? 's' : ''} your update`;
    case 'escalation':
      return `For your attention: ${m.reason === 'red' ? 'an action turned Red' : 'overdue actions with no update'} (${m.ownerName})`;
    case 'digest':
      return `Your action-plan digest for the ${m.periodLabel}`;
    case 'not-mine':
      return `An action needs a new owner: ${m.action.groupName} ${m.action.ref}`;
    case 'thread-open':
      return `Update round for the ${m.groupName} meeting on ${formatDate(m.meetingDate)}`;
    case 'text':
      return 'A message from bragbot';
  }
}

const actionsOf = (m: OutboundMessage): ActionCard[] =>
  m.kind === 'nudge' || m.kind === 'escalation' || m.kind === 'digest' ? m.actions : m.kind === 'not-mine' ? [m.action] : [];

function due(card: ActionCard): string {
  if (card.dueKind === 'ongoing') return 'ongoing';
  if (!card.dueDate) return card.dueRaw ? `due "${card.dueRaw}"` : 'no due date';
  const when = card.dueKind === 'month' ? `${card.dueRaw} (end of month)` : formatDate(card.dueDate);
  return card.daysOverdue > 0 ? `was due ${when}, ${overdueText(card.daysOverdue)}` : `due ${when}`;
}

const actionName = (card: ActionCard) => (card.ref ? `action ${card.ref}` : 'this action');

/** What the link under an action says: what its page lets this person do. */
const linkWords = (card: ActionCard, readOnly: boolean) =>
  readOnly ? `See ${actionName(card)}: its status, progress and evidence (its owners update it)` : `Update ${actionName(card)}: Blue, Green, Amber or Red, progress, evidence, a revised date, snooze or not mine`;

function cardHtml(card: ActionCard, link: string | undefined, readOnly: boolean): Html {
  const lead = card.ownerNames.length ? card.ownerNames.join(', ') : [card.leadAgency, card.leadOfficer].filter(Boolean).join(', ') || 'no owner';
  return html`<li style="margin:0 0 16px 0">
<p style="margin:0"><strong>${card.groupName} ${card.ref}</strong>: ${card.activity}</p>
<p style="margin:4px 0">Status: <strong>${BRAG_LABEL[card.brag]}</strong> (${BRAG_MEANING[card.brag]}); ${due(card)}; lead: ${lead}</p>
${card.latestNote ? html`<p style="margin:4px 0">Latest note: ${card.latestNote}</p>` : ''}
${link ? html`<p style="margin:4px 0"><a href="${link}">${linkWords(card, readOnly)}</a></p>` : ''}
</li>`;
}

export function renderEmail(m: OutboundMessage, links: EmailLinks): RenderedEmail {
  const cards = actionsOf(m);
  const [intro] = renderText(m).split('\n');
  const meetingLine = m.kind === 'nudge' && m.meeting ? `${m.meeting.groupName} meets on ${formatDate(m.meeting.date)}: please update your actions before then.` : null;
  const expiry = `Each link is for you alone, works for ${links.linkDays} days and records one change (the page then gives you a new one). Do not forward this email.`;

  const text = [
    intro,
    ...(meetingLine ? [meetingLine] : []),
    ...(links.round ? ['', `Write your team’s update for the meeting’s highlight report: ${links.round}`] : []),
    '',
    ...cards.flatMap((c) => [renderCard(c), ...(links.actions.has(c.actionId) ? [`      ${links.readOnly?.has(c.actionId) ? 'see it' : 'update it'}: ${links.actions.get(c.actionId)}`] : []), '']),
    ...(cards.length === 0 ? [renderText(m).split('\n').slice(1).join('\n')] : []),
    ...(links.actions.size || links.round ? [expiry] : []),
  ].join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';

  const body = html`<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${subjectOf(m)}</title></head>
<body style="font-family:Arial,sans-serif;font-size:16px;line-height:1.5;color:#0b0c0c;max-width:40em;margin:0 auto;padding:16px">
<p>${intro ?? ''}</p>
${meetingLine ? html`<p>${meetingLine}</p>` : ''}
${links.round ? html`<p><a href="${links.round}">Write your team’s update for the meeting’s highlight report</a></p>` : ''}
${cards.length ? html`<ul style="padding-left:20px">${cards.map((c) => cardHtml(c, links.actions.get(c.actionId), links.readOnly?.has(c.actionId) ?? false))}</ul>` : html`<p>${renderText(m).split('\n').slice(1).join(' ')}</p>`}
${links.actions.size || links.round ? html`<p style="color:#505a5f">${expiry}</p>` : ''}
</body></html>
`;
  return { subject: subjectOf(m), text, html: body.value };
}
