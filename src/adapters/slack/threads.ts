/** Update threads on Slack: the thread is the ts of the message that opened it. */
import type { SendResult } from '../../core/chat.js';
import type { Db } from '../../db/client.js';
import { recordThreadOpened } from '../../services/threads.js';

/**
 * Records the thread a 'thread-open' send created, so replies in it become section updates.
 * `channelId` is where it was sent (used when Slack did not echo the channel back).
 */
export async function recordSlackThreadOpened(db: Db, t: { meetingId: string; channelId: string; sent: SendResult; now: Date }) {
  return recordThreadOpened(db, {
    meetingId: t.meetingId,
    platform: 'slack',
    conversationId: t.sent.conversationId ?? t.channelId,
    threadId: t.sent.providerMessageId,
    now: t.now,
  });
}
