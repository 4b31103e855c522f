/**
 * Update threads: the bot opens one per meeting in the group's channel; each lead's reply is
 * their section of the highlight report, in their own words. Edits replace the text (the
 * report shows what they meant last), deletions drop the section, retries change nothing.
 */
import type { Platform } from '../core/chat.js';
import type { Db } from '../db/client.js';
import { findPersonByPlatformId } from './people.js';

export async function recordThreadOpened(db: Db, t: { meetingId: string; platform: Platform; conversationId: string; threadId: string; now: Date }) {
  return db.updateThread.upsert({
    where: { meetingId_platform: { meetingId: t.meetingId, platform: t.platform } },
    create: { meetingId: t.meetingId, platform: t.platform, conversationId: t.conversationId, threadId: t.threadId, openedAt: t.now },
    update: {},
  });
}

export async function findThread(db: Db, platform: Platform, conversationId: string, threadId: string) {
  return db.updateThread.findUnique({
    where: { platform_conversationId_threadId: { platform, conversationId, threadId } },
    include: { meeting: { include: { group: true } } },
  });
}

/**
 * A reply's section heading: a first line in bold or ending with a colon ("*Fostering Service*",
 * "Court Team:") names the section, as leads write in the papers; otherwise the person's team;
 * otherwise their name.
 */
export function sectionHeading(text: string, team: string | null | undefined, authorName: string): { section: string; body: string } {
  const [first = '', ...rest] = text.replace(/\r\n?/g, '\n').split('\n');
  const bold = /^\s*(?:\*\*|\*|__|_)(.+?)(?:\*\*|\*|__|_)\s*:?\s*$/.exec(first);
  const colon = /^\s*([^.!?]{3,80}):\s*$/.exec(first);
  const heading = bold?.[1] ?? colon?.[1];
  if (heading && rest.join('\n').trim() !== '') return { section: heading.trim(), body: rest.join('\n').trim() };
  return { section: team?.trim() || authorName, body: text.trim() };
}

export type ReplyEvent =
  | { kind: 'posted' | 'edited'; text: string }
  | { kind: 'deleted' };

export interface ThreadReply {
  workspaceId: string;
  platform: Platform;
  conversationId: string;
  threadId: string;
  messageId: string;
  userId: string;
  displayName?: string | undefined;
  at: Date;
  event: ReplyEvent;
}

export type CaptureOutcome = 'captured' | 'updated' | 'deleted' | 'not-a-thread' | 'ignored';

export async function captureThreadReply(db: Db, r: ThreadReply): Promise<CaptureOutcome> {
  const thread = await findThread(db, r.platform, r.conversationId, r.threadId);
  if (!thread || thread.meeting.group.workspaceId !== r.workspaceId) return 'not-a-thread';
  const key = { threadId_platformMessageId: { threadId: thread.id, platformMessageId: r.messageId } };
  if (r.event.kind === 'deleted') {
    const res = await db.sectionUpdate.updateMany({ where: { threadId: thread.id, platformMessageId: r.messageId, deletedAt: null }, data: { deletedAt: r.at } });
    return res.count > 0 ? 'deleted' : 'ignored';
  }
  const person = await findPersonByPlatformId(db, r.workspaceId, r.platform, r.userId);
  const authorName = person?.name ?? r.displayName ?? r.userId;
  const { section, body } = sectionHeading(r.event.text, person?.team, authorName);
  if (body === '') return 'ignored';
  const existing = await db.sectionUpdate.findUnique({ where: key });
  if (existing) {
    // A retried delivery of the same text is not an edit.
    if (existing.text === body && existing.section === section && existing.deletedAt === null) return 'ignored';
    await db.sectionUpdate.update({ where: key, data: { text: body, section, editedAt: r.at, deletedAt: null } });
    return 'updated';
  }
  try {
    await db.sectionUpdate.create({
      data: { threadId: thread.id, personId: person?.id ?? null, authorName, section, platformMessageId: r.messageId, text: body, postedAt: r.at },
    });
  } catch (e) {
    if ((e as { code?: string }).code === 'P2002') return 'ignored';
    throw e;
  }
  return 'captured';
}
