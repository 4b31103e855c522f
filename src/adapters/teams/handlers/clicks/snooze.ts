/** "Snooze a week": through the inbox, no reminders to this person about this action for SNOOZE_DAYS (the interactions service decides). */
import { snoozeKey } from '../../idempotency.js';
import { VERBS } from '../../ids.js';
import { need, type ClickHandler } from './click.js';
import { inboxed } from './inboxed.js';

export const verb = VERBS.snooze;

export const handle: ClickHandler = async (c) => {
  const actionId = need(c.click.data.a, 'action');
  return inboxed(c, { kind: 'snooze', actionId, key: snoozeKey({ actionId, userId: c.who.actor.userId, activityId: c.turn.activity.id ?? c.click.messageId }), input: { actionId } });
};
