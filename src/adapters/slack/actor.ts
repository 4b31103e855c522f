/**
 * Who is clicking, and how to tell them no. Every interaction resolves the Slack account —
 * (workspace, user id) — to a bragbot person: in a Slack Connect channel the clicker may belong
 * to a partner's workspace (`user.team_id` in block_actions, `user_team` in message events,
 * while `team.id` / the envelope's `team_id` stay ours: tests/fixtures/slack/README.md). A
 * refusal is an ephemeral message that says what to do and a log line (who, what, why; never
 * message bodies).
 */
import { isBragbotError } from '../../core/errors.js';
import type { Logger } from '../../logging.js';
import { accountCaller, NOT_KNOWN, type Caller } from '../../services/access.js';
import { findPersonByAccount } from '../../services/people.js';
import type { HandlerDeps } from './deps.js';

export type Person = NonNullable<Awaited<ReturnType<typeof findPersonByAccount>>>;

export const NOT_MAPPED = NOT_KNOWN.slack;

/**
 * The partner workspace an account belongs to, or null when it is ours. `userTeam` is what the
 * payload says of the user's own workspace; where it says nothing (slash commands) the account
 * is taken as ours, so a partner's person is only ever recognised where Slack names their team.
 */
export function accountOrg(deps: Pick<HandlerDeps, 'teamId'>, userTeam: string | undefined | null): string | null {
  return userTeam && userTeam !== deps.teamId ? userTeam : null;
}

export async function personOf(deps: HandlerDeps, slackUserId: string, userTeam?: string | null): Promise<Person | null> {
  return findPersonByAccount(deps.db, deps.workspaceId, 'slack', slackUserId, accountOrg(deps, userTeam));
}

/** The caller an interaction is decided for: the person, someone bragbot does not know, or someone of another workspace. */
export async function callerOf(deps: HandlerDeps, slackUserId: string, userTeam?: string | null): Promise<{ caller: Caller; person: Person | null }> {
  const person = await personOf(deps, slackUserId, userTeam);
  return { caller: accountCaller(person?.id, 'slack', accountOrg(deps, userTeam) !== null), person };
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
