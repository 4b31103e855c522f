/**
 * Blue / Green / Amber / Red on a nudge or /brag: translated into a BRAG click for the
 * interactions service (which decides: recorded, already recorded, stale, unchanged, refused)
 * and its outcome shown in place. See ../idempotency.ts for why the key is (action, status,
 * version, user).
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Brag } from '../../../core/brag.js';
import { describeBragClick, recordBragClick } from '../../../services/interactions/index.js';
import { callerOf, refuse, withUserErrors } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { bragClickKey } from '../idempotency.js';
import { ActionButtonValue, BRAG_BUTTON_PATTERN, parseJson } from '../ids.js';
import { showOutcome, sourceOf } from '../message-update.js';
import { SLACK_STYLE } from '../render/style.js';
import { clickEphemeral, clickLogger, type ButtonArgs } from './common.js';

export async function handleBragButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  await args.ack();
  const { body, action } = args;
  const log = clickLogger(deps, body, action);
  const say = clickEphemeral(args);
  const brag = BRAG_BUTTON_PATTERN.exec(action.action_id)?.[1] as Exclude<Brag, 'unrated'> | undefined;
  const value = parseJson(ActionButtonValue, action.value);
  if (!brag || !value) {
    await refuse(log, say, 'That button is not one bragbot understands (the message may be from an older version). Use `/brag` to see your actions.', { malformed: true });
    return;
  }
  const fields = { actionId: value.a, brag };
  await withUserErrors(log, say, fields, async () => {
    const { caller, person } = await callerOf(deps, body.user.id);
    const out = await recordBragClick(deps.db, {
      workspaceId: deps.workspaceId, caller, channel: 'slack', now: deps.clock(), actionId: value.a, brag, version: value.v,
      idempotencyKey: bragClickKey({ actionId: value.a, brag, version: value.v, userId: body.user.id, actionTs: action.action_ts }),
    });
    const status = describeBragClick(out, SLACK_STYLE);
    if (out.kind === 'refused' || !person) {
      log.warn({ ...fields, refused: true, code: out.kind === 'refused' ? out.code : 'NOT_KNOWN' }, 'slack interaction refused');
      return say(status);
    }
    log.info({ ...fields, outcome: out.kind }, 'slack: status click');
    const shown = await showOutcome(deps, args.client, sourceOf(body, value.p), { actionId: value.a, personId: person.id, status, mode: 'open' });
    if (!shown) await say(status);
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(BRAG_BUTTON_PATTERN, async ({ ack, body, action, client, respond }) => {
    await handleBragButton(deps, { ack, body, action, client, respond });
  });
}
