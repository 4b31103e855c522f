/**
 * The action page (purpose 'action'): what a nudge card offers, as a plain form. The status in
 * one click (Blue / Green / Amber / Red), "Update progress" (status, where are we now, evidence,
 * revised date, a note), "Snooze a week" and "Not mine". Every decision is the interactions
 * service's, with channel 'web': the same limits, the same sentences as Slack and Teams.
 * The page carries the action's version from when it was shown, so a change someone else made
 * since is answered "this action changed since this page was sent", as a stale card is.
 * Someone who may see the action but not update it (a manager, from an escalation or a digest)
 * is shown the action and who can update it, with no form.
 */
import { BRAG_LABEL, BRAG_MEANING, type Brag } from '../../core/brag.js';
import { londonDate } from '../../core/calendar.js';
import { decideOnAction } from '../../services/access.js';
import { getActionCard } from '../../services/actions.js';
import {
  handBack, openProgressForm, recordBragClick, snoozeReminders, submitProgress, TEXT_LIMITS, SNOOZE_DAYS,
  type ProgressField, type ProgressValues, type SettableBrag,
} from '../../services/interactions/index.js';
import { html, type Html } from '../html.js';
import type { PageContent } from '../layout.js';
import type { LinkPage, LinkPost, LinkRequest } from '../link-page.js';
import { actionSummary, callerOf, followUpLink } from './common.js';

const SETTABLE: SettableBrag[] = ['blue', 'green', 'amber', 'red'];
const isSettable = (v: string | undefined): v is SettableBrag => SETTABLE.includes(v as SettableBrag);

const notice = (kind: 'done' | 'problem' | 'info', text: string): Html =>
  html`<div class="notice ${kind === 'info' ? '' : kind}" role="${kind === 'problem' ? 'alert' : 'status'}"><p>${text}</p></div>`;

interface FormState {
  values?: ProgressValues;
  errors?: Partial<Record<ProgressField, string>>;
}

async function renderPage(r: LinkRequest, top: Html | null, state: FormState = {}): Promise<PageContent> {
  const actionId = r.link.actionId ?? '';
  const form = await openProgressForm(r.ctx.db, { workspaceId: r.ctx.workspaceId, caller: callerOf(r.link), channel: 'web', now: r.now, actionId, prefillMax: TEXT_LIMITS.progress });
  if (form.kind === 'refused') {
    // Someone who may see the action but not change it (a manager sent an escalation or a
    // digest) is shown it, with who can update it; anyone else sees only the refusal.
    const read = await decideOnAction(r.ctx.db, { workspaceId: r.ctx.workspaceId, caller: callerOf(r.link), actionId, capability: 'action.read' });
    const card = read.allowed ? await getActionCard(r.ctx.db, r.ctx.workspaceId, actionId, londonDate(r.now)) : null;
    if (card) {
      const evidence = (await r.ctx.db.action.findUnique({ where: { id: actionId }, select: { evidence: true } }))?.evidence ?? '';
      return { title: `Action ${card.ref || ''}`.trim(), main: html`${top}${actionSummary({ ...card, evidence })}${notice('info', form.text)}` };
    }
    return { status: top ? 200 : 403, title: 'You cannot update this action', main: html`${top}${notice('problem', form.text)}` };
  }
  const a = form.action;
  const v = state.values ?? {};
  const err = state.errors ?? {};
  const chosen = v.status ?? a.brag;
  const errorFor = (f: ProgressField, id: string): Html => (err[f] ? html`<span class="error" id="${id}-error">Error: ${err[f]}</span>` : html``);
  const described = (f: ProgressField, id: string, hint: boolean): string => [hint ? `${id}-hint` : '', err[f] ? `${id}-error` : ''].filter(Boolean).join(' ');
  const textarea = (f: 'progress' | 'evidence' | 'note', id: string, label: string, hint: string, prefill: string | undefined) => html`
<label for="${id}">${label}</label>
<span class="hint" id="${id}-hint">${hint}</span>
${errorFor(f, id)}
<textarea id="${id}" name="${f}" maxlength="${TEXT_LIMITS[f]}" aria-describedby="${described(f, id, true)}"${err[f] ? html` aria-invalid="true"` : ''}>${v[f] ?? prefill ?? ''}</textarea>`;
  const omitted = form.omitted.map((o) => html`<p class="hint">${o.text}</p>`);
  const main = html`${top}
${actionSummary(a)}
<section class="part" aria-labelledby="quick">
<h2 id="quick">Set the status in one click</h2>
<form method="post" action="${r.action}">
${r.formFields()}<input type="hidden" name="verb" value="brag"><input type="hidden" name="version" value="${form.version}">
<div class="choices">
${SETTABLE.map((b) => html`<button type="submit" name="brag" value="${b}" class="secondary">${BRAG_LABEL[b]} (${BRAG_MEANING[b]})</button>`)}
</div>
</form>
</section>
<section class="part" aria-labelledby="update">
<h2 id="update">Update progress</h2>
<form method="post" action="${r.action}" novalidate>
${r.formFields()}<input type="hidden" name="verb" value="progress"><input type="hidden" name="version" value="${form.version}">
<fieldset${err.status ? html` aria-describedby="status-error"` : ''}>
<legend>Status</legend>
${errorFor('status', 'status')}
<div class="choices">
${SETTABLE.map((b) => html`<label class="choice" for="status-${b}"><input type="radio" id="status-${b}" name="status" value="${b}"${chosen === b ? html` checked` : ''}> ${BRAG_LABEL[b]} (${BRAG_MEANING[b]})</label>`)}
</div>
</fieldset>
${textarea('progress', 'progress', 'Where are we now?', `Optional. Leave as it is to keep it; at most ${TEXT_LIMITS.progress.toLocaleString('en-GB')} characters.`, form.prefill.progress)}
${textarea('evidence', 'evidence', 'Evidence', `Optional: figures, documents, links. At most ${TEXT_LIMITS.evidence.toLocaleString('en-GB')} characters.`, form.prefill.evidence)}
${omitted}
<label for="revised">Revised date</label>
<span class="hint" id="revised-hint">Optional: 31/03/2027, a month (Mar-27) or Ongoing.</span>
${errorFor('revisedDue', 'revised')}
<input type="text" id="revised" name="revisedDue" maxlength="${TEXT_LIMITS.revisedDue}" value="${v.revisedDue ?? ''}" aria-describedby="${described('revisedDue', 'revised', true)}"${err.revisedDue ? html` aria-invalid="true"` : ''}>
${textarea('note', 'note', 'Note', `Optional: for the chair and the record. At most ${TEXT_LIMITS.note.toLocaleString('en-GB')} characters.`, undefined)}
<button type="submit">Save update</button>
</form>
</section>
<section class="part" aria-labelledby="other">
<h2 id="other">Not now, or not yours</h2>
<form method="post" action="${r.action}">
${r.formFields()}<input type="hidden" name="verb" value="snooze">
<button type="submit" class="secondary">Snooze for ${SNOOZE_DAYS} days</button>
</form>
<form method="post" action="${r.action}">
${r.formFields()}<input type="hidden" name="verb" value="not-mine">
<label for="not-mine-note">Not mine: why, or who it belongs to</label>
<span class="hint" id="not-mine-hint">Optional. You stop being an owner and the group’s chair is told.</span>
<textarea id="not-mine-note" name="note" maxlength="${TEXT_LIMITS.note}" aria-describedby="not-mine-hint"></textarea>
<button type="submit" class="warning">Not mine: hand it back</button>
</form>
</section>`;
  return { status: state.errors ? 400 : 200, title: `Action ${a.ref || ''}: update`.replace('  ', ' '), main };
}

async function done(r: LinkPost, text: string, again: boolean): Promise<PageContent & { wrote: boolean }> {
  const link = again ? await followUpLink(r.ctx, r.link, { purpose: 'action', actionId: r.link.actionId ?? '' }, r.now) : null;
  const next = link ? html`<p><a href="${link}">Make another change to this action</a> (a new link: the one you opened has been used).</p>` : html``;
  return { wrote: true, title: 'Recorded', main: html`${notice('done', text)}${next}` };
}

export const actionPage: LinkPage = {
  purpose: 'action',
  get: (r) => renderPage(r, null),
  async post(r) {
    const base = { workspaceId: r.ctx.workspaceId, caller: callerOf(r.link), channel: 'web' as const, now: r.now, actionId: r.link.actionId ?? '', route: r.link.route ?? undefined };
    const f = r.form;
    const version = f.version && /^[0-9a-z]{1,12}$/.test(f.version) ? f.version : undefined;
    switch (f.verb) {
      case 'brag': {
        if (!isSettable(f.brag)) return { wrote: false, ...(await renderPage(r, notice('problem', 'Choose Blue, Green, Amber or Red. Nothing was saved.'))) };
        const o = await recordBragClick(r.ctx.db, { ...base, brag: f.brag, version, idempotencyKey: r.key });
        if (o.kind === 'recorded') return done(r, o.text, true);
        return { wrote: false, ...(await renderPage(r, notice(o.kind === 'refused' || o.kind === 'stale' ? 'problem' : 'info', o.text))) };
      }
      case 'progress': {
        const values: ProgressValues = { status: f.status, progress: f.progress, evidence: f.evidence, revisedDue: f.revisedDue, note: f.note };
        const o = await submitProgress(r.ctx.db, { ...base, values, idempotencyKey: r.key });
        if (o.kind === 'recorded') return done(r, o.text, true);
        if (o.kind === 'invalid') return { wrote: false, ...(await renderPage(r, notice('problem', o.text), { values, errors: o.errors })) };
        return { wrote: false, ...(await renderPage(r, notice(o.kind === 'refused' ? 'problem' : 'info', o.text))) };
      }
      case 'snooze': {
        const o = await snoozeReminders(r.ctx.db, base);
        if (o.kind === 'snoozed') return done(r, o.text, true);
        return { wrote: false, ...(await renderPage(r, notice('problem', o.text))) };
      }
      case 'not-mine': {
        const o = await handBack(r.ctx.db, { ...base, note: f.note?.trim() ? f.note : undefined, idempotencyKey: r.key });
        if (o.kind === 'recorded') return done(r, o.text, false);
        if (o.kind === 'duplicate') return { wrote: false, title: 'Recorded', main: notice('done', o.text) };
        return { wrote: false, ...(await renderPage(r, notice('problem', o.text))) };
      }
      default:
        return { wrote: false, ...(await renderPage(r, notice('problem', 'That form was not one this page sends. Nothing was saved.'))) };
    }
  },
};

export type { Brag };
