/**
 * The progress modal's submission: validated before Slack's 3 seconds are up (a bad date or a
 * refusal is shown in the modal), recorded once per modal (key: the view id), then the
 * message the modal was opened from is updated in place.
 */
import type { App, ViewOutput, ViewResponseAction, ViewSubmitAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { isBrag, type Brag } from '../../../core/brag.js';
import { parseDueDate } from '../../../core/due-date.js';
import { isBragbotError } from '../../../core/errors.js';
import { recordUpdate, type UpdateOutcome } from '../../../services/status-updates.js';
import { NOT_MAPPED, personOf } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { modalKey } from '../idempotency.js';
import { CALLBACK_IDS, parseJson, ProgressModalMeta } from '../ids.js';
import { showOutcome } from '../message-update.js';
import { PROGRESS_FIELDS } from '../render/modal.js';
import { bragMrkdwn, esc, londonTime } from '../render/text.js';

export interface ViewSubmitArgs {
  ack: (response?: ViewResponseAction) => Promise<void>;
  body: { user: { id: string }; team: { id: string } | null; view: ViewOutput };
  view: ViewOutput;
  client: WebClient;
}

type Values = ViewOutput['state']['values'];
const textOf = (values: Values, f: { block: string; action: string }): string | undefined => {
  const v = values[f.block]?.[f.action]?.value;
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
};

export interface ProgressInput {
  brag?: Brag | undefined;
  progress?: string | undefined;
  evidence?: string | undefined;
  revisedDue?: string | undefined;
  note?: string | undefined;
}

/** Reads and checks the form; errors keyed by block id, as Slack shows them under each input. */
export function readProgressForm(values: Values): { input: ProgressInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const selected = values[PROGRESS_FIELDS.status.block]?.[PROGRESS_FIELDS.status.action]?.selected_option?.value;
  const brag = isBrag(selected) && selected !== 'unrated' ? selected : undefined;
  if (selected !== undefined && selected !== null && brag === undefined) errors[PROGRESS_FIELDS.status.block] = 'Choose Blue, Green, Amber or Red.';
  const revisedDue = textOf(values, PROGRESS_FIELDS.revisedDue);
  if (revisedDue !== undefined) {
    const parsed = parseDueDate(revisedDue);
    const why = !parsed.ok ? parsed.reason : parsed.due.kind === 'unknown' ? `"${revisedDue.trim().slice(0, 40)}" is not a date` : null;
    if (why) errors[PROGRESS_FIELDS.revisedDue.block] = `${why}. Use day/month/year (31/03/2027), a month (Mar-27) or Ongoing.`.slice(0, 150);
  }
  return {
    input: { brag, progress: textOf(values, PROGRESS_FIELDS.progress), evidence: textOf(values, PROGRESS_FIELDS.evidence), revisedDue, note: textOf(values, PROGRESS_FIELDS.note) },
    errors,
  };
}

function describe(out: Extract<UpdateOutcome, { status: 'recorded' | 'duplicate' }>, input: ProgressInput): string {
  const parts = [`status ${bragMrkdwn(out.toBrag)}`];
  if (input.progress) parts.push('where we are now');
  if (input.evidence) parts.push('evidence');
  if (input.revisedDue) parts.push(`revised date ${esc(input.revisedDue.trim())}`);
  if (input.note) parts.push('a note');
  return parts.join(', ');
}

export async function handleProgressSubmit(deps: HandlerDeps, args: ViewSubmitArgs): Promise<void> {
  const { body, view } = args;
  const log = deps.logger.child({ slack: { kind: 'view_submission', user: body.user.id, team: body.team?.id, viewId: view.id } });
  const meta = parseJson(ProgressModalMeta, view.private_metadata);
  if (!meta) {
    log.warn({ refused: true }, 'slack: progress modal without readable metadata');
    await args.ack({ response_action: 'errors', errors: { [PROGRESS_FIELDS.status.block]: 'This form is out of date: close it and click Update progress… again.' } });
    return;
  }
  const { input, errors } = readProgressForm(view.state.values);
  if (Object.keys(errors).length) {
    await args.ack({ response_action: 'errors', errors });
    return;
  }
  const person = await personOf(deps, body.user.id);
  if (!person) {
    log.warn({ refused: true, actionId: meta.a }, 'slack interaction refused');
    await args.ack({ response_action: 'errors', errors: { [PROGRESS_FIELDS.status.block]: NOT_MAPPED.slice(0, 150) } });
    return;
  }
  const now = deps.clock();
  let out: UpdateOutcome;
  try {
    // recordUpdate authorizes (owner, chair or admin of this workspace's action) before writing.
    out = await recordUpdate(deps.db, { workspaceId: deps.workspaceId, actionId: meta.a, personId: person.id, channel: 'slack', ...input, idempotencyKey: modalKey(view.id), now });
  } catch (e) {
    if (!isBragbotError(e)) throw e;
    const block = e.code === 'INPUT_INVALID' ? PROGRESS_FIELDS.revisedDue.block : PROGRESS_FIELDS.status.block;
    log.warn({ refused: true, code: e.code, actionId: meta.a }, 'slack interaction refused');
    await args.ack({ response_action: 'errors', errors: { [block]: e.message.slice(0, 150) } });
    return;
  }
  await args.ack();
  log.info({ actionId: meta.a, outcome: out.status }, 'slack: progress submitted');
  const status = out.status === 'unchanged'
    ? 'Nothing had changed, so nothing new was recorded.'
    : `:white_check_mark: ${esc(person.name)} updated ${describe(out, input)} at ${londonTime(now)}.`;
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
