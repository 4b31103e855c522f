/** "Not mine…": asks first (a second click confirms, as Slack's confirm dialog does); nothing is written. */
import { checkNotMine } from '../../../../services/interactions/index.js';
import { renderNotMineConfirm } from '../../cards/interactive.js';
import { VERBS } from '../../ids.js';
import { need, refusedCard, type ClickHandler } from './click.js';

export const verb = VERBS.notMineAsk;

export const handle: ClickHandler = async (c) => {
  const actionId = need(c.click.data.a, 'action');
  const out = await checkNotMine(c.deps.db, { workspaceId: c.deps.workspaceId, caller: c.caller, channel: 'teams', now: c.now, actionId });
  if (out.kind === 'refused') return refusedCard(c, out, false);
  return { card: renderNotMineConfirm(out.action, c.click.scope), outcome: 'shown' };
};
