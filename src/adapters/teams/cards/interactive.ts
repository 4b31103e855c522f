/**
 * Cards the bot answers with (commands and clicks): "my actions", the progress form, the
 * "Not mine" confirmation, an action's details, help, welcome and refusal notices.
 */
import type { IAdaptiveCard } from '@microsoft/teams.cards';
import { BRAG_LABEL, BRAG_MEANING, type Brag } from '../../../core/brag.js';
import type { ActionCard } from '../../../core/chat.js';
import { describeUpdateChange, describeUpdateWho, lengthOf, type HistoryUpdate, type ProgressFormOutcome } from '../../../services/interactions/index.js';
import { INPUTS, MAX_ACTIONS_WITH_BUTTONS, TEAMS_COMMANDS, VERBS, type CardScope } from '../ids.js';
import { actionFacts, actionItem, actionTitle, statusBlock, type StatusLine } from './action.js';
import { actionSet, button, card, choiceInput, dateInput, heading, scopeInput, text, textInput, type Element } from './elements.js';
import { fitCard } from './fit.js';
import { TEAMS_STYLE } from './style.js';
import { bragCounts, type RenderContext } from './outbound.js';
import { clamp, md, oneLine, plural } from './text.js';

export const LIST_PAGE_SIZE = MAX_ACTIONS_WITH_BUTTONS;

/** "my actions": a page of the person's open actions with buttons, and paging. */
export function renderActionList(cards: readonly ActionCard[], page: number, total: readonly ActionCard[], ctx: RenderContext = {}): IAdaptiveCard {
  const pages = Math.max(1, Math.ceil(total.length / LIST_PAGE_SIZE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const scope: CardScope = { k: 'list', ids: cards.map((c) => c.actionId), p };
  return fitCard(cards.length, (shown, titleMax) => {
    const body: Element[] = [heading(total.length ? `Your open actions (${total.length})` : 'Your open actions')];
    if (ctx.notice) body.push(statusBlock(ctx.notice));
    if (total.length === 0) body.push(text('You have no open actions. Nothing to update: thank you.'));
    else body.push(text(`${bragCounts(total)}${pages > 1 ? ` · page ${p + 1} of ${pages}` : ''}`, { isSubtle: true }));
    for (const c of cards.slice(0, shown)) {
      const may = ctx.canChange ? ctx.canChange(c.actionId) : true;
      body.push(actionItem(c, { showGroup: true, titleMax, status: ctx.statuses?.get(c.actionId), ...(may ? { controls: { version: ctx.versions?.get(c.actionId) } } : {}) }));
    }
    if (shown < cards.length) body.push(text(`${plural(cards.length - shown, 'more action')} on this page did not fit: use **Next** or type **my actions** again.`, { isSubtle: true }));
    const nav = [];
    if (p > 0) nav.push(button('◀ Previous', VERBS.page, { p: p - 1 }));
    if (p < pages - 1) nav.push(button('Next ▶', VERBS.page, { p: p + 1 }));
    if (nav.length) body.push(actionSet(nav, { separator: true, spacing: 'Medium' }));
    body.push(scopeInput(scope));
    return card(body);
  });
}

const FORM_BRAGS: readonly Brag[] = ['green', 'amber', 'red', 'blue'];

/**
 * The most characters the form pre-fills in one input: a card must stay under Teams' ~28 KB,
 * and two 4,000-character fields of non-Latin text would not. Longer texts are left out.
 */
export const TEAMS_PREFILL_MAX = 3000;

/** What the person typed, shown again when the form comes back with a problem. */
export interface TypedValues {
  status?: string | undefined;
  progress?: string | undefined;
  evidence?: string | undefined;
  note?: string | undefined;
}

type Form = Extract<ProgressFormOutcome, { kind: 'form' }>;

/**
 * "Update progress…": status, where are we now, evidence, revised date, a note for the chair,
 * as the interactions service allows it. A field is pre-filled only when it fits whole (issue
 * 10 pt 4): a longer one is left empty, with a line saying it is kept and where to edit it in
 * full; a typed value is shown again only when it fits too.
 */
export function renderProgressForm(form: Form, scope: CardScope | null, notice?: StatusLine, typed: TypedValues = {}): IAdaptiveCard {
  const a = form.action;
  const fits = (v: string | undefined, max: number): string | undefined => (v !== undefined && v !== '' && lengthOf(v) <= Math.min(max, TEAMS_PREFILL_MAX) ? v : undefined);
  const status = typed.status ?? (a.brag === 'unrated' ? undefined : a.brag);
  const omittedNote = (field: 'progress' | 'evidence'): Element[] => {
    const o = form.omitted.find((x) => x.field === field);
    return o && fits(typed[field], form.limits[field]) === undefined ? [text(md(o.text), { isSubtle: true, size: 'Small', spacing: 'Small' })] : [];
  };
  const value = (field: 'progress' | 'evidence') => fits(typed[field], form.limits[field]) ?? form.prefill[field];
  const body: Element[] = [heading(`Update ${clamp(oneLine(a.ref || 'action'), 40)}`)];
  if (notice) body.push(statusBlock(notice));
  const progress = value('progress');
  const evidence = value('evidence');
  const note = fits(typed.note, form.limits.note);
  body.push(
    text(actionTitle(a, 600)),
    text(actionFacts(a), { spacing: 'Small' }),
    choiceInput(INPUTS.status, 'Status', FORM_BRAGS.map((b) => ({ title: `${BRAG_LABEL[b]} (${BRAG_MEANING[b]})`, value: b })), status),
    textInput(INPUTS.progress, 'Where are we now?', { multiline: true, maxLength: form.limits.progress, ...(progress ? { value: progress } : {}) }),
    ...omittedNote('progress'),
    textInput(INPUTS.evidence, 'Evidence (figures, documents, links)', { multiline: true, maxLength: form.limits.evidence, ...(evidence ? { value: evidence } : {}) }),
    ...omittedNote('evidence'),
    dateInput(INPUTS.revisedDue, 'Revised due date (only if the date changes)'),
    textInput(INPUTS.note, 'Note for the chair', { multiline: true, maxLength: form.limits.note, ...(note ? { value: note } : {}) }),
    actionSet([button('Save', VERBS.progressSave, { a: a.actionId, v: form.version }, { style: 'positive' }), button('Cancel', VERBS.back, { a: a.actionId })], { spacing: 'Medium' }),
  );
  if (scope) body.push(scopeInput(scope));
  return card(body);
}

/** "Not mine…": a second click confirms, as Slack's confirm dialog does. */
export function renderNotMineConfirm(a: ActionCard, scope: CardScope | null): IAdaptiveCard {
  const body: Element[] = [
    heading('Not your action?'),
    text(actionTitle(a, 600)),
    text('You will stop being an owner of it, and the group’s chair will be told so they can find the right person.'),
    actionSet([button('Hand it back', VERBS.notMine, { a: a.actionId }, { style: 'destructive' }), button('Keep it', VERBS.back, { a: a.actionId })]),
  ];
  if (scope) body.push(scopeInput(scope));
  return card(body);
}

/** One line of an action's history (services/interactions/history-line.ts words it). */
export type UpdateLine = HistoryUpdate;

/** An action's details and recent history (escalations and digests: "Details"). */
export function renderDetails(a: ActionCard & { evidence: string }, updates: readonly UpdateLine[], scope: CardScope | null): IAdaptiveCard {
  const body: Element[] = [heading(`Details: ${clamp(oneLine(a.ref || 'action'), 40)}`), actionItem(a, { showGroup: true, showOwners: true })];
  if (a.progress) body.push(text(`**Where are we now?** ${md(clamp(a.progress, 1500))}`));
  if (a.evidence) body.push(text(`**Evidence:** ${md(clamp(a.evidence, 1000))}`));
  if (updates.length) {
    const lines = updates.map((u) => `- ${describeUpdateWho(u, TEAMS_STYLE)}: ${describeUpdateChange(u, TEAMS_STYLE, 200)}`);
    body.push(text('**Recent updates**', { separator: true }), text(lines.join('\n'), { spacing: 'Small' }));
  } else {
    body.push(text('No updates recorded yet.', { isSubtle: true }));
  }
  if (scope) body.push(actionSet([button('◀ Back', VERBS.back, { a: a.actionId })], { spacing: 'Medium' }), scopeInput(scope));
  return card(body);
}

/** A card that only says something: a refusal, an error, a confirmation. */
export function renderNotice(title: string, message: string, tone?: StatusLine['tone']): IAdaptiveCard {
  return card([heading(title), statusBlock({ text: message, tone })]);
}

export type Where = 'personal' | 'channel';

/**
 * `example`: one of the person's own groups for the highlight-report example (never an invented one).
 * The date is a pattern, not a date: a fixed example date is outside a demo's clock (and soon in the past).
 */
export function helpLines(where: Where, example: string | null = null): string[] {
  const at = where === 'channel' ? '@bragbot ' : '';
  const e = example ? md(example) : '<group>';
  return [
    `- **${at}my actions**: your open actions, with buttons to record Blue, Green, Amber or Red and to update progress.`,
    `- **${at}highlight-report [group] [date]**: the highlight report for a group’s meeting (e.g. highlight-report ${e} dd/mm/yyyy). In a group’s channel the group can be left out; without a date, the next meeting.`,
    `- **${at}set-channel [group]** (chairs and admins, in a channel): open the group’s update rounds here.`,
    `- **${at}help**: this message.`,
  ];
}

export function renderHelp(where: Where, lead?: string, example: string | null = null): IAdaptiveCard {
  const body: Element[] = [heading('bragbot')];
  if (lead) body.push(text(lead));
  body.push(
    text('I chase the partnership’s action plan: I remind owners about overdue and stale actions, record Blue / Red / Amber / Green with a note, and put the highlight report together from the update thread.'),
    text(helpLines(where, example).join('\n')),
  );
  if (where === 'channel') body.push(text('Replies to an update-round post become sections of the highlight report.', { isSubtle: true }));
  return card(body);
}

export function renderWelcome(where: Where): IAdaptiveCard {
  return where === 'personal'
    ? renderHelp('personal', 'Hello! I will message you here when one of your actions needs an update.')
    : renderHelp('channel', 'Thanks for adding bragbot. A group’s chair can type **@bragbot set-channel <group>** here so update rounds for that group open in this channel.');
}

/** Command titles in the manifest, for tests: help covers them all. */
export const HELP_COMMAND_TITLES = TEAMS_COMMANDS.map((c) => c.title);
