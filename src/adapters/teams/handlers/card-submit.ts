/**
 * The Action.Submit fallback: a host without Universal Actions sends the click as a message
 * whose `value` is the button's data (with its verb). Handled exactly as an Action.Execute
 * click; the answer replaces the card by editing the message (for everyone in the chat, which
 * is the best a Submit can do).
 */
import type { App } from '@microsoft/teams.apps';
import type { HandlerDeps } from '../deps.js';
import { handleClick, readClick, type ClickResult } from './clicks/index.js';
import { turnFromContext, type Turn } from './turn.js';

export function isOurSubmit(turn: Pick<Turn, 'activity'>): boolean {
  const v = turn.activity.value as { bb?: unknown } | undefined;
  return turn.activity.type === 'message' && typeof v === 'object' && v !== null && v.bb === 1;
}

export async function handleCardSubmit(deps: HandlerDeps, turn: Turn): Promise<ClickResult | null> {
  const messageId = turn.activity.replyToId;
  const click = readClick(undefined, turn.activity.value, messageId ?? turn.activity.id ?? '');
  if (!click) {
    turn.log.warn({ refused: true, reason: 'malformed' }, 'teams: card submit not understood');
    return null;
  }
  const result = await handleClick(deps, turn, click);
  if (messageId) {
    try {
      await turn.update(messageId, { card: result.card });
      return result;
    } catch (e) {
      turn.log.warn({ err: e }, 'teams: could not update the card in place; replying instead');
    }
  }
  await turn.reply({ card: result.card });
  return result;
}

export function register(app: App, deps: HandlerDeps): void {
  app.on('message', async (ctx) => {
    const turn = turnFromContext(deps, ctx);
    if (!isOurSubmit(turn)) {
      await ctx.next();
      return;
    }
    await handleCardSubmit(deps, turn);
  });
}
