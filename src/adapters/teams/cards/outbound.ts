/**
 * The core's neutral OutboundMessage as an Adaptive Card, with the same content and choices
 * as the Slack messages. Pure: versions (for idempotent buttons), statuses and who may change
 * what are passed in; nothing is read or sent here.
 */
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import type { ActionCard, OutboundMessage } from '../../../core/chat.js';
import { bragCounts as countBrags, REASON_HEADLINE } from '../../common/outbound.js';
import { MAX_ACTIONS_WITH_BUTTONS, MAX_SCOPE_IDS, type CardScope } from '../ids.js';
import { actionItem, compactList, statusBlock, type StatusLine } from './action.js';
import { card, heading, scopeInput, text, type Element } from './elements.js';
import { fitCard } from './fit.js';
import { BRAG_ICON, clamp, md, oneLine, plural, ukDate } from './text.js';

export interface RenderedCard {
  card: IAdaptiveCard;
  /** Plain text for the notification and screen readers (the activity's summary). */
  summary: string;
}

export interface RenderContext {
  /** Action id → version token; absent ids get buttons without a version. */
  versions?: ReadonlyMap<string, string>;
  /** Action id → what just happened to it (after a click). */
  statuses?: ReadonlyMap<string, StatusLine>;
  /** Who may change what, when re-rendering for one person; default: every action listed. */
  canChange?: (actionId: string) => boolean;
  /** A line at the top (a refusal, a stale click). */
  notice?: StatusLine | undefined;
}

/** Most actions an escalation or digest lists (no inputs, one Details button each). */
export const WATCH_MAX_CARDS = 25;
const SUMMARY_MAX = 250;

export const bragCounts = (cards: readonly ActionCard[]): string => countBrags(cards, BRAG_ICON);

function overflow(rest: readonly ActionCard[], lead: string, tail?: string): Element[] {
  if (rest.length === 0) return [];
  const overdue = rest.filter((c) => c.daysOverdue > 0).length;
  const out: Element[] = [
    text(`${lead} ${plural(rest.length, 'more action')} (${bragCounts(rest)}${overdue ? ` · ${overdue} overdue` : ''}):`, { separator: true, spacing: 'Medium' }),
    text(compactList(rest, 2500), { spacing: 'Small' }),
  ];
  if (tail) out.push(text(tail, { isSubtle: true, spacing: 'Small' }));
  return out;
}

export function nudgeScope(m: Extract<OutboundMessage, { kind: 'nudge' }>): Extract<CardScope, { k: 'nudge' }> {
  return {
    k: 'nudge',
    ids: m.actions.slice(0, MAX_SCOPE_IDS).map((a) => a.actionId),
    n: clamp(m.recipientName, 200),
    r: m.reasons.slice(0, 5),
    ...(m.meeting ? { m: { g: clamp(m.meeting.groupName, 300), d: m.meeting.date } } : {}),
  };
}

export function renderNudge(m: Extract<OutboundMessage, { kind: 'nudge' }>, ctx: RenderContext = {}): RenderedCard {
  const first = m.reasons[0] ?? 'overdue';
  const overdue = m.actions.filter((a) => a.daysOverdue > 0).length;
  const title = m.reasons.includes('update-round') && m.meeting ? `Update for ${m.meeting.groupName}, ${ukDate(m.meeting.date)}` : REASON_HEADLINE[first];
  const meetingLine = m.meeting ? ` The ${md(m.meeting.groupName)} meets on **${ukDate(m.meeting.date, true)}**.` : '';
  const intro =
    `Hi ${md(m.recipientName)}, ${plural(m.actions.length, 'of your actions needs', 'of your actions need')} an update` +
    `${overdue ? ` (${overdue} overdue)` : ''}.${meetingLine}\n\n` +
    'Choose a status to record it, or **Update progress…** to add where you are, evidence or a revised date.';
  const scope = nudgeScope(m);
  const built = fitCard(Math.min(m.actions.length, MAX_ACTIONS_WITH_BUTTONS), (shown, titleMax) => {
    const body: Element[] = [heading(clamp(oneLine(title), 200))];
    if (ctx.notice) body.push(statusBlock(ctx.notice));
    body.push(text(intro));
    for (const a of m.actions.slice(0, shown)) {
      const may = ctx.canChange ? ctx.canChange(a.actionId) : true;
      body.push(actionItem(a, { showGroup: true, titleMax, status: ctx.statuses?.get(a.actionId), ...(may ? { controls: { version: ctx.versions?.get(a.actionId) } } : {}) }));
    }
    body.push(...overflow(m.actions.slice(shown), 'Also yours:', 'Type **my actions** to update the rest.'));
    body.push(scopeInput(scope));
    return card(body);
  });
  const summary = `${plural(m.actions.length, 'action')} need${m.actions.length === 1 ? 's' : ''} your update${overdue ? ` (${overdue} overdue)` : ''}`;
  return { card: built, summary };
}

function watched(cards: readonly ActionCard[], head: Element[], title: string, scope: CardScope): IAdaptiveCard {
  return fitCard(Math.min(cards.length, WATCH_MAX_CARDS), (shown, titleMax) => {
    const body: Element[] = [heading(clamp(oneLine(title), 200)), ...head];
    for (const c of cards.slice(0, shown)) body.push(actionItem(c, { showGroup: true, showOwners: true, showNote: true, details: true, titleMax }));
    body.push(...overflow(cards.slice(shown), 'And'));
    body.push(scopeInput(scope));
    return card(body);
  });
}

const idsOf = (cards: readonly ActionCard[]): string[] => cards.slice(0, MAX_SCOPE_IDS).map((c) => c.actionId);

export function renderEscalation(m: Extract<OutboundMessage, { kind: 'escalation' }>): RenderedCard {
  const one = m.actions.length === 1;
  const why = m.reason === 'red'
    ? `${md(m.ownerName)} has marked ${one ? 'this action' : 'these actions'} ${BRAG_ICON.red} **Red** (off track).`
    : `${md(m.ownerName)} has not answered reminders about ${one ? 'this overdue action' : 'these overdue actions'}.`;
  const scope: CardScope = { k: 'escalation', ids: idsOf(m.actions), n: clamp(m.recipientName, 200), o: clamp(m.ownerName, 200), x: m.reason };
  const built = watched(m.actions, [text(`Hi ${md(m.recipientName)}, ${why} Use **Details** for the history.`)], m.reason === 'red' ? `Red: ${m.ownerName}` : `No answer: ${m.ownerName}`, scope);
  const summary = m.reason === 'red' ? `${m.ownerName} marked ${plural(m.actions.length, 'action')} Red` : `${m.ownerName} has not answered about ${plural(m.actions.length, 'overdue action')}`;
  return { card: built, summary };
}

export function renderDigest(m: Extract<OutboundMessage, { kind: 'digest' }>): RenderedCard {
  // What needs attention first: Red, Amber, then anything else overdue.
  const rank = (c: ActionCard) => (c.brag === 'red' ? 0 : c.brag === 'amber' ? 1 : 2);
  const cards = [...m.actions].sort((a, b) => rank(a) - rank(b) || b.daysOverdue - a.daysOverdue);
  const overdue = cards.filter((c) => c.daysOverdue > 0).length;
  const intro = cards.length
    ? `Hi ${md(m.recipientName)}, across your people: ${bragCounts(cards)}${overdue ? ` · **${overdue} overdue**` : ''}.`
    : `Hi ${md(m.recipientName)}, nothing is Red, Amber or overdue across your people.`;
  const scope: CardScope = { k: 'digest', ids: idsOf(cards), n: clamp(m.recipientName, 200), l: clamp(m.periodLabel, 200) };
  return { card: watched(cards, [text(intro)], `${m.periodLabel}: your people’s actions`, scope), summary: `${m.periodLabel}: ${plural(cards.length, 'action')} to look at` };
}

export function renderThreadOpen(m: Extract<OutboundMessage, { kind: 'thread-open' }>): RenderedCard {
  const title = `Update round: ${m.groupName}, meeting ${ukDate(m.meetingDate, true)}`;
  const body: Element[] = [
    heading(clamp(oneLine(title), 200)),
    text(
      'Please **reply to this post** with your update for the highlight report, in your own words, with your key figures as you would write them. ' +
        'Start with your team or service on its own line in bold (e.g. **Fostering Service**); otherwise your team from bragbot is used. Edits and deletions are picked up.',
    ),
    text('If bragbot does not answer your reply with a ✅, @mention bragbot in it (this team has not granted bragbot permission to read channel messages).', { isSubtle: true, size: 'Small' }),
  ];
  if (m.askedNames.length) body.push(text(`Asked: ${md(clamp(m.askedNames.join(', '), 2000))}`, { isSubtle: true, spacing: 'Small' }));
  return { card: card(body), summary: title };
}

export function renderNotMine(m: Extract<OutboundMessage, { kind: 'not-mine' }>): RenderedCard {
  const body: Element[] = [
    heading(`Not theirs: ${clamp(oneLine(m.action.ref || 'an action'), 60)}`),
    text(`Hi ${md(m.recipientName)}, ${md(m.fromName)} says this action is not theirs. Please find the right owner so reminders reach someone.`),
    actionItem(m.action, { showGroup: true, showOwners: true, showNote: true, details: true }),
    scopeInput({ k: 'not-mine', ids: [m.action.actionId], n: clamp(m.recipientName, 200), f: clamp(m.fromName, 200) }),
  ];
  return { card: card(body), summary: `${m.fromName} says action ${m.action.ref} is not theirs` };
}

export function renderText(m: Extract<OutboundMessage, { kind: 'text' }>): RenderedCard {
  // Paragraphs as separate blocks; the whole text bounded well under the message limit.
  const paras = clamp(m.text, 12_000).split(/\n{2,}/).filter((p) => p.trim() !== '');
  return { card: card(paras.map((p) => text(md(p)))), summary: clamp(oneLine(m.text), SUMMARY_MAX) };
}

export function renderOutbound(m: OutboundMessage, ctx: RenderContext = {}): RenderedCard {
  let r: RenderedCard;
  switch (m.kind) {
    case 'nudge': r = renderNudge(m, ctx); break;
    case 'escalation': r = renderEscalation(m); break;
    case 'digest': r = renderDigest(m); break;
    case 'thread-open': r = renderThreadOpen(m); break;
    case 'not-mine': r = renderNotMine(m); break;
    case 'text': r = renderText(m); break;
  }
  return { card: r.card, summary: clamp(oneLine(r.summary), SUMMARY_MAX) };
}

/** Action ids a message shows with buttons: the port looks up their versions before rendering. */
export function actionIdsOf(m: OutboundMessage): string[] {
  return m.kind === 'nudge' ? m.actions.slice(0, MAX_ACTIONS_WITH_BUTTONS).map((a) => a.actionId) : [];
}
