/** "Snooze a week": no reminders about this action to this person for SNOOZE_DAYS (the interactions service decides). */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { describeSnooze, snoozeReminders } from '../../../services/interactions/index.js';
import type { HandlerDeps } from '../deps.js';
import { ACTION_IDS } from '../ids.js';
import { showOutcome, sourceOf } from '../message-update.js';
import { SLACK_STYLE } from '../render/style.js';
import { UNKNOWN_BUTTON, onActionButton, sayRefused, type ButtonArgs } from './common.js';

export async function handleSnoozeButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  const { body } = args;
  await onActionButton(deps, args, UNKNOWN_BUTTON, async (click) => {
    const { value, caller, person, log, say } = click;
    const out = await snoozeReminders(deps.db, { workspaceId: deps.workspaceId, caller, channel: 'slack', now: deps.clock(), actionId: value.a });
    const status = describeSnooze(out, SLACK_STYLE);
    if (out.kind === 'refused' || !person) return sayRefused(click, out.kind === 'refused' ? out : { code: 'NOT_KNOWN' }, status);
    log.info({ actionId: value.a }, 'slack: snoozed');
    const shown = await showOutcome(deps, args.client, sourceOf(body, value.p), { actionId: value.a, personId: person.id, status, mode: 'open' });
    if (!shown) await say(status);
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.snooze, async ({ ack, body, action, client, respond }) => {
    await handleSnoozeButton(deps, { ack, body, action, client, respond });
  });
}
