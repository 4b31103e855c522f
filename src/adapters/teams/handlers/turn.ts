/**
 * A handler's view of one inbound activity: the activity as plain data and the few things a
 * handler may do in return. Built from the SDK's context in `register`; tests build it from a
 * fixture and fakes, so every handler runs as a plain function without a server.
 */
import type { ActivityParams } from '@microsoft/teams.api';
import type { IActivityContext } from '@microsoft/teams.apps';
import type { Logger } from '../../../logging.js';
import { actorOf, conversationKind, splitThreadId, tenantOf, type Actor, type LooseActivity } from '../activity.js';
import { cardActivity, type OutgoingCard } from '../connector.js';
import type { HandlerDeps } from '../deps.js';
import { accountCaller, type Caller } from '../../../services/access.js';
import { actorOrg, resolvePerson, type Person, type RosterLookup } from '../identity.js';

export interface Turn {
  activity: LooseActivity;
  log: Logger;
  /** Posts a card in the activity's conversation (a channel reply stays in its thread). */
  reply(message: OutgoingCard): Promise<string | undefined>;
  /** Replaces a message the bot sent in this conversation (the Action.Submit fallback). */
  update(activityId: string, message: OutgoingCard): Promise<void>;
  /** The conversation's roster, to find a person's email. */
  roster?: RosterLookup | undefined;
}

export function turnLogger(deps: Pick<HandlerDeps, 'logger'>, activity: LooseActivity): Logger {
  // Ids only: message bodies can carry personal data and never go to the logs.
  return deps.logger.child({
    teams: {
      type: activity.type,
      ...(activity.name ? { name: activity.name } : {}),
      activityId: activity.id,
      conversation: activity.conversation?.conversationType,
      tenant: tenantOf(activity),
      user: activity.from?.aadObjectId ?? activity.from?.id,
    },
  });
}

export function turnFromContext(deps: Pick<HandlerDeps, 'logger'>, ctx: IActivityContext): Turn {
  const activity = ctx.activity as unknown as LooseActivity;
  const conversationId = activity.conversation?.id ?? '';
  return {
    activity,
    log: turnLogger(deps, activity),
    async reply(message) {
      const sent = await ctx.send(cardActivity(message) as ActivityParams);
      return sent.id;
    },
    async update(activityId, message) {
      await ctx.api.conversations.activities(conversationId).update(activityId, { ...cardActivity(message), id: activityId } as ActivityParams);
    },
    roster: async (teamsUserId) => {
      const m = await ctx.api.conversations.members(splitThreadId(conversationId).base).getById(teamsUserId);
      const extra = m as unknown as { email?: string; userPrincipalName?: string };
      return { email: extra.email, userPrincipalName: extra.userPrincipalName, aadObjectId: m.aadObjectId };
    },
  };
}

export interface Acting {
  actor: Actor;
  person: Person | null;
  /** The account belongs to another tenant (an external member of a shared channel). */
  external: boolean;
}

const withRoster = new WeakMap<object, Promise<Person | null>>();
const withoutRoster = new WeakMap<object, Promise<Person | null>>();

/**
 * Who sent this activity, as a bragbot person (memoised per activity: the reference
 * middleware and the handler ask for the same one). The roster is asked only in personal
 * chats, where a person's own conversation is at stake, and in clicks and commands.
 */
export async function acting(deps: Pick<HandlerDeps, 'db' | 'workspaceId' | 'tenantId'>, turn: Pick<Turn, 'activity' | 'roster'>, useRoster = true): Promise<Acting | null> {
  const actor = actorOf(turn.activity);
  if (!actor) return null;
  const memo = useRoster ? withRoster : withoutRoster;
  let p = memo.get(turn.activity);
  if (!p) {
    p = resolvePerson(deps.db, deps.workspaceId, actor, useRoster ? turn.roster : undefined, deps.tenantId);
    memo.set(turn.activity, p);
  }
  return { actor, person: await p, external: actorOrg(actor, deps.tenantId) !== null };
}

/** The caller a Teams activity is decided for. */
export const callerOfActing = (who: Pick<Acting, 'person' | 'external'> | null): Caller => accountCaller(who?.person?.id, 'teams', who?.external ?? false);

/** Activities from another tenant than the configured one are not ours to act on. */
export function foreignTenant(deps: Pick<HandlerDeps, 'tenantId'>, activity: LooseActivity): boolean {
  if (!deps.tenantId) return false;
  return tenantOf(activity) !== deps.tenantId;
}

export const isPersonal = (a: LooseActivity): boolean => conversationKind(a) === 'personal';
