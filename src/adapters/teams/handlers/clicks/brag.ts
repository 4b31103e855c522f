/** Blue / Green / Amber / Red: a BRAG click through the inbox for the interactions service; the card re-rendered with what it decided. */
import { bragKey } from '../../idempotency.js';
import { VERBS } from '../../ids.js';
import { need, type ClickHandler } from './click.js';
import { inboxed } from './inboxed.js';

export const verb = VERBS.brag;

export const handle: ClickHandler = async (c) => {
  const actionId = need(c.click.data.a, 'action');
  const brag = need(c.click.data.b, 'status');
  const version = c.click.data.v;
  return inboxed(c, {
    kind: 'brag', actionId,
    key: bragKey({ actionId, brag, version, userId: c.who.actor.userId, fallbackId: c.click.messageId }),
    input: { actionId, brag, ...(version !== undefined ? { version } : {}) },
  });
};
