/**
 * The progress modal's submission: translated into the interactions service's progress input,
 * which authorises first, checks every field (limits, status, date) and records once per modal
 * (key: the view id). A refusal or a problem is shown in the modal (`response_action: errors`)
 * before Slack's 3 seconds are up, and nothing is written; after a save, the message the modal
 * was opened from is updated in place.
 */
import type { App, ViewOutput, ViewResponseAction, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { describeProgress, describeRefusal, submitProgress, type ProgressField, type ProgressValues } from '../../../services/interactions/index.js';
import { callerOf } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { modalKey } from '../idempotency.js';
import { CALLBACK_IDS, parseJson, ProgressModalMeta } from '../ids.js';
import { showOutcome } from '../message-update.js';
import { PROGRESS_FIELDS } from '../render/modal.js';
import { SLACK_STYLE } from '../render/style.js';
import { clamp } from '../render/text.js';
import { userTeamOf } from './common.js';

export interface ViewSubmitArgs {
  ack: (response?: ViewResponseAction) => Promise<void>;
  body: { user: { id: string }; team: { id: string } | null; view: ViewOutput };
  view: ViewOutput;
  client: WebClient;
}

type Values = ViewOutput['state']['values'];
const textOf = (values: Values, f: { block: string; action: string }): string | undefined => {
  const v = values[f.block]?.[f.action]?.value;
  return typeof v === 'string' ? v : undefined;
};

/** The form's values as typed (the service decides what they mean). */
export function readProgressForm(values: Values): ProgressValues {
  const selected = values[PROGRESS_FIELDS.status.block]?.[PROGRESS_FIELDS.status.action]?.selected_option?.value;
  return {
    status: typeof selected === 'string' ? selected : undefined,
    progress: textOf(values, PROGRESS_FIELDS.progress),
    evidence: textOf(values, PROGRESS_FIELDS.evidence),
    revisedDue: textOf(values, PROGRESS_FIELDS.revisedDue),
    note: textOf(values, PROGRESS_FIELDS.note),
  };
}

/** The modal block that shows a field's error. */
const BLOCK_OF: Record<ProgressField, string> = {
  status: PROGRESS_FIELDS.status.block,
  progress: PROGRESS_FIELDS.progress.block,
  evidence: PROGRESS_FIELDS.evidence.block,
  revisedDue: PROGRESS_FIELDS.revisedDue.block,
  note: PROGRESS_FIELDS.note.block,
};

/** Slack shows a block's error under it; keep it to a readable length (our own sentences are shorter). */
const errorText = (s: string): string => clamp(s, 300);

export async function handleProgressSubmit(deps: HandlerDeps, args: ViewSubmitArgs): Promise<void> {
  const { body, view } = args;
  const log = deps.logger.child({ slack: { kind: 'view_submission', user: body.user.id, team: body.team?.id, viewId: view.id } });
  const meta = parseJson(ProgressModalMeta, view.private_metadata);
  if (!meta) {
    log.warn({ refused: true }, 'slack: progress modal without readable metadata');
    await args.ack({ response_action: 'errors', errors: { [PROGRESS_FIELDS.status.block]: 'This form is out of date: close it and click Update progress… again.' } });
    return;
  }
  const { caller, person } = await callerOf(deps, body.user.id, userTeamOf(body));
  const now = deps.clock();
  const out = await submitProgress(deps.db, {
    workspaceId: deps.workspaceId, caller, channel: 'slack', now, actionId: meta.a, values: readProgressForm(view.state.values), idempotencyKey: modalKey(view.id),
  });
  if (out.kind === 'refused') {
    log.warn({ refused: true, code: out.code, actionId: meta.a }, 'slack interaction refused');
    await args.ack({ response_action: 'errors', errors: { [PROGRESS_FIELDS.status.block]: errorText(describeRefusal(out, { ...SLACK_STYLE, icon: () => '' }, true)) } });
    return;
  }
  if (out.kind === 'invalid') {
    log.info({ actionId: meta.a, fields: Object.keys(out.errors) }, 'slack: progress form rejected');
    const errors: Record<string, string> = {};
    for (const [field, message] of Object.entries(out.errors) as [ProgressField, string][]) errors[BLOCK_OF[field]] = errorText(message);
    await args.ack({ response_action: 'errors', errors });
    return;
  }
  await args.ack();
  log.info({ actionId: meta.a, outcome: out.kind }, 'slack: progress submitted');
  if (!person) return;
  const status = describeProgress(out, SLACK_STYLE);
  try {
    const source = meta.u ? { ephemeral: true, responseUrl: meta.u, page: meta.p } : { ephemeral: false, channel: meta.c, ts: meta.t };
    const shown = await showOutcome(deps, args.client, source, { actionId: meta.a, personId: person.id, status, mode: 'open' });
    if (!shown) log.info({ actionId: meta.a }, 'slack: recorded, but the source message could not be updated');
  } catch (e) {
    // Recorded already; failing to redraw the message must not look like a failed save.
    log.warn({ err: e, actionId: meta.a }, 'slack: could not update the source message');
  }
}

export function register(app: App, deps: HandlerDeps): void {
  app.view<ViewSubmitAction>({ callback_id: CALLBACK_IDS.progressModal, type: 'view_submission' }, async ({ ack, body, view, client }) => {
    await handleProgressSubmit(deps, { ack, body, view, client });
  });
}
