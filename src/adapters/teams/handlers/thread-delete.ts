/** A deleted reply in an update thread drops its section from the report. */
import type { App } from '@microsoft/teams.apps';
import { captureSection } from '../../../services/interactions/index.js';
import { activityDate } from '../activity.js';
import type { HandlerDeps } from '../deps.js';
import { threadOf } from './thread-reply.js';
import { turnFromContext, type Turn } from './turn.js';

export async function handleThreadDelete(deps: HandlerDeps, turn: Turn): Promise<string> {
  const found = await threadOf(deps, turn);
  if (!found || !turn.activity.id) return 'not-a-thread';
  const outcome = await captureSection(deps.db, {
    workspaceId: deps.workspaceId, caller: { kind: 'unknown', channel: 'teams' }, platform: 'teams', conversationId: found.base, threadId: found.rootId, messageId: turn.activity.id,
    userId: turn.activity.from?.aadObjectId ?? turn.activity.from?.id ?? '', at: activityDate(turn.activity, deps.clock()), event: { kind: 'deleted' }, now: deps.clock(),
  });
  turn.log.info({ outcome: outcome.kind }, 'teams: update-thread reply deleted');
  return outcome.kind;
}

export function register(app: App, deps: HandlerDeps): void {
  app.on('messageDelete', async (ctx) => {
    await handleThreadDelete(deps, turnFromContext(deps, ctx));
  });
}
