/**
 * A Blue / Green / Amber / Red click, from any channel: authorised first, then a repeat of the
 * same click (same key) is "already recorded", a button rendered before someone else changed
 * the action is "stale" (nothing recorded, and who changed it), a click for the status it has
 * is "unchanged", anything else is recorded once. See src/services/actions.ts for the version
 * token a button carries, and each adapter's idempotency.ts for its keys.
 */
import { BRAG_LABEL, type Brag } from '../../core/brag.js';
import { londonDate } from '../../core/calendar.js';
import type { ActionCard } from '../../core/chat.js';
import { londonDay, londonTime } from '../../core/text.js';
import type { Db } from '../../db/client.js';
import { sqlOf } from '../../db/sql.js';
import { decideOnAction } from '../access.js';
import { versionOf } from '../actions.js';
import { recordBragChange } from '../brag-change.js';
import { latestUpdateOf, recordAuthorizedUpdate, updateByKey } from '../status-updates.js';
import { actingPersonId, describeRefusal, NO_PERSON, refused, withText, type WithoutText } from './common.js';
import type { SentenceStyle } from './style.js';
import type { InteractionInput, Refused } from './types.js';

export type SettableBrag = Exclude<Brag, 'unrated'>;

export interface BragClickInput extends InteractionInput {
  actionId: string;
  brag: SettableBrag;
  /** The action's version when the button was rendered (versionOf); undefined for a button without one. */
  version?: string | undefined;
  idempotencyKey: string;
}

/** The action as it is after the click, with its new version: a channel redraws it without reading it again. */
export interface ShownAction {
  card: ActionCard;
  version: string;
}

export type BragClickOutcome =
  | { kind: 'recorded'; actionId: string; fromBrag: Brag; toBrag: Brag; actorName: string; at: Date; text: string; shown?: ShownAction | undefined }
  | { kind: 'duplicate'; actionId: string; toBrag: Brag; actorName: string; at: Date; text: string }
  | { kind: 'stale'; actionId: string; wanted: SettableBrag; currentBrag: Brag; changedBy: { name: string; at: Date } | null; text: string }
  | { kind: 'unchanged'; actionId: string; brag: Brag; text: string }
  | Refused;


export async function recordBragClick(db: Db, input: BragClickInput): Promise<BragClickOutcome> {
  const done = (facts: WithoutText<BragClickOutcome>): BragClickOutcome => withText(facts, describeBragClick);
  // The common click in one conditional statement, authorised in its WHERE by the access module's
  // rule (src/services/brag-change.ts); when it writes nothing, the decisions below say why.
  const clicker = actingPersonId(input.caller);
  const sql = sqlOf(db);
  if (clicker && sql) {
    const changed = await recordBragChange(sql, {
      workspaceId: input.workspaceId, actionId: input.actionId, personId: clicker, brag: input.brag, version: input.version,
      channel: input.channel, route: input.route, idempotencyKey: input.idempotencyKey, now: input.now,
    }, londonDate(input.now));
    if (changed) {
      return done({
        kind: 'recorded', actionId: input.actionId, fromBrag: changed.fromBrag, toBrag: changed.toBrag, actorName: changed.actorName, at: input.now,
        shown: { card: changed.card, version: changed.version },
      });
    }
  }
  const d = await decideOnAction(db, { workspaceId: input.workspaceId, caller: input.caller, actionId: input.actionId, capability: 'action.update' });
  if (!d.allowed) return refused(d, true);
  const personId = actingPersonId(input.caller);
  if (!personId) return refused(NO_PERSON, true);

  const prior = await updateByKey(db, input.idempotencyKey);
  if (prior && prior.actionId === input.actionId) {
    return done({ kind: 'duplicate', actionId: input.actionId, toBrag: prior.toBrag as Brag, actorName: prior.actorName, at: prior.at });
  }
  if (input.version !== undefined && versionOf(d.action.updatedAt) !== input.version && d.action.brag !== input.brag) {
    // Someone changed the action since this button was rendered.
    const last = await latestUpdateOf(db, input.actionId);
    return done({ kind: 'stale', actionId: input.actionId, wanted: input.brag, currentBrag: d.action.brag as Brag, changedBy: last ? { name: last.actorName, at: last.at } : null });
  }
  // A click for the status it has changes nothing (no note on a button): no transaction to say so.
  if (d.action.brag === input.brag) return done({ kind: 'unchanged', actionId: input.actionId, brag: input.brag });
  const out = await recordAuthorizedUpdate(db, {
    workspaceId: input.workspaceId, actionId: input.actionId, personId, channel: input.channel, brag: input.brag, route: input.route, idempotencyKey: input.idempotencyKey, now: input.now,
  });
  if (out.status === 'unchanged') return done({ kind: 'unchanged', actionId: input.actionId, brag: out.brag });
  if (out.status === 'duplicate') return done({ kind: 'duplicate', actionId: input.actionId, toBrag: out.toBrag, actorName: out.actorName, at: out.at });
  const actor = await db.person.findUniqueOrThrow({ where: { id: personId }, select: { name: true } });
  return done({ kind: 'recorded', actionId: input.actionId, fromBrag: out.fromBrag, toBrag: out.toBrag, actorName: actor.name, at: input.now });
}

/** The outcome in a sentence, in the channel's markup. */
export function describeBragClick(o: BragClickOutcome, s: SentenceStyle): string {
  switch (o.kind) {
    case 'recorded':
      return `${s.icon('done')}Recorded ${s.brag(o.toBrag)}${o.fromBrag !== o.toBrag ? ` (was ${BRAG_LABEL[o.fromBrag]})` : ''} by ${s.text(o.actorName)} at ${londonTime(o.at)}.`;
    case 'duplicate':
      return `${s.icon('done')}Already recorded: ${s.brag(o.toBrag)} by ${s.text(o.actorName)} at ${londonTime(o.at)}.`;
    case 'stale': {
      const who = o.changedBy ? ` (by ${s.text(o.changedBy.name)}, ${londonDay(o.changedBy.at)} ${londonTime(o.changedBy.at)})` : '';
      return `${s.icon('warning')}This action changed since ${s.surface} was sent${who}: it is now ${s.brag(o.currentBrag)}. Nothing was recorded; click again if you still want ${BRAG_LABEL[o.wanted]}.`;
    }
    case 'unchanged':
      return `It is already ${s.brag(o.brag)}: nothing to change.`;
    case 'refused':
      return describeRefusal(o, s, true);
  }
}
