/**
 * What each kind of inbox row does: the interactions service's decision, with the row's key as
 * the idempotency key and the time it ARRIVED as "now" (a click finished after a restart is
 * stamped when the person made it). A coded error is an answer (rejected), not a failure.
 */
import type { Brag } from '../../core/brag.js';
import { isBragbotError } from '../../core/errors.js';
import type { Db } from '../../db/client.js';
import { personCaller, type Channel } from '../access.js';
import { handBack, recordBragClick, snoozeReminders, type BragClickOutcome, type HandBackOutcome, type SettableBrag, type SnoozeOutcome } from '../interactions/index.js';
import type { StoredInteraction } from './store.js';

export type InboxResult =
  | { kind: 'brag'; outcome: BragClickOutcome }
  | { kind: 'snooze'; outcome: SnoozeOutcome }
  | { kind: 'not-mine'; outcome: HandBackOutcome }
  /** A coded error the person can act on (its message says what to do). */
  | { kind: 'rejected'; code: string; message: string }
  /** Attempts ran out (the database kept failing): the person is told to try again. */
  | { kind: 'failed' };

/** Each kind's neutral input, as the channels store it. */
export interface InboxInputs {
  brag: { actionId: string; brag: SettableBrag; version?: string | undefined };
  snooze: { actionId: string };
  'not-mine': { actionId: string; note?: string | undefined };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const SETTABLE: ReadonlySet<string> = new Set<SettableBrag>(['blue', 'green', 'amber', 'red']);

export async function workInteraction(db: Db, item: StoredInteraction): Promise<InboxResult> {
  const base = {
    workspaceId: item.workspaceId,
    caller: personCaller(item.personId, item.platform as Channel),
    channel: item.platform as Channel,
    now: item.receivedAt,
  };
  const actionId = str(item.input.actionId);
  try {
    switch (item.kind) {
      case 'brag': {
        const version = typeof item.input.version === 'string' ? item.input.version : undefined;
        if (!SETTABLE.has(String(item.input.brag))) return { kind: 'rejected', code: 'INPUT_INVALID', message: 'That button is not one bragbot understands.' };
        return { kind: 'brag', outcome: await recordBragClick(db, { ...base, actionId, brag: item.input.brag as Exclude<Brag, 'unrated'>, version, idempotencyKey: item.key }) };
      }
      case 'snooze':
        return { kind: 'snooze', outcome: await snoozeReminders(db, { ...base, actionId }) };
      case 'not-mine': {
        const note = typeof item.input.note === 'string' ? item.input.note : undefined;
        return { kind: 'not-mine', outcome: await handBack(db, { ...base, actionId, idempotencyKey: item.key, note }) };
      }
    }
  } catch (e) {
    if (isBragbotError(e)) return { kind: 'rejected', code: e.code, message: e.message };
    throw e;
  }
  return { kind: 'rejected', code: 'INPUT_INVALID', message: `bragbot does not know what to do with a “${String(item.kind)}” click.` };
}

/** The outcome's name as stored on the row (recorded, duplicate, stale, snoozed, refused, failed …). */
export function outcomeName(r: InboxResult): string {
  if (r.kind === 'rejected' || r.kind === 'failed') return r.kind;
  if (r.kind === 'not-mine' && r.outcome.kind !== 'refused') return `handed-back:${r.outcome.kind}`;
  return r.outcome.kind;
}
