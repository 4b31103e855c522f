/**
 * Blue / Green / Amber / Red on a nudge or /brag: records the status once, in place.
 * See ../idempotency.ts for why the key is (action, status, version, user).
 */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { BRAG_LABEL, type Brag } from '../../../core/brag.js';
import { esc, bragMrkdwn, londonDay, londonTime } from '../render/text.js';
import { actionState } from '../../../services/actions.js';
import { authorizeActionChange, latestUpdateOf, recordUpdate, updateByKey } from '../../../services/status-updates.js';
import { NOT_MAPPED, personOf, refuse, withUserErrors } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { bragClickKey } from '../idempotency.js';
import { ActionButtonValue, BRAG_BUTTON_PATTERN, parseJson, versionOf } from '../ids.js';
import { showOutcome, sourceOf } from '../message-update.js';
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
    const person = await personOf(deps, body.user.id);
    if (!person) return refuse(log, say, NOT_MAPPED, fields);
    // Checked on every click: the action must be in this workspace and the clicker allowed.
    await authorizeActionChange(deps.db, deps.workspaceId, value.a, person.id);
    const key = bragClickKey({ actionId: value.a, brag, version: value.v, userId: body.user.id, actionTs: action.action_ts });
    const now = deps.clock();
    let status: string;
    const prior = await updateByKey(deps.db, key);
    const state = await actionState(deps.db, deps.workspaceId, value.a);
    if (prior) {
      status = `:white_check_mark: Already recorded: ${bragMrkdwn(prior.toBrag as Brag)} by ${esc(prior.actorName)} at ${londonTime(prior.at)}.`;
      log.info({ ...fields, outcome: 'duplicate' }, 'slack: repeated click ignored');
    } else if (state && value.v !== undefined && versionOf(state.updatedAt) !== value.v && state.brag !== brag) {
      // A stale button: someone changed the action since this message was rendered.
      const last = await latestUpdateOf(deps.db, value.a);
      const who = last ? ` (by ${esc(last.actorName)}, ${londonDay(last.at)} ${londonTime(last.at)})` : '';
      status = `:warning: This action changed since this message was sent${who}: it is now ${bragMrkdwn(state.brag as Brag)}. Nothing was recorded; click again if you still want ${BRAG_LABEL[brag]}.`;
      log.info({ ...fields, outcome: 'stale' }, 'slack: stale button');
    } else {
      const out = await recordUpdate(deps.db, { workspaceId: deps.workspaceId, actionId: value.a, personId: person.id, channel: 'slack', brag, idempotencyKey: key, now });
      if (out.status === 'unchanged') status = `It is already ${bragMrkdwn(out.brag)}: nothing to change.`;
      else if (out.status === 'duplicate') status = `:white_check_mark: Already recorded: ${bragMrkdwn(out.toBrag)}.`;
      else status = `:white_check_mark: Recorded ${bragMrkdwn(out.toBrag)}${out.fromBrag !== out.toBrag ? ` (was ${BRAG_LABEL[out.fromBrag]})` : ''} by ${esc(person.name)} at ${londonTime(now)}.`;
      log.info({ ...fields, outcome: out.status }, 'slack: status click');
    }
    const shown = await showOutcome(deps, args.client, sourceOf(body, value.p), { actionId: value.a, personId: person.id, status, mode: 'open' });
    if (!shown) await say(status);
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(BRAG_BUTTON_PATTERN, async ({ ack, body, action, client, respond }) => {
    await handleBragButton(deps, { ack, body, action, client, respond });
  });
}
