/** "Update progress…": opens the modal (status, where are we now, evidence, revised date, note) the interactions service allows. */
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { describeRefusal, openProgressForm } from '../../../services/interactions/index.js';
import type { HandlerDeps } from '../deps.js';
import { ACTION_IDS, type ProgressModalMeta } from '../ids.js';
import { sourceOf } from '../message-update.js';
import { progressModal, SLACK_INPUT_MAX } from '../render/modal.js';
import { SLACK_STYLE } from '../render/style.js';
import { UNKNOWN_BUTTON, onActionButton, sayRefused, type ButtonArgs } from './common.js';

export async function handleProgressButton(deps: HandlerDeps, args: ButtonArgs): Promise<void> {
  const { body } = args;
  await onActionButton(deps, args, UNKNOWN_BUTTON, async (click) => {
    const { value, caller, log } = click;
    // Refused before showing a form the person could not save.
    const form = await openProgressForm(deps.db, { workspaceId: deps.workspaceId, caller, channel: 'slack', now: deps.clock(), actionId: value.a, prefillMax: SLACK_INPUT_MAX });
    if (form.kind === 'refused') return sayRefused(click, form, describeRefusal(form, SLACK_STYLE, false));
    const source = sourceOf(body, value.p);
    const meta: ProgressModalMeta = source.ephemeral
      ? { a: value.a, ...(source.responseUrl ? { u: source.responseUrl } : {}), ...(value.p !== undefined ? { p: value.p } : {}) }
      : { a: value.a, ...(source.channel ? { c: source.channel } : {}), ...(source.ts ? { t: source.ts } : {}) };
    await args.client.views.open({ trigger_id: body.trigger_id, view: progressModal(form, JSON.stringify(meta)) });
    log.info({ actionId: value.a, omitted: form.omitted.map((o) => o.field) }, 'slack: progress modal opened');
  });
}

export function register(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.progress, async ({ ack, body, action, client, respond }) => {
    await handleProgressButton(deps, { ack, body, action, client, respond });
  });
}
