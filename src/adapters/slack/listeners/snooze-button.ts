/** "Snooze a week": written to the inbox, acknowledged, then no reminders about this action to this person for SNOOZE_DAYS (the interactions service decides). */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { refuse } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { snoozeKey } from '../idempotency.js';
import { ACTION_IDS, ActionButtonValue, parseJson } from '../ids.js';
import { receiveClick } from '../inbox.js';
import { clickEphemeral, clickerKeyOf, clickLogger, UNKNOWN_BUTTON, type ButtonArgs } from './common.js';

export async function handleSnoozeButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  const { body, action } = args;
  const log = clickLogger(deps, body, action);
  const say = clickEphemeral(args);
  const value = parseJson(ActionButtonValue, action.value);
  if (!value) {
    await args.ack();
    return refuse(log, say, UNKNOWN_BUTTON, { malformed: true });
  }
  await receiveClick(deps, args, {
    log, say, page: value.p, kind: 'snooze',
    key: snoozeKey({ actionId: value.a, userId: clickerKeyOf(deps, body), actionTs: action.action_ts }),
    input: { actionId: value.a },
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.snooze, async ({ ack, body, action, client, respond }) => {
    await handleSnoozeButton(deps, { ack, body, action, client, respond });
  });
}
