/**
 * Who is clicking, and how to tell them no. Every interaction resolves the Slack user to a
 * bragbot person of this workspace; a refusal is an ephemeral message that says what to do
 * and a log line (who, what, why; never message bodies).
 */
import { isBragbotError } from '../../core/errors.js';
import type { Logger } from '../../logging.js';
import { NOT_KNOWN, personCaller, type Caller } from '../../services/access.js';
import { findPersonByPlatformId } from '../../services/people.js';
import type { HandlerDeps } from './deps.js';

export type Person = NonNullable<Awaited<ReturnType<typeof findPersonByPlatformId>>>;

export const NOT_MAPPED = NOT_KNOWN.slack;

export async function personOf(deps: HandlerDeps, slackUserId: string): Promise<Person | null> {
  return findPersonByPlatformId(deps.db, deps.workspaceId, 'slack', slackUserId);
}

/** The caller an interaction is decided for: the person, or someone bragbot does not know. */
export async function callerOf(deps: HandlerDeps, slackUserId: string): Promise<{ caller: Caller; person: Person | null }> {
  const person = await personOf(deps, slackUserId);
  return { caller: personCaller(person?.id, 'slack'), person };
}

/** How a handler speaks to the one person who acted: an ephemeral message. */
export type Ephemeral = (text: string) => Promise<void>;

export async function refuse(log: Logger, say: Ephemeral, reason: string, fields: Record<string, unknown>): Promise<void> {
  log.warn({ ...fields, refused: true, reason }, 'slack interaction refused');
  await say(`:no_entry: ${reason}`);
}

/**
 * Runs a handler's work; a BragbotError (not found, forbidden, invalid input) becomes an
 * ephemeral message in its own words, anything else is logged as a bug and the person is told
 * it failed (never left with a silent button).
 */
export async function withUserErrors(log: Logger, say: Ephemeral, fields: Record<string, unknown>, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (e) {
    if (isBragbotError(e)) {
      if (e.code === 'FORBIDDEN' || e.code === 'NOT_FOUND') await refuse(log, say, e.message, { ...fields, code: e.code });
      else {
        log.info({ ...fields, code: e.code }, 'slack interaction rejected');
        await say(`:warning: ${e.message}`);
      }
      return;
    }
    log.error({ ...fields, err: e }, 'slack interaction failed');
    await say(':warning: Sorry, that did not work. It has been logged; please try again in a minute.').catch(() => undefined);
  }
}
