/**
 * Middleware for every activity: activities from a foreign tenant stop here; otherwise the
 * conversation reference is stored (install, message, click…) so the outbox can reach the
 * person or channel later, and the route handlers run.
 */
import type { App } from '@microsoft/teams.apps';
import { storeConversationRef } from '../references.js';
import type { HandlerDeps } from '../deps.js';
import { acting, foreignTenant, isPersonal, turnFromContext, type Turn } from './turn.js';

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
