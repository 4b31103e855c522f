/** "Hand it back": through the inbox, the person stops owning the action; the chair is told (once). The interactions service decides. */
import { notMineKey } from '../../idempotency.js';
import { VERBS } from '../../ids.js';
import { need, type ClickHandler } from './click.js';
import { inboxed } from './inboxed.js';

export const verb = VERBS.notMine;

export const handle: ClickHandler = async (c) => {
  const actionId = need(c.click.data.a, 'action');
  return inboxed(c, { kind: 'not-mine', actionId, key: notMineKey({ actionId, userId: c.who.actor.userId, messageId: c.click.messageId }), input: { actionId } });
};
