/**
 * Universal Actions: an Action.Execute click arrives as an `adaptiveCard/action` invoke and is
 * answered with the refreshed card, which Teams shows in place to the person who clicked.
 * Always a card, never an HTTP error: Teams shows a bare "Something went wrong" for those.
 */
import type { AdaptiveCardActionResponse } from '@microsoft/teams.api';
import type { App } from '@microsoft/teams.apps';
import { CARD_CONTENT_TYPE } from '../cards/elements.js';
import { renderNotice } from '../cards/interactive.js';
import type { HandlerDeps } from '../deps.js';
import { handleClick, readClick, type ClickResult } from './clicks/index.js';
import { turnFromContext, type Turn } from './turn.js';

export function invokeValue(turn: Turn): { verb?: unknown; data?: unknown } {
  const v = turn.activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined;
  return { verb: v?.action?.verb, data: v?.action?.data };
}

export async function handleCardAction(deps: HandlerDeps, turn: Turn): Promise<ClickResult> {
  const { verb, data } = invokeValue(turn);
  const click = readClick(verb, data, turn.activity.replyToId ?? turn.activity.id ?? '');
  if (!click) {
    turn.log.warn({ refused: true, reason: 'malformed' }, 'teams: card action not understood');
    return { card: renderNotice('Not understood', 'That button is not one bragbot understands (the card may be from an older version). Type **my actions** for a fresh list.', 'warning'), outcome: 'malformed' };
  }
  return handleClick(deps, turn, click);
}

export function toInvokeResponse(result: ClickResult): AdaptiveCardActionResponse {
  return { statusCode: 200, type: CARD_CONTENT_TYPE, value: result.card };
}

export function register(app: App, deps: HandlerDeps): void {
  app.on('card.action', async (ctx) => toInvokeResponse(await handleCardAction(deps, turnFromContext(deps, ctx))));
}
