/**
 * Replies in an update thread become the person's section of the highlight report. A reply's
 * conversation id names its thread (`19:…@thread.tacv2;messageid=<root id>`); the root is the
 * update-round post the outbox sent (UpdateThread.threadId). With the RSC permission
 * ChannelMessage.Read.Group every reply arrives; without it only replies that @mention the
 * bot do (the thread-open card says so). Saved replies are acknowledged in the thread.
 */
import type { App } from '@microsoft/teams.apps';
import { captureThreadReply, findThread } from '../../../services/threads.js';
import { activityDate, conversationKind, messageText, splitThreadId } from '../activity.js';
import { renderNotice } from '../cards/interactive.js';
import { md, ukDate } from '../cards/text.js';
import type { HandlerDeps } from '../deps.js';
import { parseCommand } from './commands.js';
import { acting, turnFromContext, type Turn } from './turn.js';

export type ThreadOutcome = 'not-a-thread' | 'command' | Awaited<ReturnType<typeof captureThreadReply>>;

/** The update thread a channel activity belongs to, if any. */
export async function threadOf(deps: HandlerDeps, turn: Pick<Turn, 'activity'>) {
  if (conversationKind(turn.activity) !== 'channel') return null;
  const { base, rootId } = splitThreadId(turn.activity.conversation?.id ?? '');
  if (!rootId) return null;
  const thread = await findThread(deps.db, 'teams', base, rootId);
  return thread && thread.meeting.group.workspaceId === deps.workspaceId ? { thread, base, rootId } : null;
}

export async function handleThreadReply(deps: HandlerDeps, turn: Turn): Promise<ThreadOutcome> {
  const found = await threadOf(deps, turn);
  if (!found) return 'not-a-thread';
  const text = messageText(turn.activity);
  // "@bragbot help" in the thread is a question, not a section of the report.
  if (text.length < 60 && parseCommand(text)) return 'command';
  const who = await acting(deps, turn);
  if (!who || !turn.activity.id) return 'ignored';
  const outcome = await captureThreadReply(deps.db, {
    workspaceId: deps.workspaceId,
    platform: 'teams',
    conversationId: found.base,
    threadId: found.rootId,
    messageId: turn.activity.id,
    userId: who.actor.userId,
    displayName: who.actor.displayName,
    at: activityDate(turn.activity, deps.clock()),
    event: { kind: 'posted', text },
  });
  turn.log.info({ outcome, thread: found.thread.id }, 'teams: update-thread reply');
  if (outcome === 'captured') {
    const section = await deps.db.sectionUpdate.findUnique({ where: { threadId_platformMessageId: { threadId: found.thread.id, platformMessageId: turn.activity.id } }, select: { section: true } });
    const meeting = found.thread.meeting;
    try {
      await turn.reply({
        card: renderNotice('Update saved', `✅ Thank you${who.person ? `, ${md(who.person.name)}` : ''}: saved as the **${md(section?.section ?? 'your')}** section of the ${md(meeting.group.name)} highlight report for ${ukDate(meeting.date)}. Edit or delete your reply to change it.`, 'good'),
        summary: 'Update saved',
      });
    } catch (e) {
      // The section is saved; a missing acknowledgement is cosmetic.
      turn.log.warn({ err: e }, 'teams: could not acknowledge the reply');
    }
  }
  return outcome;
}

export function register(app: App, deps: HandlerDeps): void {
  app.on('message', async (ctx) => {
    const outcome = await handleThreadReply(deps, turnFromContext(deps, ctx));
    if (outcome === 'not-a-thread' || outcome === 'command') await ctx.next();
  });
}
