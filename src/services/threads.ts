/**
 * Update threads: the bot opens one per meeting in the group's channel; each lead's reply is
 * their section of the highlight report, in their own words. Edits replace the text (the
 * report shows what they meant last), deletions drop the section, retries change nothing.
 */
import type { Platform } from '../core/chat.js';
import { splitReplyHeading, type SplitReply } from '../core/report/headings.js';
import { reportSettingsFrom } from '../core/report/settings.js';
import type { Db } from '../db/client.js';
import { findPersonByPlatformId } from './people.js';
import { isUniqueViolation } from '../db/errors.js';

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
 * A reply's section heading: a first line in bold, ending with a colon, or standing alone
 * ("Fostering Panel") names the section, as leads write in the papers; otherwise the person's
 * team; otherwise their name. The rules live in the core (src/core/report/headings.ts).
 */
export function sectionHeading(text: string, team: string | null | undefined, authorName: string, knownSections: readonly string[] = []): SplitReply {
  return splitReplyHeading(text, team, authorName, knownSections);
}

export type ReplyEvent =
  | { kind: 'posted'; text: string }
  /** `postedAt`: when the message itself was first posted, if the platform says (Slack: the message ts). */
  | { kind: 'edited'; text: string; postedAt?: Date | undefined }
  | { kind: 'deleted' };

export interface ThreadReply {
  workspaceId: string;
  platform: Platform;
  conversationId: string;
  threadId: string;
  messageId: string;
  userId: string;
  displayName?: string | undefined;
  /** When this version happened, by the platform's own clock: the post, the edit or the deletion. */
  at: Date;
  event: ReplyEvent;
}

export type CaptureOutcome = 'captured' | 'updated' | 'deleted' | 'not-a-thread' | 'ignored';

/**
 * One rule for the order of posts, edits and deletions, whatever order the platform delivers
 * them in (Slack and Teams both retry, and deliver concurrently):
 * - a version of the text is applied only if it is newer, by the platform's own timestamps
 *   (post ts, `edited.ts`, the activity's time), than the version stored, so an older edit
 *   delivered after a newer one never wins and a late retry of the post changes nothing;
 * - a deletion is final: nothing arriving after it brings the text back, and `deletedAt` is
 *   never cleared. A deletion that overtakes the post leaves a tombstone row, so the late post
 *   finds it and stays out of the report.
 * Every write is conditional (one UPDATE … WHERE deletedAt IS NULL AND the stored version is
 * older) or an INSERT under the (thread, message) unique key, so two deliveries racing each
 * other cannot resurrect a deleted reply or let the older text land last.
 */
export async function captureThreadReply(db: Db, r: ThreadReply): Promise<CaptureOutcome> {
  const thread = await findThread(db, r.platform, r.conversationId, r.threadId);
  if (!thread || thread.meeting.group.workspaceId !== r.workspaceId) return 'not-a-thread';
  const row = { threadId: thread.id, platformMessageId: r.messageId };
  const key = { threadId_platformMessageId: row };
  // Two rounds at most: a lost race on the insert means the row now exists, so the conditional update decides.
  for (let round = 0; round < 2; round += 1) {
    if (r.event.kind === 'deleted') {
      const res = await db.sectionUpdate.updateMany({ where: { ...row, deletedAt: null }, data: { deletedAt: r.at } });
      if (res.count > 0) return 'deleted';
      if (await db.sectionUpdate.findUnique({ where: key, select: { id: true } })) return 'ignored';
      try {
        // The deletion overtook the post: a tombstone (no text, no author) the post will find.
        await db.sectionUpdate.create({ data: { ...row, personId: null, authorName: '', section: '', text: '', postedAt: r.at, deletedAt: r.at } });
        return 'deleted';
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        continue;
      }
    }
    const person = await findPersonByPlatformId(db, r.workspaceId, r.platform, r.userId);
    const authorName = person?.name ?? r.displayName ?? r.userId;
    // The group's own section names make a bare first line ("Fostering Panel") a heading.
    const known = reportSettingsFrom(thread.meeting.group.settingsJson).sections ?? [];
    const { section, body, headed } = sectionHeading(r.event.text, person?.team, authorName, known);
    if (body === '') return 'ignored';
    const editedAt = r.event.kind === 'edited' ? r.at : null;
    const existing = await db.sectionUpdate.findUnique({ where: key, select: { text: true, section: true, headed: true } });
    if (existing) {
      const res = await db.sectionUpdate.updateMany({
        where: {
          ...row,
          deletedAt: null,
          OR: [
            { editedAt: null, postedAt: { lt: r.at } },
            { editedAt: { lt: r.at } },
            // Two edits stamped the same instant cannot be ordered: the later delivery stands.
            ...(editedAt ? [{ editedAt, NOT: { text: body } }] : []),
          ],
        },
        data: { text: body, section, headed, editedAt: r.at },
      });
      // Applied but saying the same (a newer version of identical text) is not news to anyone.
      return res.count > 0 && (existing.text !== body || existing.section !== section || existing.headed !== headed) ? 'updated' : 'ignored';
    }
    const postedAt = r.event.kind === 'edited' ? r.event.postedAt ?? r.at : r.at;
    try {
      await db.sectionUpdate.create({ data: { ...row, personId: person?.id ?? null, authorName, section, headed, text: body, postedAt, editedAt } });
      return 'captured';
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
  }
  return 'ignored';
}
