/** An edited reply in an update thread replaces its section's text (the report shows what they meant last). */
import type { App } from '@microsoft/teams.apps';
import { captureSection } from '../../../services/interactions/index.js';
import { renderNotice } from '../cards/interactive.js';
import { md } from '../cards/text.js';
import { activityDate, messagePostedAt, messageText } from '../activity.js';
import type { HandlerDeps } from '../deps.js';
import { threadOf } from './thread-reply.js';
import { acting, callerOfActing, turnFromContext, type Turn } from './turn.js';

export async function handleThreadEdit(deps: HandlerDeps, turn: Turn): Promise<string> {
  const found = await threadOf(deps, turn);
  if (!found || !turn.activity.id) return 'not-a-thread';
  const who = await acting(deps, turn);
  if (!who) return 'ignored';
  // The edit's own timestamp orders it against other edits and the deletion (services/threads.ts).
  const at = activityDate(turn.activity, deps.clock());
  const outcome = await captureSection(deps.db, {
    workspaceId: deps.workspaceId, caller: callerOfActing(who), platform: 'teams', conversationId: found.base, threadId: found.rootId, messageId: turn.activity.id,
    userId: who.actor.userId, displayName: who.actor.displayName, at, event: { kind: 'edited', text: messageText(turn.activity), postedAt: messagePostedAt(turn.activity, at) }, now: deps.clock(),
  });
  turn.log.info({ outcome: outcome.kind }, 'teams: update-thread reply edited');
  if (outcome.kind === 'too-long' && outcome.notify) {
    await turn.reply({ card: renderNotice('Not saved', `⛔ ${md(outcome.text)}`, 'attention'), summary: 'Not saved' }).catch((e: unknown) => turn.log.warn({ err: e }, 'teams: could not answer the edit'));
  }
  return outcome.kind;
}

export function register(app: App, deps: HandlerDeps): void {
  app.on('messageUpdate', async (ctx) => {
    await handleThreadEdit(deps, turnFromContext(deps, ctx));
  });
}
