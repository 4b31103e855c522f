/** "Hand it back": the person stops owning the action; the chair is told (once). The interactions service decides. */
import { describeHandBack, handBack } from '../../../../services/interactions/index.js';
import { TEAMS_STYLE } from '../../cards/style.js';
import { notMineKey } from '../../idempotency.js';
import { VERBS } from '../../ids.js';
import { need, refusedCard, type ClickHandler } from './click.js';

export const verb = VERBS.notMine;

export const handle: ClickHandler = async (c) => {
  const actionId = need(c.click.data.a, 'action');
  const key = notMineKey({ actionId, userId: c.who.actor.userId, messageId: c.click.messageId });
  const out = await handBack(c.deps.db, { workspaceId: c.deps.workspaceId, caller: c.caller, channel: 'teams', now: c.now, actionId, idempotencyKey: key });
  if (out.kind === 'refused') return refusedCard(c, out, true);
  c.log.info({ outcome: out.kind }, 'teams: not mine');
  return { card: await c.rerender({ statuses: new Map([[actionId, { text: describeHandBack(out, TEAMS_STYLE) }]]) }), outcome: out.kind };
};
