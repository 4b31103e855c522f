/** "Snooze a week": no reminders about this action to this person for SNOOZE_DAYS, from any channel. */
import { londonDay } from '../../core/text.js';
import type { Db } from '../../db/client.js';
import { decideOnAction } from '../access.js';
import { snoozeAuthorized } from '../status-updates.js';
import { actingPersonId, describeRefusal, NO_PERSON, refused, withText, type WithoutText } from './common.js';
import type { SentenceStyle } from './style.js';
import type { InteractionInput, Refused } from './types.js';

/** How long "Snooze" stops reminders, in days: one value for every channel. */
export const SNOOZE_DAYS = 7;

export type SnoozeOutcome = { kind: 'snoozed'; actionId: string; until: Date; text: string } | Refused;

export async function snoozeReminders(db: Db, input: InteractionInput & { actionId: string }): Promise<SnoozeOutcome> {
  const d = await decideOnAction(db, { workspaceId: input.workspaceId, caller: input.caller, actionId: input.actionId, capability: 'action.snooze' });
  if (!d.allowed) return refused(d, true);
  const personId = actingPersonId(input.caller);
  if (!personId) return refused(NO_PERSON, true);
  // An upsert of "until": a repeated click moves nothing that matters, so no key is needed.
  const until = new Date(input.now.getTime() + SNOOZE_DAYS * 86_400_000);
  await snoozeAuthorized(db, input.actionId, personId, until, input.now, input.channel);
  return withText<SnoozeOutcome>({ kind: 'snoozed', actionId: input.actionId, until } as WithoutText<SnoozeOutcome>, describeSnooze);
}

export function describeSnooze(o: SnoozeOutcome, s: SentenceStyle): string {
  if (o.kind === 'refused') return describeRefusal(o, s, true);
  return `${s.icon('snoozed')}Snoozed until ${londonDay(o.until)}: no reminders to you about this until then.`;
}
