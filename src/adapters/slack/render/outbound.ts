/**
 * The core's neutral OutboundMessage as a Slack message: top-level text (the notification and
 * screen-reader fallback) plus Block Kit. Pure: the versions of actions (for idempotent
 * buttons) are passed in, nothing is read or sent here.
 */
import type { KnownBlock } from '@slack/types';
import type { ActionCard, OutboundMessage } from '../../../core/chat.js';
import { bragCounts as countBrags, REASON_HEADLINE } from '../../common/outbound.js';
import { compactList, ownerActionBlocks, watchedActionBlock } from './action-blocks.js';
import { fitBlocks, SLACK_LIMITS, textSections } from './limits.js';
import { BRAG_EMOJI, clamp, esc, oneLine, plural, ukDate } from './text.js';

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface RenderContext {
  /** Action id → version token (see ids.ts); absent ids get buttons without a version. */
  versions?: ReadonlyMap<string, string>;
}

/** Most actions one nudge shows with buttons (2 blocks each); the rest are summarised. */
export const NUDGE_MAX_CARDS = 20;
/** Most actions an escalation or digest shows as blocks (1 block each). */
export const WATCH_MAX_CARDS = 40;

const header = (text: string): KnownBlock => ({ type: 'header', text: { type: 'plain_text', text: clamp(oneLine(text), SLACK_LIMITS.headerText), emoji: true } });
const section = (text: string, blockId?: string): KnownBlock => ({ type: 'section', ...(blockId ? { block_id: blockId } : {}), text: { type: 'mrkdwn', text: clamp(text, SLACK_LIMITS.sectionText) } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text: clamp(text, SLACK_LIMITS.sectionText) }] });

export const bragCounts = (cards: readonly ActionCard[]): string => countBrags(cards, BRAG_EMOJI);

function overflowSection(rest: readonly ActionCard[], lead: string): KnownBlock {
  const overdue = rest.filter((c) => c.daysOverdue > 0).length;
  const head = `${lead} ${plural(rest.length, 'more action')} (${bragCounts(rest)}${overdue ? ` · ${overdue} overdue` : ''}):\n`;
  return section(head + compactList(rest, SLACK_LIMITS.sectionText - head.length - 10), 'overflow');
}

export function renderNudge(m: Extract<OutboundMessage, { kind: 'nudge' }>, ctx: RenderContext = {}): RenderedMessage {
  const first = m.reasons[0] ?? 'overdue';
  const overdue = m.actions.filter((a) => a.daysOverdue > 0).length;
  const meetingLine = m.meeting ? ` The ${esc(m.meeting.groupName)} meets on *${ukDate(m.meeting.date, true)}*.` : '';
  const intro =
    `Hi ${esc(m.recipientName)}, ${plural(m.actions.length, 'of your actions needs', 'of your actions need')} an update` +
    `${overdue ? ` (${overdue} overdue)` : ''}.${meetingLine}\n` +
    'Click a status to record it, or *Update progress…* to add where you are, evidence or a revised date.';
  const shown = m.actions.slice(0, NUDGE_MAX_CARDS);
  const rest = m.actions.slice(NUDGE_MAX_CARDS);
  const blocks: KnownBlock[] = [
    header(m.reasons.includes('update-round') && m.meeting ? `Update for ${m.meeting.groupName}, ${ukDate(m.meeting.date)}` : REASON_HEADLINE[first]),
    section(intro, 'intro'),
  ];
  for (const card of shown) blocks.push(...ownerActionBlocks(card, ctx.versions?.get(card.actionId), { showGroup: true }));
  if (rest.length) blocks.push(overflowSection(rest, 'Also yours:'), context('Use `/brag` to update the rest, a page at a time.'));
  const text = `${plural(m.actions.length, 'action')} need${m.actions.length === 1 ? 's' : ''} your update${overdue ? ` (${overdue} overdue)` : ''}`;
  return { text, blocks: fitBlocks(blocks) };
}

function watched(cards: readonly ActionCard[], intro: KnownBlock[], title: string): KnownBlock[] {
  const blocks: KnownBlock[] = [header(title), ...intro];
  const shown = cards.slice(0, WATCH_MAX_CARDS);
  for (const c of shown) blocks.push(watchedActionBlock(c, { showGroup: true }));
  const rest = cards.slice(WATCH_MAX_CARDS);
  if (rest.length) blocks.push(overflowSection(rest, 'And'));
  return fitBlocks(blocks);
}

export function renderEscalation(m: Extract<OutboundMessage, { kind: 'escalation' }>): RenderedMessage {
  const why = m.reason === 'red'
    ? `${esc(m.ownerName)} has marked ${m.actions.length === 1 ? 'this action' : 'these actions'} ${BRAG_EMOJI.red} *Red* (off track).`
    : `${esc(m.ownerName)} has not answered reminders about ${m.actions.length === 1 ? 'this overdue action' : 'these overdue actions'}.`;
  const blocks = watched(m.actions, [section(`Hi ${esc(m.recipientName)}, ${why} Use *Details* for the history.`, 'intro')], m.reason === 'red' ? `Red: ${m.ownerName}` : `No answer: ${m.ownerName}`);
  return { text: m.reason === 'red' ? `${m.ownerName} marked ${plural(m.actions.length, 'action')} Red` : `${m.ownerName} has not answered about ${plural(m.actions.length, 'overdue action')}`, blocks };
}

export function renderDigest(m: Extract<OutboundMessage, { kind: 'digest' }>): RenderedMessage {
  // What needs attention first: Red, Amber, then anything else overdue.
  const rank = (c: ActionCard) => (c.brag === 'red' ? 0 : c.brag === 'amber' ? 1 : 2);
  const cards = [...m.actions].sort((a, b) => rank(a) - rank(b) || b.daysOverdue - a.daysOverdue);
  const overdue = cards.filter((c) => c.daysOverdue > 0).length;
  const intro = cards.length
    ? `Hi ${esc(m.recipientName)}, across your people: ${bragCounts(cards)}${overdue ? ` · *${overdue} overdue*` : ''}.`
    : `Hi ${esc(m.recipientName)}, nothing is Red, Amber or overdue across your people.`;
  const blocks = watched(cards, [section(intro, 'intro')], `${m.periodLabel}: your people’s actions`);
  return { text: `${m.periodLabel}: ${plural(cards.length, 'action')} to look at`, blocks };
}

export function renderThreadOpen(m: Extract<OutboundMessage, { kind: 'thread-open' }>): RenderedMessage {
  const title = `Update round: ${m.groupName}, meeting ${ukDate(m.meetingDate, true)}`;
  const body =
    `*${esc(title)}*\nPlease reply *in this thread* with your update for the highlight report, in your own words, ` +
    'with your key figures as you would write them. Start with your team or service on its own line in bold ' +
    '(e.g. `*Fostering Service*`); otherwise your team from bragbot is used. Edits and deletions are picked up. ' +
    'I react with :white_check_mark: when I have your update.';
  const blocks: KnownBlock[] = [section(body, 'intro')];
  if (m.askedNames.length) blocks.push(context(`Asked: ${esc(clamp(m.askedNames.join(', '), 2000))}`));
  return { text: title, blocks: fitBlocks(blocks) };
}

export function renderNotMine(m: Extract<OutboundMessage, { kind: 'not-mine' }>): RenderedMessage {
  const blocks: KnownBlock[] = [
    section(`Hi ${esc(m.recipientName)}, ${esc(m.fromName)} says this action is not theirs. Please find the right owner so reminders reach someone.`, 'intro'),
    watchedActionBlock(m.action, { showGroup: true }),
  ];
  return { text: `${m.fromName} says action ${m.action.ref} is not theirs`, blocks: fitBlocks(blocks) };
}

export function renderText(m: Extract<OutboundMessage, { kind: 'text' }>): RenderedMessage {
  const blocks = textSections(esc(m.text), SLACK_LIMITS.messageBlocks);
  return { text: clamp(m.text, SLACK_LIMITS.messageText), blocks };
}

export function renderOutbound(m: OutboundMessage, ctx: RenderContext = {}): RenderedMessage {
  let r: RenderedMessage;
  switch (m.kind) {
    case 'nudge': r = renderNudge(m, ctx); break;
    case 'escalation': r = renderEscalation(m); break;
    case 'digest': r = renderDigest(m); break;
    case 'thread-open': r = renderThreadOpen(m); break;
    case 'not-mine': r = renderNotMine(m); break;
    case 'text': r = renderText(m); break;
  }
  return { text: clamp(r.text, SLACK_LIMITS.messageText), blocks: r.blocks };
}

/** Action ids a message carries buttons for: the port looks up their versions before rendering. */
export function actionIdsOf(m: OutboundMessage): string[] {
  return m.kind === 'nudge' ? m.actions.slice(0, NUDGE_MAX_CARDS).map((a) => a.actionId) : [];
}
