/** "Snooze a week": no reminders about this action to this person for seven days. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { snooze } from '../../../services/status-updates.js';
import type { HandlerDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { showOutcome, sourceOf } from '../message-update.js';
import { londonDay } from '../render/text.js';
import { UNKNOWN_BUTTON, onActionButton, type ButtonArgs } from './common.js';

export const SNOOZE_DAYS = 7;

export async function handleSnoozeButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  const { body } = args;
  await onActionButton(deps, args, UNKNOWN_BUTTON, async ({ value, person, log, say }) => {
    // An upsert of "until": a repeated click moves nothing that matters, so no key is needed.
    const now = deps.clock();
    const until = new Date(now.getTime() + SNOOZE_DAYS * 86_400_000);
    await snooze(deps.db, deps.workspaceId, value.a, person.id, until, now);
    log.info({ actionId: value.a }, 'slack: snoozed');
    const status = `:zzz: Snoozed until ${londonDay(until)}: no reminders to you about this until then.`;
    const shown = await showOutcome(deps, args.client, sourceOf(body, value.p), { actionId: value.a, personId: person.id, status, mode: 'open' });
    if (!shown) await say(status);
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.snooze, async ({ ack, body, action, client, respond }) => {
    await handleSnoozeButton(deps, { ack, body, action, client, respond });
  });
}
