/** "Details" on escalations and digests: the action and its recent history, to those who may read it. */
import { actionDetails } from '../../../../services/interactions/index.js';
import { renderDetails } from '../../cards/interactive.js';
import { VERBS } from '../../ids.js';
import { need, refusedCard, type ClickHandler } from './click.js';

export const verb = VERBS.details;

export const handle: ClickHandler = async (c) => {
  const actionId = need(c.click.data.a, 'action');
  const out = await actionDetails(c.deps.db, { workspaceId: c.deps.workspaceId, caller: c.caller, channel: 'teams', now: c.now, actionId, historyLimit: 8 });
  if (out.kind === 'refused') return refusedCard(c, out, false);
  return { card: renderDetails(out.action, out.history, c.click.scope), outcome: 'shown' };
};
