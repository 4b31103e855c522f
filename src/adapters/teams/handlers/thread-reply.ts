/**
 * Replies in an update thread become the person's section of the highlight report. A reply's
 * conversation id names its thread (`19:…@thread.tacv2;messageid=<root id>`); the root is the
 * update-round post the outbox sent (UpdateThread.threadId). With the RSC permission
 * ChannelMessage.Read.Group every reply arrives; without it only replies that @mention the
 * bot do (the thread-open card says so). Saved replies are acknowledged in the thread.
 */
import type { App } from '@microsoft/teams.apps';
import { captureSection, describeSection } from '../../../services/interactions/index.js';
import { findThread } from '../../../services/threads.js';
import { activityDate, conversationKind, messageText, splitThreadId } from '../activity.js';
import { renderNotice } from '../cards/interactive.js';
import { TEAMS_STYLE } from '../cards/style.js';
import { md } from '../cards/text.js';
import type { HandlerDeps } from '../deps.js';
import { parseCommand } from './commands.js';
import { acting, callerOfActing, turnFromContext, type Turn } from './turn.js';

export type ThreadOutcome = 'not-a-thread' | 'command' | 'captured' | 'updated' | 'deleted' | 'ignored' | 'refused' | 'too-long';

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
  const outcome = await captureSection(deps.db, {
    workspaceId: deps.workspaceId,
    caller: callerOfActing(who),
    platform: 'teams',
    conversationId: found.base,
    threadId: found.rootId,
    messageId: turn.activity.id,
    userId: who.actor.userId,
    displayName: who.actor.displayName,
    at: activityDate(turn.activity, deps.clock()),
    event: { kind: 'posted', text },
    now: deps.clock(),
  });
  turn.log.info({ outcome: outcome.kind, thread: found.thread.id }, 'teams: update-thread reply');
  if (outcome.kind === 'refused' || outcome.kind === 'too-long') {
    turn.log.warn({ refused: true, ...(outcome.kind === 'refused' ? { code: outcome.code } : {}) }, 'teams: update-thread reply not taken');
    // Teams has no private messages in a channel: the note is a reply in the thread, and says only why.
    if (outcome.notify) await acknowledge(turn, renderNotice('Not saved', `⛔ ${md(outcome.text)}`, 'attention'), 'Not saved');
    return outcome.kind;
  }
  if (outcome.kind === 'captured') {
    await acknowledge(turn, renderNotice('Update saved', describeSection(outcome, TEAMS_STYLE, who.person?.name ?? null), 'good'), 'Update saved');
  }
  return outcome.kind === 'not-a-thread' || outcome.kind === 'retry' ? 'ignored' : outcome.kind;
}

async function acknowledge(turn: Turn, card: ReturnType<typeof renderNotice>, summary: string): Promise<void> {
  try {
    await turn.reply({ card, summary });
  } catch (e) {
    // What was decided stands; a missing acknowledgement is cosmetic.
    turn.log.warn({ err: e }, 'teams: could not acknowledge the reply');
  }
}

export function register(app: App, deps: HandlerDeps): void {
  app.on('message', async (ctx) => {
    const outcome = await handleThreadReply(deps, turnFromContext(deps, ctx));
    if (outcome === 'not-a-thread' || outcome === 'command') await ctx.next();
  });
}
