/**
 * Idempotency keys for what Teams sends us. A key must be the same for every delivery of one
 * intention (a connector retry, a replayed activity, a double click on the same button) and
 * different for two genuine intentions (a second decision after the card was refreshed).
 * StatusUpdate.idempotencyKey and InboundEvent.key are unique in the database, so a second
 * delivery records nothing, whatever process or replica receives it.
 *
 * What is stable across retries, and what is not:
 *  - `activity.id` of an `adaptiveCard/action` invoke is NOT a safe key on its own: each click
 *    is a new invoke with a new id (a double click is two ids), and the M365 Agents Playground
 *    makes up a fresh GUID per invoke. A redelivered activity keeps its id, but we cannot rely
 *    on clients never re-sending a click as a new activity.
 *  - What the button carries IS stable: the action id, the BRAG, and the action's version
 *    (updatedAt when the card was rendered, see ids.ts), plus who clicked (AAD object id,
 *    else the Teams user id). A double click or retry carries the same values → one record.
 *    After any change the card is re-rendered with the new version, so a later genuine click
 *    (even back to an earlier status) gets a new key. A button whose version is no longer
 *    current is stale: nothing is recorded and the refreshed card says who changed what.
 *  - `replyToId` (the id of the message holding the card) is stable for the card's life: the
 *    "Not mine" key uses it, so one card hands an action back once.
 *
 * Keys:
 *  - status buttons:  teams:brag:<action>:<brag>:v<version>:<user>
 *  - progress form:   teams:progress:<action>:v<version>:<user>:<hash of the form>
 *  - not mine:        teams:not-mine:<action>:<user>:<message id>
 *  - snooze:          teams:snooze:<action>:<user>:<activity id> (the inbox's name for the click;
 *    a snooze is an upsert of "until", so a repeat moves nothing that matters)
 *  - commands, thread replies, installs: teams:activity:<activity id> through firstDelivery
 *    (a redelivered activity repeats its id; a new one is a new intention).
 */
import { createHash } from 'node:crypto';

export const bragKey = (k: { actionId: string; brag: string; version: string | undefined; userId: string; fallbackId: string }): string =>
  k.version !== undefined ? `teams:brag:${k.actionId}:${k.brag}:v${k.version}:${k.userId}` : `teams:brag:${k.actionId}:${k.brag}:id${k.fallbackId}:${k.userId}`;

export const progressKey = (k: { actionId: string; version: string | undefined; userId: string; form: Record<string, string | undefined>; fallbackId: string }): string => {
  const hash = createHash('sha256').update(JSON.stringify(Object.entries(k.form).sort())).digest('base64url').slice(0, 16);
  return `teams:progress:${k.actionId}:${k.version !== undefined ? `v${k.version}` : `id${k.fallbackId}`}:${k.userId}:${hash}`;
};

export const notMineKey = (k: { actionId: string; userId: string; messageId: string }): string => `teams:not-mine:${k.actionId}:${k.userId}:${k.messageId}`;

export const snoozeKey = (k: { actionId: string; userId: string; activityId: string }): string => `teams:snooze:${k.actionId}:${k.userId}:${k.activityId}`;

export const activityKey = (activityId: string): string => `teams:activity:${activityId}`;
