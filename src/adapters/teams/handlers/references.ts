/**
 * Middleware for every activity: activities from a foreign tenant stop here; otherwise the
 * conversation reference is stored (install, message, click…) so the outbox can reach the
 * person or channel later, and the route handlers run.
 */
import type { App } from '@microsoft/teams.apps';
import { storeConversationRef } from '../references.js';
import type { HandlerDeps } from '../deps.js';
import { conversationKind } from '../activity.js';
import { acting, foreignTenant, isPersonal, turnFromContext, type Turn } from './turn.js';

/**
 * The bot added to a conversation (Teams also sends installationUpdate, and upgrades send it
 * again: the membersAdded event is the one that happens once per install).
 */
function isInstall(turn: Pick<Turn, 'activity'>): boolean {
  const a = turn.activity;
  return a.type === 'conversationUpdate' && (a.membersAdded ?? []).some((m) => m.id !== undefined && m.id === a.recipient?.id);
}

export async function rememberConversation(deps: HandlerDeps, turn: Turn): Promise<'stored' | 'foreign' | 'skipped'> {
  if (foreignTenant(deps, turn.activity)) {
    turn.log.warn({ refused: true, reason: 'foreign-tenant' }, 'teams: activity from another tenant ignored');
    return 'foreign';
  }
  try {
    const personal = isPersonal(turn.activity);
    // Only a personal chat belongs to a person; the roster is asked there, not for channel chatter.
    const who = personal ? await acting(deps, turn, true) : null;
    const ref = await storeConversationRef(deps.db, turn.activity, who?.person?.id ?? null);
    if (ref?.conversation && deps.onInstalled && isInstall(turn)) {
      try {
        deps.onInstalled({ conversationId: ref.conversation.id, kind: conversationKind(turn.activity), personId: personal ? who?.person?.id ?? null : null });
      } catch (e) {
        turn.log.warn({ err: e }, 'teams: onInstalled failed');
      }
    }
    return ref ? 'stored' : 'skipped';
  } catch (e) {
    // Never block the activity itself: the reference is refreshed on the next one.
    turn.log.warn({ err: e }, 'teams: could not store the conversation reference');
    return 'skipped';
  }
}

export function register(app: App, deps: HandlerDeps): void {
  app.use(async (ctx) => {
    const outcome = await rememberConversation(deps, turnFromContext(deps, ctx));
    if (outcome === 'foreign') return;
    return ctx.next();
  });
}
