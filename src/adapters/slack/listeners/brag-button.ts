/**
 * Blue / Green / Amber / Red on a nudge or /brag: written to the inbox, acknowledged, then a
 * BRAG click for the interactions service (which decides: recorded, already recorded, stale,
 * unchanged, refused) and its outcome shown in place (../inbox.ts). See ../idempotency.ts for
 * why the key is (action, status, version, user).
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { Brag } from '../../../core/brag.js';
import { refuse } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { bragClickKey } from '../idempotency.js';
import { ActionButtonValue, BRAG_BUTTON_PATTERN, parseJson } from '../ids.js';
import { receiveClick } from '../inbox.js';
import { clickEphemeral, clickerKeyOf, clickLogger, type ButtonArgs } from './common.js';

export async function handleBragButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  const { body, action } = args;
  const log = clickLogger(deps, body, action);
  const say = clickEphemeral(args);
  const brag = BRAG_BUTTON_PATTERN.exec(action.action_id)?.[1] as Exclude<Brag, 'unrated'> | undefined;
  const value = parseJson(ActionButtonValue, action.value);
  if (!brag || !value) {
    await args.ack();
    await refuse(log, say, 'That button is not one bragbot understands (the message may be from an older version). Use `/brag` to see your actions.', { malformed: true });
    return;
  }
  await receiveClick(deps, args, {
    log, say, page: value.p, kind: 'brag',
    key: bragClickKey({ actionId: value.a, brag, version: value.v, userId: clickerKeyOf(deps, body), actionTs: action.action_ts }),
    input: { actionId: value.a, brag, ...(value.v !== undefined ? { version: value.v } : {}) },
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(BRAG_BUTTON_PATTERN, async ({ ack, body, action, client, respond }) => {
    await handleBragButton(deps, { ack, body, action, client, respond });
  });
}
