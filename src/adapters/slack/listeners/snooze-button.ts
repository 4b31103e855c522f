/** "Snooze a week": no reminders about this action to this person for seven days. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { snooze } from '../../../services/status-updates.js';
import { NOT_MAPPED, personOf, refuse, withUserErrors } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { ACTION_IDS, ActionButtonValue, parseJson } from '../ids.js';
import { showOutcome, sourceOf } from '../message-update.js';
import { londonDay } from '../render/text.js';
import { clickEphemeral, clickLogger, type ButtonArgs } from './common.js';

export const SNOOZE_DAYS = 7;

export async function handleSnoozeButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  await args.ack();
  const { body, action } = args;
  const log = clickLogger(deps, body, action);
  const say = clickEphemeral(args);
  const value = parseJson(ActionButtonValue, action.value);
  if (!value) return refuse(log, say, 'That button is not one bragbot understands. Use `/brag` to see your actions.', { malformed: true });
  await withUserErrors(log, say, { actionId: value.a }, async () => {
    const person = await personOf(deps, body.user.id);
    if (!person) return refuse(log, say, NOT_MAPPED, { actionId: value.a });
    // An upsert of "until": a repeated click moves nothing that matters, so no key is needed.
    const until = new Date(deps.clock().getTime() + SNOOZE_DAYS * 86_400_000);
    await snooze(deps.db, deps.workspaceId, value.a, person.id, until);
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
