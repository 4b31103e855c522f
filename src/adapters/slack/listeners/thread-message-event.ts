/**
 * Replies in an update thread become that person's section of the highlight report; edits
 * replace it, deletions drop it. The interactions service decides who may be captured (members
 * and the people asked, issue 10 pt 1) and processes each event once (event_id as the delivery
 * key: Slack retries with X-Slack-Retry-Num and the same event_id); a captured reply gets a ✅,
 * a refused one a private note (an ephemeral message) saying why, and nothing is stored.
 */
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { ReplyEvent } from '../../../services/threads.js';
import { captureSection } from '../../../services/interactions/index.js';
import type { Caller } from '../../../services/access.js';
import { callerOf } from '../actor.js';
import type { HandlerDeps } from '../deps.js';
import { slackErrorCode } from '../errors.js';
import { eventKey } from '../idempotency.js';
import { esc } from '../render/text.js';

export interface ThreadReplyEvent {
  channel: string;
  threadTs: string;
  messageTs: string;
  userId: string;
  /** The author's own workspace, when Slack says (Slack Connect: another organisation's). */
  userTeam?: string | undefined;
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
    return { channel, threadTs: event.thread_ts as string, messageTs: event.ts as string, userId: event.user as string, userTeam: str(event.user_team) ?? str(event.team), at: tsDate(event.ts as string), event: { kind: 'posted', text: str(event.text) ?? '' } };
  }
  if (subtype === 'message_changed') {
    const m = (event.message ?? {}) as Loose;
    if (!isReply(m) || !fromPerson(m) || !str(m.ts)) return null;
    const edited = (m.edited ?? {}) as Loose;
    // The edit's own time orders it against other edits (services/threads.ts), not when it arrived.
    const at = str(edited.ts) ?? str(event.event_ts) ?? (m.ts as string);
    return { channel, threadTs: m.thread_ts as string, messageTs: m.ts as string, userId: m.user as string, userTeam: str(m.user_team) ?? str(m.team), at: tsDate(at), event: { kind: 'edited', text: str(m.text) ?? '', postedAt: tsDate(m.ts as string) } };
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
  /** Bolt's context: `retryNum` is set on Slack's redeliveries. */
  context?: { retryNum?: number | undefined } | undefined;
}

/**
 * Who wrote the reply: a person (ours, or a partner's identified by their own workspace and user
 * id), someone unknown, or a user of another workspace bragbot does not know. Whether a partner's
 * reply counts for this group is the access module's decision (captureSection).
 */
async function authorOf(deps: HandlerDeps, reply: ThreadReplyEvent): Promise<Caller> {
  return (await callerOf(deps, reply.userId, reply.userTeam)).caller;
}

export async function handleThreadMessage(deps: HandlerDeps, args: MessageEventArgs): Promise<string> {
  const reply = toThreadReply(args.event);
  if (!reply) return 'not-a-reply';
  const log = deps.logger.child({ slack: { kind: 'event', eventId: args.body.event_id, channel: reply.channel, user: reply.userId, change: reply.event.kind } });
  const outcome = await captureSection(deps.db, {
    workspaceId: deps.workspaceId,
    caller: reply.event.kind === 'deleted' ? { kind: 'unknown', channel: 'slack' } : await authorOf(deps, reply),
    platform: 'slack',
    conversationId: reply.channel,
    threadId: reply.threadTs,
    messageId: reply.messageTs,
    userId: reply.userId,
    at: reply.at,
    event: reply.event,
    deliveryKey: args.body.event_id ? eventKey(args.body.event_id) : undefined,
    redelivery: (args.context?.retryNum ?? 0) > 0,
    now: deps.clock(),
  });
  if (outcome.kind === 'not-a-thread') return outcome.kind;
  if (outcome.kind === 'retry') {
    log.debug('slack: event already processed (retry)');
    return outcome.kind;
  }
  if (outcome.kind === 'refused' || outcome.kind === 'too-long') {
    log.warn({ outcome: outcome.kind, refused: true, ...(outcome.kind === 'refused' ? { code: outcome.code } : {}) }, 'slack: update-thread reply not taken');
    if (outcome.notify) {
      try {
        await args.client.chat.postEphemeral({ channel: reply.channel, user: reply.userId, thread_ts: reply.threadTs, text: `:no_entry: ${esc(outcome.text)}` });
      } catch (e) {
        log.warn({ err: e }, 'slack: could not send the private note');
      }
    }
    return outcome.kind;
  }
  log.info({ outcome: outcome.kind }, 'slack: update-thread reply');
  if (outcome.kind === 'captured') {
    try {
      await args.client.reactions.add({ channel: reply.channel, timestamp: reply.messageTs, name: 'white_check_mark' });
    } catch (e) {
      // The section is saved; a missing tick is cosmetic.
      if (slackErrorCode(e) !== 'already_reacted') log.warn({ err: e }, 'slack: could not add the ✅ reaction');
    }
  }
  return outcome.kind;
}

export function register(app: App, deps: HandlerDeps): void {
  app.event('message', async ({ body, event, client, context }) => {
    await handleThreadMessage(deps, { body: body as MessageEventArgs['body'], event: event as unknown as Loose, client, context });
  });
}
