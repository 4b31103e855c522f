/** `/brag`: your open actions, a page at a time, each with its buttons (ephemeral). */
import type { KnownBlock } from '@slack/types';
import type { ActionCard } from '../../../core/chat.js';
import { ACTION_IDS } from '../ids.js';
import { ownerActionBlocks } from './action-blocks.js';
import { fitBlocks } from './limits.js';
import type { RenderedMessage } from './outbound.js';
import { bragCounts } from './outbound.js';
import { plural } from './text.js';

export const BRAG_PAGE_SIZE = 20;

export function pageCount(total: number): number {
  return Math.max(1, Math.ceil(total / BRAG_PAGE_SIZE));
}

export function renderBragList(cards: readonly ActionCard[], versions: ReadonlyMap<string, string>, page: number, notice?: string): RenderedMessage {
  const pages = pageCount(cards.length);
  const p = Math.min(Math.max(0, page), pages - 1);
  const shown = cards.slice(p * BRAG_PAGE_SIZE, (p + 1) * BRAG_PAGE_SIZE);
  const overdue = cards.filter((c) => c.daysOverdue > 0).length;
  const head = cards.length
    ? `*Your open actions: ${cards.length}* (${bragCounts(cards)}${overdue ? ` · ${overdue} overdue` : ''})${pages > 1 ? ` · page ${p + 1} of ${pages}` : ''}`
    : 'You have no open actions. :tada:';
  const blocks: KnownBlock[] = [{ type: 'section', block_id: 'intro', text: { type: 'mrkdwn', text: notice ? `${notice}\n${head}` : head } }];
  for (const card of shown) blocks.push(...ownerActionBlocks(card, versions.get(card.actionId), { showGroup: true, page: p }));
  if (pages > 1) {
    const nav = [];
    if (p > 0) nav.push({ type: 'button' as const, action_id: `${ACTION_IDS.bragPage}.prev`, text: { type: 'plain_text' as const, text: '← Previous' }, value: JSON.stringify({ p: p - 1 }) });
    if (p < pages - 1) nav.push({ type: 'button' as const, action_id: `${ACTION_IDS.bragPage}.next`, text: { type: 'plain_text' as const, text: 'Next →' }, value: JSON.stringify({ p: p + 1 }) });
    blocks.push({ type: 'actions', block_id: 'nav', elements: nav });
  }
  return { text: cards.length ? `${plural(cards.length, 'open action')}` : 'No open actions', blocks: fitBlocks(blocks) };
}
