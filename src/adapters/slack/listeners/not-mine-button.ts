/** "Not mine": written to the inbox, acknowledged, then the person stops owning the action; the planner tells the chair (once). The interactions service decides. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { refuse } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { notMineKey } from '../idempotency.js';
import { ACTION_IDS, ActionButtonValue, parseJson } from '../ids.js';
import { receiveClick } from '../inbox.js';
import { sourceOf } from '../message-update.js';
import { clickEphemeral, clickerKeyOf, clickLogger, UNKNOWN_BUTTON, type ButtonArgs } from './common.js';

export async function handleNotMineButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  const { body, action } = args;
  const log = clickLogger(deps, body, action);
  const say = clickEphemeral(args);
  const value = parseJson(ActionButtonValue, action.value);
  if (!value) {
    await args.ack();
    return refuse(log, say, UNKNOWN_BUTTON, { malformed: true });
  }
  const source = sourceOf(body, value.p);
  await receiveClick(deps, args, {
    log, say, page: value.p, kind: 'not-mine',
    key: notMineKey({ actionId: value.a, userId: clickerKeyOf(deps, body), messageTs: source.ts ?? action.action_ts }),
    input: { actionId: value.a },
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.notMine, async ({ ack, body, action, client, respond }) => {
    await handleNotMineButton(deps, { ack, body, action, client, respond });
  });
}
