/**
 * The progress form's Save: its inputs as the interactions service's progress values. A problem
 * (a limit, a date) sends the form back with the sentence and what was typed (when it fits);
 * a save re-renders the card it came from.
 */
import { describeProgress, openProgressForm, submitProgress } from '../../../../services/interactions/index.js';
import type { StatusLine } from '../../cards/action.js';
import { renderProgressForm, TEAMS_PREFILL_MAX } from '../../cards/interactive.js';
import { TEAMS_STYLE } from '../../cards/style.js';
import { ukSlashDate } from '../../cards/text.js';
import { progressKey } from '../../idempotency.js';
import { INPUTS, VERBS } from '../../ids.js';
import { need, refusedCard, type ClickHandler } from './click.js';

export const verb = VERBS.progressSave;

const opt = (s: string | undefined): string | undefined => (s !== undefined && s.trim() !== '' ? s : undefined);

export const handle: ClickHandler = async (c) => {
  const actionId = need(c.click.data.a, 'action');
  const i = c.click.inputs;
  const typed = { status: opt(i[INPUTS.status]), progress: opt(i[INPUTS.progress]), evidence: opt(i[INPUTS.evidence]), note: opt(i[INPUTS.note]) };
  const revised = opt(i[INPUTS.revisedDue]);
  // Input.Date answers YYYY-MM-DD; the recorded raw date is written UK-style, as plans write it.
  const revisedDue = revised ? ukSlashDate(revised) ?? revised : undefined;
  const key = progressKey({ actionId, version: c.click.data.v, userId: c.who.actor.userId, form: { ...typed, revised }, fallbackId: c.click.messageId });
  const out = await submitProgress(c.deps.db, { workspaceId: c.deps.workspaceId, caller: c.caller, channel: 'teams', now: c.now, actionId, values: { ...typed, revisedDue }, idempotencyKey: key });
  if (out.kind === 'refused') return refusedCard(c, out, true);
  if (out.kind === 'invalid') {
    c.log.info({ fields: Object.keys(out.errors) }, 'teams: progress form rejected');
    const form = await openProgressForm(c.deps.db, { workspaceId: c.deps.workspaceId, caller: c.caller, channel: 'teams', now: c.now, actionId, prefillMax: TEAMS_PREFILL_MAX });
    if (form.kind === 'refused') return refusedCard(c, form, true);
    return { card: renderProgressForm(form, c.click.scope, { text: describeProgress(out, TEAMS_STYLE), tone: 'warning' }, typed), outcome: 'invalid' };
  }
  c.log.info({ outcome: out.kind }, 'teams: progress saved');
  const status: StatusLine = { text: describeProgress(out, TEAMS_STYLE), ...(out.kind === 'unchanged' ? {} : { tone: 'good' as const }) };
  return { card: await c.rerender({ statuses: new Map([[actionId, status]]) }), outcome: out.kind };
};
