/** "Not mine": the person stops owning the action; the planner tells the chair (once). The interactions service decides. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { describeHandBack, handBack } from '../../../services/interactions/index.js';
import type { HandlerDeps } from '../deps.js';
import { notMineKey } from '../idempotency.js';
import { ACTION_IDS } from '../ids.js';
import { showOutcome, sourceOf } from '../message-update.js';
import { SLACK_STYLE } from '../render/style.js';
import { UNKNOWN_BUTTON, onActionButton, sayRefused, type ButtonArgs } from './common.js';

export async function handleNotMineButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  const { body, action } = args;
  await onActionButton(deps, args, UNKNOWN_BUTTON, async (click) => {
    const { value, caller, person, log, say } = click;
    const source = sourceOf(body, value.p);
    const key = notMineKey({ actionId: value.a, userId: body.user.id, messageTs: source.ts ?? action.action_ts });
    const out = await handBack(deps.db, { workspaceId: deps.workspaceId, caller, channel: 'slack', now: deps.clock(), actionId: value.a, idempotencyKey: key });
    const status = describeHandBack(out, SLACK_STYLE);
    if (out.kind === 'refused' || !person) return sayRefused(click, out.kind === 'refused' ? out : { code: 'NOT_KNOWN' }, status);
    log.info({ actionId: value.a, outcome: out.kind }, 'slack: not mine');
    const shown = await showOutcome(deps, args.client, source, { actionId: value.a, personId: person.id, status, mode: 'closed' });
    if (!shown) await say(status);
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.notMine, async ({ ack, body, action, client, respond }) => {
    await handleNotMineButton(deps, { ack, body, action, client, respond });
  });
}
