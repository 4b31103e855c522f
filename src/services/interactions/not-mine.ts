/**
 * "Not mine": the person stops owning an action and the chair is told (once). Teams asks first
 * (a second click confirms, as Slack's confirm dialog does): `checkNotMine` decides without
 * writing, `handBack` records it.
 */
import type { ActionCard } from '../../core/chat.js';
import { londonDate } from '../../core/calendar.js';
import type { Db } from '../../db/client.js';
import { ACTION_NOT_FOUND, decideOnAction } from '../access.js';
import { getActionCard } from '../actions.js';
import { disclaimAuthorized, ownEarlierUpdate } from '../status-updates.js';
import { actingPersonId, describeRefusal, NO_PERSON, refused, withText, type WithoutText } from './common.js';
import type { SentenceStyle } from './style.js';
import type { InteractionInput, Refused } from './types.js';

export type NotMineCheck = { kind: 'confirm'; action: ActionCard } | Refused;

/** May the person hand this action back? (Nothing is written.) */
export async function checkNotMine(db: Db, input: InteractionInput & { actionId: string }): Promise<NotMineCheck> {
  const d = await decideOnAction(db, { workspaceId: input.workspaceId, caller: input.caller, actionId: input.actionId, capability: 'action.not-mine' });
  if (!d.allowed) return refused(d, false);
  const action = await getActionCard(db, input.workspaceId, input.actionId, londonDate(input.now));
  if (!action) return refused({ allowed: false, code: 'NOT_FOUND', reason: ACTION_NOT_FOUND }, false);
  return { kind: 'confirm', action };
}

export type HandBackOutcome = { kind: 'recorded' | 'duplicate'; actionId: string; text: string } | Refused;

export async function handBack(db: Db, input: InteractionInput & { actionId: string; idempotencyKey: string; note?: string | undefined }): Promise<HandBackOutcome> {
  const done = (facts: WithoutText<HandBackOutcome>): HandBackOutcome => withText(facts, describeHandBack);
  const personId = actingPersonId(input.caller);
  const d = await decideOnAction(db, { workspaceId: input.workspaceId, caller: input.caller, actionId: input.actionId, capability: 'action.not-mine' });
  if (!d.allowed) {
    // After handing it back they no longer own it: a repeat of their own click is told it was done.
    if (personId && d.code === 'FORBIDDEN' && (await ownEarlierUpdate(db, input.idempotencyKey, personId, input.actionId))) {
      return done({ kind: 'duplicate', actionId: input.actionId });
    }
    return refused(d, true);
  }
  if (!personId) return refused(NO_PERSON, true);
  const out = await disclaimAuthorized(db, {
    workspaceId: input.workspaceId, actionId: input.actionId, personId, channel: input.channel, note: input.note, route: input.route, idempotencyKey: input.idempotencyKey, now: input.now,
  });
  return done({ kind: out.status, actionId: input.actionId });
}

export function describeHandBack(o: HandBackOutcome, s: SentenceStyle): string {
  if (o.kind === 'refused') return describeRefusal(o, s, true);
  return `${s.icon('handedBack')}You are no longer an owner of this action; the group’s chair will be told so they can find the right person.`;
}
