/** What every interaction takes and what a refusal looks like. */
import type { Caller, Channel, DenialCode } from '../access.js';

export interface InteractionInput {
  workspaceId: string;
  /** Who is asking, resolved by the channel (a person, unknown, another organisation). */
  caller: Caller;
  /** Which channel it came through (recorded as StatusUpdate.channel on a change). */
  channel: Channel;
  /** The caller's clock: nothing here reads the time. */
  now: Date;
  /** The route of the message the caller acted from, when known (a web page opened from an email): recorded with a change. */
  route?: string | undefined;
}

/** Refused: nothing was written. `reason` is the access module's sentence; `text` the plain sentence to show. */
export interface Refused {
  kind: 'refused';
  code: DenialCode;
  reason: string;
  text: string;
}
