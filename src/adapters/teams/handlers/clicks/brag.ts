/** Blue / Green / Amber / Red: a BRAG click for the interactions service; the card re-rendered with what it decided. */
import { describeBragClick, recordBragClick, type BragClickOutcome } from '../../../../services/interactions/index.js';
import type { StatusLine } from '../../cards/action.js';
import { TEAMS_STYLE } from '../../cards/style.js';
import { bragKey } from '../../idempotency.js';
import { VERBS } from '../../ids.js';
import { need, refusedCard, type ClickHandler } from './click.js';

export const verb = VERBS.brag;

const TONE: Partial<Record<BragClickOutcome['kind'], StatusLine['tone']>> = { recorded: 'good', duplicate: 'good', stale: 'warning' };

export const handle: ClickHandler = async (c) => {
  const actionId = need(c.click.data.a, 'action');
  const brag = need(c.click.data.b, 'status');
  const out = await recordBragClick(c.deps.db, {
    workspaceId: c.deps.workspaceId, caller: c.caller, channel: 'teams', now: c.now, actionId, brag, version: c.click.data.v,
    idempotencyKey: bragKey({ actionId, brag, version: c.click.data.v, userId: c.who.actor.userId, fallbackId: c.click.messageId }),
  });
  if (out.kind === 'refused') return refusedCard(c, out, true);
  c.log.info({ brag, outcome: out.kind }, 'teams: status click');
  const status: StatusLine = { text: describeBragClick(out, TEAMS_STYLE), tone: TONE[out.kind] };
  return { card: await c.rerender({ statuses: new Map([[actionId, status]]) }), outcome: out.kind };
};
