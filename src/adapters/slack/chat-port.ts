/**
 * The ChatPort for Slack: what the dispatcher calls to deliver the outbox. Renders the neutral
 * message to Block Kit, opens DMs, posts, and turns Slack's failures into the core's
 * RateLimitedError / TransientChatError. Its WebClient never retries on its own (the outbox
 * does, per message, so one rate-limited DM does not stall the others).
 */
import type { WebClient } from '@slack/web-api';
import type { ChatAddress, ChatPort, OutboundMessage, SendContext, SendResult } from '../../core/chat.js';
import type { Db } from '../../db/client.js';
import type { Logger } from '../../logging.js';
import { versionsOf } from '../../services/actions.js';
import { PermanentSlackError, toChatError } from './errors.js';
import { actionIdsOf, renderOutbound } from './render/outbound.js';

/** Slack message metadata type carrying the outbox key, so a crashed dispatcher's message can be found again. */
export const OUTBOX_METADATA_TYPE = 'bragbot_outbox';

const isUserId = (id: string): boolean => /^[UW][A-Z0-9]{2,}$/.test(id);

export interface SlackChatPortOptions {
  client: WebClient;
  db: Db;
  workspaceId: string;
  logger: Logger;
}

export interface SlackChatPort extends ChatPort {
  /** A user id (U…) → their DM channel (D…); channel ids pass through. */
  conversationFor(conversationId: string): Promise<string>;
}

export function createSlackChatPort(o: SlackChatPortOptions): SlackChatPort {
  const dmChannels = new Map<string, string>();

  async function conversationFor(conversationId: string): Promise<string> {
    if (!isUserId(conversationId)) return conversationId;
    const known = dmChannels.get(conversationId);
    if (known) return known;
    let res;
    try {
      res = await o.client.conversations.open({ users: conversationId, return_im: false });
    } catch (e) {
      throw toChatError(e, 'conversations.open');
    }
    const id = res.channel?.id;
    if (!id) throw new Error(`conversations.open returned no channel for ${conversationId}`);
    dmChannels.set(conversationId, id);
    return id;
  }

  /**
   * After a crash mid-send: is the message already in the conversation? (metadata carries the key)
   * Only an answer from Slack says "not there". A lookup that was rate-limited or failed throws
   * (RateLimitedError: the dispatcher waits Retry-After and asks again; TransientChatError: retried
   * with back-off); reading it as "not sent" posted duplicates (issue 10: 2 in 215 with replicas).
   */
  async function alreadySent(channel: string, threadTs: string | undefined, key: string): Promise<SendResult | null> {
    const method = threadTs ? 'conversations.replies' : 'conversations.history';
    let res;
    try {
      res = threadTs
        ? await o.client.conversations.replies({ channel, ts: threadTs, limit: 50, include_all_metadata: true })
        : await o.client.conversations.history({ channel, limit: 50, include_all_metadata: true });
    } catch (e) {
      const err = toChatError(e, method);
      o.logger.warn({ err: err.message, channel }, 'slack: could not check for an earlier delivery; not sending until it can');
      if (err instanceof PermanentSlackError) {
        throw new PermanentSlackError(err.slackError, `could not check whether an earlier attempt was delivered, so it was not sent again: ${err.message}`);
      }
      throw err;
    }
    const hit = res.messages?.find((m) => {
      const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: unknown } } }).metadata;
      return meta?.event_type === OUTBOX_METADATA_TYPE && meta.event_payload?.key === key;
    });
    return hit?.ts ? { providerMessageId: hit.ts, conversationId: channel } : null;
  }

  async function send(to: ChatAddress, message: OutboundMessage, context?: SendContext): Promise<SendResult> {
    if (to.platform !== 'slack') throw new Error(`the Slack port cannot send to ${to.platform}`);
    const channel = await conversationFor(to.conversationId);
    if (context?.recovering) {
      const earlier = await alreadySent(channel, to.threadId, context.idempotencyKey);
      if (earlier) {
        o.logger.info({ channel, kind: message.kind }, 'slack: message was already delivered before a restart');
        return earlier;
      }
    }
    const versions = await versionsOf(o.db, o.workspaceId, actionIdsOf(message));
    const rendered = renderOutbound(message, { versions });
    // A partner's member in a shared channel (no DM reaches them): the message names them first.
    const mention = to.mention ? `<@${to.mention.userId}>` : null;
    try {
      const res = await o.client.chat.postMessage({
        channel,
        text: mention ? `${mention} ${rendered.text}` : rendered.text,
        blocks: mention ? [{ type: 'section', text: { type: 'mrkdwn', text: `${mention}, this is for you:` } }, ...rendered.blocks] : rendered.blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(to.threadId ? { thread_ts: to.threadId } : {}),
        ...(context ? { metadata: { event_type: OUTBOX_METADATA_TYPE, event_payload: { key: context.idempotencyKey } } } : {}),
      });
      if (!res.ts) throw new Error('chat.postMessage returned no ts');
      o.logger.debug({ channel, kind: message.kind, ts: res.ts }, 'slack: sent');
      // For 'thread-open' this ts is the thread: recordSlackThreadOpened stores it.
      return { providerMessageId: res.ts, conversationId: res.channel ?? channel };
    } catch (e) {
      throw toChatError(e, 'chat.postMessage');
    }
  }

  return { platform: 'slack', send, conversationFor };
}
