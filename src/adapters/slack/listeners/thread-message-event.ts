/**
 * Replies in an update thread become that person's section of the highlight report; edits
 * replace it, deletions drop it. Each event is processed once (event_id through firstDelivery:
 * Slack retries with X-Slack-Retry-Num and the same event_id), and a captured reply gets a ✅.
 */
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { captureThreadReply, findThread, type ReplyEvent } from '../../../services/threads.js';
import { firstDelivery } from '../../../services/status-updates.js';
import type { HandlerDeps } from '../deps.js';
import { slackErrorCode } from '../errors.js';
import { eventKey } from '../idempotency.js';

export interface ThreadReplyEvent {
  channel: string;
  threadTs: string;
  messageTs: string;
  userId: string;
  at: Date;
  event: ReplyEvent;
}

type Loose = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const tsDate = (ts: string): Date => new Date(Math.round(Number(ts) * 1000));
const isReply = (m: Loose): boolean => str(m.thread_ts) !== undefined && m.thread_ts !== m.ts;
const fromPerson = (m: Loose): boolean => str(m.user) !== undefined && m.bot_id === undefined && m.subtype !== 'bot_message';

/** A message event as a thread reply, posted / edited / deleted; null for everything else. */
export function toThreadReply(event: Loose): ThreadReplyEvent | null {
  const channel = str(event.channel);
  if (!channel || event.type !== 'message') return null;
  const subtype = str(event.subtype);
  if (subtype === undefined || subtype === 'thread_broadcast' || subtype === 'file_share') {
    if (!isReply(event) || !fromPerson(event)) return null;
    return { channel, threadTs: event.thread_ts as string, messageTs: event.ts as string, userId: event.user as string, at: tsDate(event.ts as string), event: { kind: 'posted', text: str(event.text) ?? '' } };
  }
  if (subtype === 'message_changed') {
    const m = (event.message ?? {}) as Loose;
    if (!isReply(m) || !fromPerson(m) || !str(m.ts)) return null;
    const edited = (m.edited ?? {}) as Loose;
    // The edit's own time orders it against other edits (services/threads.ts), not when it arrived.
    const at = str(edited.ts) ?? str(event.event_ts) ?? (m.ts as string);
    return { channel, threadTs: m.thread_ts as string, messageTs: m.ts as string, userId: m.user as string, at: tsDate(at), event: { kind: 'edited', text: str(m.text) ?? '', postedAt: tsDate(m.ts as string) } };
  }
  if (subtype === 'message_deleted') {
    const prev = (event.previous_message ?? {}) as Loose;
    const messageTs = str(event.deleted_ts) ?? str(prev.ts);
    if (!isReply(prev) || !messageTs) return null;
    return { channel, threadTs: prev.thread_ts as string, messageTs, userId: str(prev.user) ?? '', at: tsDate(str(event.event_ts) ?? str(event.ts) ?? messageTs), event: { kind: 'deleted' } };
  }
  return null;
}

export interface MessageEventArgs {
  body: { event_id?: string; team_id?: string };
  event: Loose;
  client: WebClient;
}

export async function handleThreadMessage(deps: HandlerDeps, args: MessageEventArgs): Promise<string> {
  const reply = toThreadReply(args.event);
  if (!reply) return 'not-a-reply';
  const log = deps.logger.child({ slack: { kind: 'event', eventId: args.body.event_id, channel: reply.channel, user: reply.userId, change: reply.event.kind } });
  // Cheap check first, so chatter in other threads leaves no trace in the database.
  if (!(await findThread(deps.db, 'slack', reply.channel, reply.threadTs))) return 'not-a-thread';
  if (args.body.event_id && !(await firstDelivery(deps.db, eventKey(args.body.event_id), 'slack', deps.clock()))) {
    log.debug('slack: event already processed (retry)');
    return 'retry';
  }
  const outcome = await captureThreadReply(deps.db, {
    workspaceId: deps.workspaceId,
    platform: 'slack',
    conversationId: reply.channel,
    threadId: reply.threadTs,
    messageId: reply.messageTs,
    userId: reply.userId,
    at: reply.at,
    event: reply.event,
  });
  log.info({ outcome }, 'slack: update-thread reply');
  if (outcome === 'captured') {
    try {
      await args.client.reactions.add({ channel: reply.channel, timestamp: reply.messageTs, name: 'white_check_mark' });
    } catch (e) {
      // The section is saved; a missing tick is cosmetic.
      if (slackErrorCode(e) !== 'already_reacted') log.warn({ err: e }, 'slack: could not add the ✅ reaction');
    }
  }
  return outcome;
}

export function register(app: App, deps: HandlerDeps): void {
  app.event('message', async ({ body, event, client }) => {
    await handleThreadMessage(deps, { body: body as MessageEventArgs['body'], event: event as unknown as Loose, client });
  });
}
