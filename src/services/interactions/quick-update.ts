/**
 * A status in one line, from a command: `/brag 34 green Recruited two carers` (ref, status, an
 * optional note). The ref is looked up among the person's own open actions (refs repeat: York
 * has two 34s, and then the person chooses); the change is authorised and recorded once per
 * command (the channel's key).
 */
import { BRAG_LABEL, parseBrag, type Brag } from '../../core/brag.js';
import { londonDate } from '../../core/calendar.js';
import type { Db } from '../../db/client.js';
import { decideOnAction, notAPerson } from '../access.js';
import { listPersonActions } from '../actions.js';
import { recordAuthorizedUpdate } from '../status-updates.js';
import { describeRefusal, refused, withText, type WithoutText } from './common.js';
import { overLimit } from './limits.js';
import type { SentenceStyle } from './style.js';
import type { InteractionInput, Refused } from './types.js';

export type QuickCommand =
  | { kind: 'list' }
  | { kind: 'help' }
  | { kind: 'update'; ref: string; brag: Exclude<Brag, 'unrated'>; note?: string | undefined }
  | { kind: 'not-understood' }
  | { kind: 'too-long'; text: string };

/** Reads a command's text: nothing or "list" → the list; "help"; "<ref> <status> [note]". */
export function parseQuickCommand(text: string): QuickCommand {
  const long = overLimit('command', text);
  if (long) return { kind: 'too-long', text: long };
  const t = text.trim();
  if (t === '' || /^(list|mine|me)$/i.test(t)) return { kind: 'list' };
  if (/^help$/i.test(t)) return { kind: 'help' };
  const m = /^(\S+)\s+(\S+)(?:\s+([\s\S]*))?$/.exec(t);
  const parsed = m ? parseBrag(m[2]) : null;
  if (!m || !parsed?.ok || parsed.brag === 'unrated') return { kind: 'not-understood' };
  return { kind: 'update', ref: m[1]!, brag: parsed.brag, ...(m[3] !== undefined && m[3].trim() !== '' ? { note: m[3] } : {}) };
}

export interface QuickUpdateInput extends InteractionInput {
  ref: string;
  brag: Exclude<Brag, 'unrated'>;
  note?: string | undefined;
  idempotencyKey: string;
}

export type QuickUpdateOutcome =
  | { kind: 'invalid'; reason: string; text: string }
  | { kind: 'no-such-ref'; ref: string; text: string }
  /** Several of the person's open actions have this ref: they choose (the ids, in plan order). */
  | { kind: 'ambiguous'; ref: string; actionIds: string[]; text: string }
  | { kind: 'recorded' | 'duplicate'; ref: string; actionId: string; fromBrag: Brag; toBrag: Brag; text: string }
  | { kind: 'unchanged'; ref: string; actionId: string; brag: Brag; text: string }
  | Refused;

export async function quickUpdate(db: Db, input: QuickUpdateInput): Promise<QuickUpdateOutcome> {
  if (input.caller.kind !== 'person') return refused(notAPerson(input.caller), true);
  const personId = input.caller.personId;
  const done = (facts: WithoutText<QuickUpdateOutcome>): QuickUpdateOutcome => withText(facts, describeQuickUpdate);
  const long = overLimit('note', input.note);
  if (long) return done({ kind: 'invalid', reason: long });
  const mine = await listPersonActions(db, input.workspaceId, personId, londonDate(input.now));
  const matches = mine.filter((c) => c.ref.toLowerCase() === input.ref.toLowerCase());
  if (matches.length === 0) return done({ kind: 'no-such-ref', ref: input.ref });
  if (matches.length > 1) return done({ kind: 'ambiguous', ref: input.ref, actionIds: matches.map((c) => c.actionId) });
  const actionId = matches[0]!.actionId;
  const d = await decideOnAction(db, { workspaceId: input.workspaceId, caller: input.caller, actionId, capability: 'action.update' });
  if (!d.allowed) return refused(d, true);
  const out = await recordAuthorizedUpdate(db, {
    workspaceId: input.workspaceId, actionId, personId, channel: input.channel, brag: input.brag, note: input.note, idempotencyKey: input.idempotencyKey, now: input.now,
  });
  const ref = matches[0]!.ref;
  if (out.status === 'unchanged') return done({ kind: 'unchanged', ref, actionId, brag: out.brag });
  return done({ kind: out.status, ref, actionId, fromBrag: out.fromBrag, toBrag: out.toBrag });
}

export function describeQuickUpdate(o: QuickUpdateOutcome, s: SentenceStyle): string {
  switch (o.kind) {
    case 'invalid':
      return `${s.icon('warning')}${s.text(o.reason)} Nothing was changed.`;
    case 'no-such-ref':
      return `You have no open action with ref ${s.strong(s.text(o.ref))}. ${s.listCommand} lists yours.`;
    case 'ambiguous':
      return `You have ${o.actionIds.length} actions with ref ${s.strong(s.text(o.ref))}: choose with the buttons.`;
    case 'recorded':
    case 'duplicate':
      return `${s.icon('done')}${s.strong(s.text(o.ref))} is now ${s.brag(o.toBrag)}${o.fromBrag !== o.toBrag ? ` (was ${BRAG_LABEL[o.fromBrag]})` : ''}.`;
    case 'unchanged':
      return `${s.strong(s.text(o.ref))} is already ${s.brag(o.brag)}: nothing to change.`;
    case 'refused':
      return describeRefusal(o, s, true);
  }
}
