/**
 * A reply in an update thread as a section of the board paper (issue 10 pt 1). Only the group's
 * members (and the people asked for an update: the owners of its actions) are captured; anyone
 * else, someone bragbot does not know, or someone from another workspace or tenant, is told
 * privately why and NOTHING is stored (not even the delivery key). A reply over the limit is
 * refused the same way. Edits and deletions go to src/services/threads.ts as before.
 */
import { ukDate } from '../../core/text.js';
import type { Db } from '../../db/client.js';
import { decideOnGroup, type Caller, type DenialCode } from '../access.js';
import { firstDelivery } from '../status-updates.js';
import { captureThreadReply, findThread, sectionHeading, type ReplyEvent } from '../threads.js';
import { overLimit } from './limits.js';
import type { SentenceStyle } from './style.js';

export interface SectionReplyInput {
  workspaceId: string;
  caller: Caller;
  /** 'web': the update-round page (src/web/pages/round.ts), standing in for a thread. */
  platform: 'slack' | 'teams' | 'web';
  conversationId: string;
  threadId: string;
  messageId: string;
  /** The platform's user id (what the section is stored under). */
  userId: string;
  displayName?: string | undefined;
  at: Date;
  event: ReplyEvent;
  /** This delivery's dedupe key (Slack: the event id), recorded only once the reply is taken. */
  deliveryKey?: string | undefined;
  /** A platform's redelivery (Slack's X-Slack-Retry-Num): a refusal is not said twice. */
  redelivery?: boolean | undefined;
  now: Date;
}

export type SectionOutcome =
  | { kind: 'not-a-thread' }
  | { kind: 'retry' }
  | { kind: 'captured' | 'updated'; section: string; groupName: string; meetingDate: string; text: string }
  | { kind: 'deleted' | 'ignored' }
  /** Not stored. `notify`: tell the person privately (`text`), once. */
  | { kind: 'refused'; code: DenialCode; reason: string; text: string; notify: boolean }
  | { kind: 'too-long'; reason: string; text: string; notify: boolean };

export async function captureSection(db: Db, input: SectionReplyInput): Promise<SectionOutcome> {
  // Cheap check first, so chatter in other threads leaves no trace.
  const thread = await findThread(db, input.platform, input.conversationId, input.threadId);
  if (!thread || thread.meeting.group.workspaceId !== input.workspaceId) return { kind: 'not-a-thread' };
  const group = thread.meeting.group;

  if (input.event.kind !== 'deleted') {
    const d = await decideOnGroup(db, { workspaceId: input.workspaceId, caller: input.caller, group: { id: group.id }, capability: 'section.write' });
    // A post is answered; an edit of a reply that was never taken is not (Slack also sends edits for link previews).
    if (!d.allowed) {
      const text = d.code === 'FORBIDDEN' ? d.reason : `Your reply was not added to the ${group.name} highlight report. ${d.reason}`;
      return { kind: 'refused', code: d.code, reason: d.reason, text, notify: input.event.kind === 'posted' && !input.redelivery };
    }
    const long = overLimit('sectionReply', input.event.text);
    if (long) {
      const existing = input.event.kind === 'edited'
        ? await db.sectionUpdate.findUnique({ where: { threadId_platformMessageId: { threadId: thread.id, platformMessageId: input.messageId } }, select: { id: true } })
        : null;
      const text = `${long} ${input.event.kind === 'edited' && existing ? 'Your section keeps its earlier text.' : 'It was not added to the highlight report.'}`;
      return { kind: 'too-long', reason: long, text, notify: !input.redelivery && (input.event.kind === 'posted' || existing !== null) };
    }
  }
  if (input.deliveryKey && !(await firstDelivery(db, input.deliveryKey, input.platform, input.now))) return { kind: 'retry' };

  const outcome = await captureThreadReply(db, {
    workspaceId: input.workspaceId, platform: input.platform, conversationId: input.conversationId, threadId: input.threadId,
    messageId: input.messageId, userId: input.userId, displayName: input.displayName, at: input.at, event: input.event,
  });
  if (outcome === 'not-a-thread') return { kind: 'not-a-thread' };
  if (outcome === 'deleted' || outcome === 'ignored') return { kind: outcome };
  const row = await db.sectionUpdate.findUnique({ where: { threadId_platformMessageId: { threadId: thread.id, platformMessageId: input.messageId } }, select: { section: true } });
  const o = { kind: outcome, section: row?.section ?? sectionHeading(input.event.kind === 'deleted' ? '' : input.event.text, null, '').section, groupName: group.name, meetingDate: thread.meeting.date, text: '' };
  o.text = describeSection(o, { text: (s) => s, strong: (s) => s, icon: () => '' }, null);
  return o;
}

/** The thank-you for a captured reply, in the channel's markup; `name` when bragbot knows them. */
export function describeSection(o: Extract<SectionOutcome, { kind: 'captured' | 'updated' }>, s: Pick<SentenceStyle, 'text' | 'strong' | 'icon'>, name: string | null): string {
  return `${s.icon('done')}Thank you${name ? `, ${s.text(name)}` : ''}: saved as the ${s.strong(s.text(o.section))} section of the ${s.text(o.groupName)} highlight report for ${ukDate(o.meetingDate)}. Edit or delete your reply to change it.`;
}
