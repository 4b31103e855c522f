/**
 * Idempotency keys for what Slack sends us. The rule: a key must be the same for every
 * delivery of one intention (Slack's retries, a replayed payload, a double click on the same
 * button) and different for two genuine intentions (a second decision after the message was
 * refreshed). StatusUpdate.idempotencyKey and InboundEvent.key are unique in the database,
 * so the second delivery records nothing whatever the process or replica that receives it.
 *
 * - BRAG buttons: `slack:brag:<action>:<brag>:v<version>:<user>`. The version is the action's
 *   updatedAt when the message was rendered, carried in the button value. Retries and double
 *   clicks carry the same version → one record. After any change the message is re-rendered
 *   with the new version, so a later genuine click (even back to an earlier status) gets a new
 *   key. A button whose version is no longer current is stale: nothing is recorded, the message
 *   is refreshed to show who changed what, and the person can click again knowingly.
 *   action_ts is NOT used: it differs between the two clicks of a double click.
 *   Buttons without a version (never rendered by us) fall back to action_ts; a double click
 *   then records once because the second finds the status already set ('unchanged').
 * - "Not mine": `slack:not-mine:<action>:<user>:<message ts>`: once per message; a later nudge
 *   (new message) after being re-assigned can disclaim again.
 * - Snooze: `slack:snooze:<action>:<user>:<action_ts>`: the inbox's key for the click (a snooze is
 *   an upsert of "until", so a repeat moves nothing that matters; the key only names the click).
 * - Progress modal: `slack:modal:<view id>`: one modal, one record, however often the
 *   submission is retried (a submission refused for a bad date records nothing under its key).
 * - Slash commands: `slack:cmd:<trigger id>` (each invocation has its own trigger id).
 * - Events (thread replies, edits, deletions): `slack:event:<event_id>` through firstDelivery;
 *   Slack's retries (X-Slack-Retry-Num) repeat the event_id.
 */
export const bragClickKey = (k: { actionId: string; brag: string; version?: string | undefined; userId: string; actionTs: string }): string =>
  k.version !== undefined ? `slack:brag:${k.actionId}:${k.brag}:v${k.version}:${k.userId}` : `slack:brag:${k.actionId}:${k.brag}:ts${k.actionTs}:${k.userId}`;

export const notMineKey = (k: { actionId: string; userId: string; messageTs: string }): string => `slack:not-mine:${k.actionId}:${k.userId}:${k.messageTs}`;

export const snoozeKey = (k: { actionId: string; userId: string; actionTs: string }): string => `slack:snooze:${k.actionId}:${k.userId}:${k.actionTs}`;

export const modalKey = (viewId: string): string => `slack:modal:${viewId}`;

export const commandKey = (triggerId: string): string => `slack:cmd:${triggerId}`;

export const eventKey = (eventId: string): string => `slack:event:${eventId}`;
