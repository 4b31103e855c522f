/**
 * The ChatPort for Teams: what the dispatcher calls to deliver the outbox. Renders the neutral
 * message to an Adaptive Card, posts it proactively to the conversation reference, and turns
 * the connector's failures into RateLimitedError / TransientChatError.
 *
 * After a crash mid-send, or a failed attempt that may have arrived (SendContext.recovering),
 * Teams offers a bot no way to look for its earlier message without Graph permissions, so the
 * message is sent again: at-least-once, the lesser harm than a reminder never sent.
 */
import type { ChatAddress, ChatPort, OutboundMessage, SendContext, SendResult } from '../../core/chat.js';
import type { Db } from '../../db/client.js';
import type { Logger } from '../../logging.js';
import { splitThreadId } from './activity.js';
import { cardBytes } from './cards/elements.js';
import { CARD_BYTE_LIMIT } from './cards/fit.js';
import { actionIdsOf, renderOutbound } from './cards/outbound.js';
import type { ConnectorClient } from './connector.js';
import { versionsOf } from '../../services/actions.js';
import { PermanentTeamsError, toChatError } from './errors.js';
import { targetOf } from './references.js';

export interface TeamsChatPortOptions {
  connector: ConnectorClient;
  db: Db;
  workspaceId: string;
  logger: Logger;
  defaultServiceUrl: string;
}

export function createTeamsChatPort(o: TeamsChatPortOptions): ChatPort {
  async function send(to: ChatAddress, message: OutboundMessage, context?: SendContext): Promise<SendResult> {
    if (to.platform !== 'teams') throw new Error(`the Teams port cannot send to ${to.platform}`);
    if (context?.recovering) o.logger.info({ kind: message.kind }, 'teams: sending again: an earlier attempt may have arrived (Teams cannot be asked)');
    const versions = await versionsOf(o.db, o.workspaceId, actionIdsOf(message));
    const rendered = renderOutbound(message, { versions });
    const bytes = cardBytes(rendered.card);
    if (bytes > CARD_BYTE_LIMIT) throw new PermanentTeamsError(413, `the ${message.kind} card is ${bytes} bytes, over Teams' message size even after summarising`);
    const target = targetOf(to, o.defaultServiceUrl);
    let id: string;
    try {
      ({ id } = await o.connector.post(target, { card: rendered.card, summary: rendered.summary, ...(to.mention ? { mention: { id: to.mention.userId, name: to.mention.name } } : {}) }));
    } catch (e) {
      throw toChatError(e, `sending a ${message.kind}`);
    }
    o.logger.debug({ kind: message.kind, id, bytes }, 'teams: sent');
    // For 'thread-open' the id is the thread's root and the channel its conversation: the
    // dispatcher stores both as the UpdateThread, which is how replies are recognised.
    return { providerMessageId: id, conversationId: splitThreadId(to.conversationId).base };
  }
  return { platform: 'teams', send };
}
