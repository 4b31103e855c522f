/** "Snooze a week": no reminders to this person about this action for SNOOZE_DAYS (the interactions service decides). */
import { describeSnooze, snoozeReminders } from '../../../../services/interactions/index.js';
import { TEAMS_STYLE } from '../../cards/style.js';
import { VERBS } from '../../ids.js';
import { need, refusedCard, type ClickHandler } from './click.js';

export const verb = VERBS.snooze;

export const handle: ClickHandler = async (c) => {
  const actionId = need(c.click.data.a, 'action');
  const out = await snoozeReminders(c.deps.db, { workspaceId: c.deps.workspaceId, caller: c.caller, channel: 'teams', now: c.now, actionId });
  if (out.kind === 'refused') return refusedCard(c, out, true);
  c.log.info('teams: snoozed');
  return { card: await c.rerender({ statuses: new Map([[actionId, { text: describeSnooze(out, TEAMS_STYLE) }]]) }), outcome: 'snoozed' };
};
