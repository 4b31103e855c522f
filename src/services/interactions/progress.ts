/**
 * "Update progress…": opening the form (what it may pre-fill) and its submission (status, where
 * are we now, evidence, revised date, a note), from any channel. Authorised first; then every
 * field is checked (the limits in ./limits.ts, a real status, a readable date) and a problem is
 * answered per field with nothing written; then it is recorded once under the channel's key.
 *
 * Never a cut pre-fill (issue 10 pt 4): a stored text longer than the form can show is left out
 * of the form (with a sentence saying where to edit it in full) and kept unless a new one is
 * typed: an empty field never replaces what is stored.
 */
import { isBrag, type Brag } from '../../core/brag.js';
import type { ActionCard } from '../../core/chat.js';
import { parseDueDate } from '../../core/due-date.js';
import { londonDate } from '../../core/calendar.js';
import { londonTime } from '../../core/text.js';
import type { Db } from '../../db/client.js';
import { decideOnAction } from '../access.js';
import { getActionCard, versionOf } from '../actions.js';
import { recordAuthorizedUpdate } from '../status-updates.js';
import { actingPersonId, describeRefusal, NO_PERSON, refused, withText, type WithoutText } from './common.js';
import { lengthOf, omittedFromForm, overLimit, TEXT_LIMITS } from './limits.js';
import type { SentenceStyle } from './style.js';
import type { InteractionInput, Refused } from './types.js';

export const PROGRESS_FIELDS = ['status', 'progress', 'evidence', 'revisedDue', 'note'] as const;
export type ProgressField = (typeof PROGRESS_FIELDS)[number];

export interface ProgressFormInput extends InteractionInput {
  actionId: string;
  /** The most characters the channel's form can pre-fill in one field (Slack: 3,000). */
  prefillMax: number;
}

export type ProgressFormOutcome =
  | {
      kind: 'form';
      action: ActionCard & { evidence: string };
      /** The action's version now: a form submitted from it carries it. */
      version: string;
      /** What the form may show as it is; a field missing here is left empty. */
      prefill: { progress?: string; evidence?: string };
      /** Fields left out because they are too long to show whole, each with its sentence. */
      omitted: { field: 'progress' | 'evidence'; length: number; text: string }[];
      /** The most each field accepts (the form's max length). */
      limits: { progress: number; evidence: number; note: number; revisedDue: number };
    }
  | Refused;

export async function openProgressForm(db: Db, input: ProgressFormInput): Promise<ProgressFormOutcome> {
  // Refused before showing a form the person could not save.
  const d = await decideOnAction(db, { workspaceId: input.workspaceId, caller: input.caller, actionId: input.actionId, capability: 'action.update' });
  if (!d.allowed) return refused(d, false);
  const card = await getActionCard(db, input.workspaceId, input.actionId, londonDate(input.now));
  const row = await db.action.findUniqueOrThrow({ where: { id: input.actionId }, select: { evidence: true, updatedAt: true } });
  if (!card) return refused({ allowed: false, code: 'NOT_FOUND', reason: 'That action is not in your workspace’s plans (it may have been removed).' }, false);
  const prefill: { progress?: string; evidence?: string } = {};
  const omitted: { field: 'progress' | 'evidence'; length: number; text: string }[] = [];
  for (const [field, value] of [['progress', card.progress], ['evidence', row.evidence]] as const) {
    if (value === '') continue;
    const length = lengthOf(value);
    if (length <= input.prefillMax) prefill[field] = value;
    else omitted.push({ field, length, text: omittedFromForm(field, length) });
  }
  return {
    kind: 'form',
    action: { ...card, evidence: row.evidence },
    version: versionOf(row.updatedAt),
    prefill,
    omitted,
    limits: { progress: TEXT_LIMITS.progress, evidence: TEXT_LIMITS.evidence, note: TEXT_LIMITS.note, revisedDue: TEXT_LIMITS.revisedDue },
  };
}

/** The form as submitted: raw strings (empty or absent = left as it is). */
export interface ProgressValues {
  status?: string | undefined;
  progress?: string | undefined;
  evidence?: string | undefined;
  revisedDue?: string | undefined;
  note?: string | undefined;
}

export interface ProgressSubmitInput extends InteractionInput {
  actionId: string;
  values: ProgressValues;
  idempotencyKey: string;
}

export interface ProgressChanges {
  brag: Brag;
  progress: boolean;
  evidence: boolean;
  /** The revised date as recorded (UK style), when one was given. */
  revisedDue: string | null;
  note: boolean;
}

export type ProgressSubmitOutcome =
  | { kind: 'invalid'; errors: Partial<Record<ProgressField, string>>; text: string }
  | { kind: 'recorded'; actionId: string; fromBrag: Brag; changes: ProgressChanges; actorName: string; at: Date; text: string }
  | { kind: 'duplicate'; actionId: string; changes: ProgressChanges; actorName: string; at: Date; text: string }
  | { kind: 'unchanged'; actionId: string; brag: Brag; text: string }
  | Refused;

const given = (s: string | undefined): string | undefined => (s !== undefined && s.trim() !== '' ? s : undefined);

/** Every field's problem, by field; empty when the form can be recorded. */
export function checkProgress(values: ProgressValues): Partial<Record<ProgressField, string>> {
  const errors: Partial<Record<ProgressField, string>> = {};
  const status = given(values.status);
  if (status !== undefined && !(isBrag(status) && status !== 'unrated')) errors.status = 'Choose Blue, Green, Amber or Red.';
  for (const f of ['progress', 'evidence', 'note', 'revisedDue'] as const) {
    const problem = overLimit(f, given(values[f]));
    if (problem) errors[f] = problem;
  }
  const revised = given(values.revisedDue);
  if (revised !== undefined && !errors.revisedDue) {
    const parsed = parseDueDate(revised);
    const why = !parsed.ok ? parsed.reason : parsed.due.kind === 'unknown' ? `"${revised.trim()}" is not a date` : null;
    if (why) errors.revisedDue = `Revised date: ${why}. Use day/month/year (31/03/2027), a month (Mar-27) or Ongoing.`;
  }
  return errors;
}

export async function submitProgress(db: Db, input: ProgressSubmitInput): Promise<ProgressSubmitOutcome> {
  const d = await decideOnAction(db, { workspaceId: input.workspaceId, caller: input.caller, actionId: input.actionId, capability: 'action.update' });
  if (!d.allowed) return refused(d, true);
  const personId = actingPersonId(input.caller);
  if (!personId) return refused(NO_PERSON, true);
  const done = (facts: WithoutText<ProgressSubmitOutcome>): ProgressSubmitOutcome => withText(facts, describeProgress);
  const errors = checkProgress(input.values);
  if (Object.keys(errors).length > 0) return done({ kind: 'invalid', errors });

  const v = input.values;
  const status = given(v.status) as Exclude<Brag, 'unrated'> | undefined;
  const out = await recordAuthorizedUpdate(db, {
    workspaceId: input.workspaceId, actionId: input.actionId, personId, channel: input.channel,
    brag: status, progress: given(v.progress), evidence: given(v.evidence), revisedDue: given(v.revisedDue), note: given(v.note),
    route: input.route, idempotencyKey: input.idempotencyKey, now: input.now,
  });
  if (out.status === 'unchanged') return done({ kind: 'unchanged', actionId: input.actionId, brag: out.brag });
  // What the update changed, not what the form sent: it sends the pre-filled texts back as they were.
  const changes: ProgressChanges = {
    brag: out.toBrag,
    progress: out.changed.progress,
    evidence: out.changed.evidence,
    revisedDue: out.changed.due ? (given(v.revisedDue)?.trim() ?? null) : null,
    note: out.changed.note,
  };
  if (out.status === 'duplicate') return done({ kind: 'duplicate', actionId: input.actionId, changes, actorName: out.actorName, at: out.at });
  const actor = await db.person.findUniqueOrThrow({ where: { id: personId }, select: { name: true } });
  return done({ kind: 'recorded', actionId: input.actionId, fromBrag: out.fromBrag, changes, actorName: actor.name, at: input.now });
}

function listChanges(c: ProgressChanges, s: SentenceStyle): string {
  const parts = [`status ${s.brag(c.brag)}`];
  if (c.progress) parts.push('where we are now');
  if (c.evidence) parts.push('evidence');
  if (c.revisedDue) parts.push(`revised date ${s.text(c.revisedDue)}`);
  if (c.note) parts.push('a note');
  return parts.join(', ');
}

export function describeProgress(o: ProgressSubmitOutcome, s: SentenceStyle): string {
  switch (o.kind) {
    case 'invalid':
      return `${s.icon('warning')}${Object.values(o.errors).map((e) => s.text(e)).join(' ')} Nothing was saved.`;
    case 'recorded':
      return `${s.icon('done')}Recorded ${listChanges(o.changes, s)} by ${s.text(o.actorName)} at ${londonTime(o.at)}.`;
    case 'duplicate':
      return `${s.icon('done')}Already recorded: ${listChanges(o.changes, s)} by ${s.text(o.actorName)} at ${londonTime(o.at)}.`;
    case 'unchanged':
      return `Nothing changed: it is still ${s.brag(o.brag)} and the form matched what was recorded.`;
    case 'refused':
      return describeRefusal(o, s, true);
  }
}
