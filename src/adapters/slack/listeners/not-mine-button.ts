/** "Not mine": the person stops owning the action; the planner tells the chair (once). */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { disclaim } from '../../../services/status-updates.js';
import type { HandlerDeps } from '../deps.js';
import { notMineKey } from '../idempotency.js';
import { ACTION_IDS } from '../ids.js';
import { showOutcome, sourceOf } from '../message-update.js';
import { UNKNOWN_BUTTON, onActionButton, type ButtonArgs } from './common.js';

export async function handleNotMineButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  const { body, action } = args;
  await onActionButton(deps, args, UNKNOWN_BUTTON, async ({ value, person, log, say }) => {
    const source = sourceOf(body, value.p);
    const key = notMineKey({ actionId: value.a, userId: body.user.id, messageTs: source.ts ?? action.action_ts });
    // disclaim authorizes (workspace, owner) and records a 'not-mine' update under the key.
    const out = await disclaim(deps.db, { workspaceId: deps.workspaceId, actionId: value.a, personId: person.id, channel: 'slack', idempotencyKey: key, now: deps.clock() });
    log.info({ actionId: value.a, outcome: out.status }, 'slack: not mine');
    const status = ':leftwards_arrow_with_hook: You are no longer an owner of this action; the group’s chair will be told so they can find the right person.';
    const shown = await showOutcome(deps, args.client, source, { actionId: value.a, personId: person.id, status, mode: 'closed' });
    if (!shown) await say(status);
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.notMine, async ({ ack, body, action, client, respond }) => {
    await handleNotMineButton(deps, { ack, body, action, client, respond });
  });
}
