/** "Update progress…": opens the modal (status, where are we now, evidence, revised date, note). */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { londonDate } from '../../../core/calendar.js';
import { actionState, getActionCard } from '../../../services/actions.js';
import { authorizeActionChange } from '../../../services/status-updates.js';
import { refuse } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { ACTION_IDS, type ProgressModalMeta } from '../ids.js';
import { sourceOf } from '../message-update.js';
import { progressModal } from '../render/modal.js';
import { UNKNOWN_BUTTON, onActionButton, type ButtonArgs } from './common.js';

export async function handleProgressButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  const { body } = args;
  await onActionButton(deps, args, UNKNOWN_BUTTON, async ({ value, person, log, say }) => {
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
