/**
 * Showing what was recorded, in place. A DM nudge (a normal message) is edited with
 * chat.update: only the clicked action's two blocks are replaced (fresh from the database,
 * with a status line and buttons carrying the new version), the rest stays as sent. An
 * ephemeral /brag list cannot be edited by ts, so its response_url re-renders the page.
 */
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { ActionCard } from '../../core/chat.js';
import { londonDate } from '../../core/calendar.js';
import { getActionCard, listPersonActions, versionsOf } from '../../services/actions.js';
import type { ShownAction } from '../../services/interactions/index.js';
import type { HandlerDeps } from './deps.js';
import { actionBlockId, actionIdOfBlock } from './ids.js';
import { closedActionBlocks, ownerActionBlocks } from './render/action-blocks.js';
import { renderBragList } from './render/brag-list.js';
import { fitBlocks } from './render/limits.js';

/** Where the interaction came from. */
export interface SourceMessage {
  ephemeral: boolean;
  channel?: string | undefined;
  ts?: string | undefined;
  /** The message as it is now (block_actions on a normal message carry it). */
  blocks?: KnownBlock[] | undefined;
  text?: string | undefined;
  responseUrl?: string | undefined;
  /** /brag page shown, for ephemeral lists. */
  page?: number | undefined;
}

interface BlockActionLike {
  container?: Record<string, unknown>;
  channel?: { id: string };
  message?: { ts: string; text?: string; blocks?: unknown };
  response_url?: string;
}

export function sourceOf(body: BlockActionLike, page?: number): SourceMessage {
  const c = body.container ?? {};
  const ephemeral = c.is_ephemeral === true || body.message === undefined;
  return {
    ephemeral,
    channel: typeof c.channel_id === 'string' ? c.channel_id : body.channel?.id,
    ts: typeof c.message_ts === 'string' ? c.message_ts : body.message?.ts,
    blocks: Array.isArray(body.message?.blocks) ? (body.message.blocks as KnownBlock[]) : undefined,
    text: body.message?.text,
    responseUrl: body.response_url,
    page,
  };
}

/** Replaces an action's card and buttons; null when the message does not show that action. */
export function replaceActionBlocks(blocks: readonly KnownBlock[], actionId: string, replacement: readonly KnownBlock[]): KnownBlock[] | null {
  const idx = blocks.findIndex((b) => b.block_id === actionBlockId(actionId, 'card'));
  if (idx < 0) return null;
  const next = blocks[idx + 1];
  const span = next && actionIdOfBlock(next.block_id)?.actionId === actionId ? 2 : 1;
  return [...blocks.slice(0, idx), ...replacement, ...blocks.slice(idx + span)];
}

/** POST to a response_url (valid 30 minutes, 5 uses): what Bolt's respond() does, for a stored URL. */
export async function postToResponseUrl(url: string, payload: Record<string, unknown>): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
}

/** Re-reads a normal message (a DM nudge) when the payload did not carry it (modal submissions). */
async function fetchBlocks(client: WebClient, channel: string, ts: string): Promise<{ blocks: KnownBlock[]; text?: string } | null> {
  const res = await client.conversations.history({ channel, latest: ts, oldest: ts, inclusive: true, limit: 1 });
  const m = res.messages?.find((x) => x.ts === ts);
  if (!m || !Array.isArray(m.blocks)) return null;
  return { blocks: m.blocks as KnownBlock[], ...(m.text !== undefined ? { text: m.text } : {}) };
}

export interface Outcome {
  actionId: string;
  personId: string;
  /** A line of mrkdwn: what happened. */
  status: string;
  /** 'open': keep the buttons (re-versioned); 'closed': the action is no longer theirs. */
  mode: 'open' | 'closed';
  /** The action as the click left it (the one-statement click returns it): not read again. */
  shown?: ShownAction | undefined;
}

/**
 * Shows the outcome where the person clicked. Returns false when it could not (the caller then
 * says it ephemerally instead).
 */
export async function showOutcome(deps: HandlerDeps, client: WebClient, source: SourceMessage, o: Outcome): Promise<boolean> {
  const today = londonDate(deps.clock());
  if (source.ephemeral) {
    if (!source.responseUrl) return false;
    const cards = await listPersonActions(deps.db, deps.workspaceId, o.personId, today);
    const versions = await versionsOf(deps.db, deps.workspaceId, cards.map((c) => c.actionId));
    const card = await getActionCard(deps.db, deps.workspaceId, o.actionId, today);
    const notice = card && !cards.some((c) => c.actionId === o.actionId) ? `${o.status} (${card.ref || 'action'} has left your open list.)` : o.status;
    const list = renderBragList(cards, versions, source.page ?? 0, notice);
    await postToResponseUrl(source.responseUrl, { replace_original: true, response_type: 'ephemeral', text: list.text, blocks: list.blocks });
    return true;
  }
  if (!source.channel || !source.ts) return false;
  const card = o.shown?.card ?? (await getActionCard(deps.db, deps.workspaceId, o.actionId, today));
  if (!card) return false;
  const current = source.blocks ? { blocks: source.blocks, text: source.text } : await fetchBlocks(client, source.channel, source.ts);
  if (!current) return false;
  const replacement = await actionBlocksFor(deps, card, o);
  const blocks = replaceActionBlocks(current.blocks, o.actionId, replacement);
  if (!blocks) return false;
  await client.chat.update({ channel: source.channel, ts: source.ts, text: current.text ?? 'Action updated', blocks: fitBlocks(blocks) });
  return true;
}

async function actionBlocksFor(deps: HandlerDeps, card: ActionCard, o: Outcome): Promise<KnownBlock[]> {
  if (o.mode === 'closed') return closedActionBlocks(card, o.status, { showGroup: true });
  const version = o.shown?.version ?? (await versionsOf(deps.db, deps.workspaceId, [card.actionId])).get(card.actionId);
  return ownerActionBlocks(card, version, { showGroup: true, status: o.status });
}
