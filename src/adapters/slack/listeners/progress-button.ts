/** "Update progress…": opens the modal (status, where are we now, evidence, revised date, note). */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { londonDate } from '../../../core/london.js';
import { actionState, getActionCard } from '../../../services/actions.js';
import { authorizeActionChange } from '../../../services/status-updates.js';
import { NOT_MAPPED, personOf, refuse, withUserErrors } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { ACTION_IDS, ActionButtonValue, parseJson, type ProgressModalMeta } from '../ids.js';
import { sourceOf } from '../message-update.js';
import { progressModal } from '../render/modal.js';
import { clickEphemeral, clickLogger, type ButtonArgs } from './common.js';

export async function handleProgressButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  await args.ack();
  const { body, action } = args;
  const log = clickLogger(deps, body, action);
  const say = clickEphemeral(args);
  const value = parseJson(ActionButtonValue, action.value);
  if (!value) return refuse(log, say, 'That button is not one bragbot understands. Use `/brag` to see your actions.', { malformed: true });
  await withUserErrors(log, say, { actionId: value.a }, async () => {
    const person = await personOf(deps, body.user.id);
    if (!person) return refuse(log, say, NOT_MAPPED, { actionId: value.a });
    // Refuse before showing a form the person could not save.
    await authorizeActionChange(deps.db, deps.workspaceId, value.a, person.id);
    const card = await getActionCard(deps.db, deps.workspaceId, value.a, londonDate(deps.clock()));
    const state = await actionState(deps.db, deps.workspaceId, value.a);
    if (!card || !state) return refuse(log, say, 'That action is not in your workspace’s plans (it may have been removed).', { actionId: value.a });
    const source = sourceOf(body, value.p);
    const meta: ProgressModalMeta = source.ephemeral
      ? { a: value.a, ...(source.responseUrl ? { u: source.responseUrl } : {}), ...(value.p !== undefined ? { p: value.p } : {}) }
      : { a: value.a, ...(source.channel ? { c: source.channel } : {}), ...(source.ts ? { t: source.ts } : {}) };
    await args.client.views.open({ trigger_id: body.trigger_id, view: progressModal({ ...card, evidence: state.evidence }, JSON.stringify(meta)) });
    log.info({ actionId: value.a }, 'slack: progress modal opened');
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.progress, async ({ ack, body, action, client, respond }) => {
    await handleProgressButton(deps, { ack, body, action, client, respond });
  });
}
