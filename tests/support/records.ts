/**
 * Rows of every kind the data-protection code deletes, exports or anonymises, written straight
 * with Prisma so a test states the dates it cares about (retention is all about dates).
 */
import type { Db } from '../../src/db/client.js';

let n = 0;
const next = () => (n += 1);

export async function addStatusUpdate(db: Db, actionId: string, at: Date, by: { personId?: string | null; actorName: string }, extra: { note?: string; toProgress?: string; toBrag?: string } = {}) {
  return db.statusUpdate.create({
    data: {
      actionId, personId: by.personId ?? null, actorName: by.actorName, at, kind: 'update', fromBrag: 'green', toBrag: extra.toBrag ?? 'amber',
      note: extra.note ?? null, toProgress: extra.toProgress ?? null, channel: 'slack', idempotencyKey: `test-update-${next()}`,
    },
  });
}

/** A meeting, its update thread, and one reply in it. */
export async function addSectionReply(db: Db, groupId: string, date: string, by: { personId?: string | null; authorName: string }, text: string, postedAt: Date) {
  const meeting = await db.meeting.upsert({ where: { groupId_date: { groupId, date } }, create: { groupId, date }, update: {} });
  const thread = await db.updateThread.upsert({
    where: { meetingId_platform: { meetingId: meeting.id, platform: 'slack' } },
    create: { meetingId: meeting.id, platform: 'slack', conversationId: `C-${groupId}`, threadId: `${date}.0001` },
    update: {},
  });
  return db.sectionUpdate.create({
    data: { threadId: thread.id, personId: by.personId ?? null, authorName: by.authorName, section: 'Pathway Team', platformMessageId: `m${next()}`, text, postedAt },
  });
}

export async function addReportVersion(db: Db, groupId: string, meetingDate: string, requestedAt: Date, contentJson = '{}') {
  const version = (await db.highlightReport.count({ where: { groupId, meetingDate } })) + 1;
  return db.highlightReport.create({ data: { groupId, meetingDate, version, requestedBy: 'Asha Chair', requestedAt, inputsHash: `h${next()}`, contentJson } });
}

export async function addOutbox(db: Db, o: { personId?: string | null; groupId?: string | null; status: string; createdAt: Date; text?: string }) {
  return db.outboxMessage.create({
    data: {
      idempotencyKey: `test-outbox-${next()}`, kind: 'overdue', groupId: o.groupId ?? null, personId: o.personId ?? null, platform: 'slack',
      payloadJson: JSON.stringify({ v: 1, recipientName: 'them', reasonsByAction: {}, mentions: [], message: { kind: 'digest', recipientName: 'them', actions: [], periodLabel: o.text ?? 'week of 5 July 2021' } }), status: o.status, notBefore: o.createdAt, createdAt: o.createdAt,
      ...(o.status === 'sent' ? { sentAt: o.createdAt } : {}),
    },
  });
}

export async function addInboundEvent(db: Db, receivedAt: Date) {
  return db.inboundEvent.create({ data: { key: `test-event-${next()}`, platform: 'slack', receivedAt } });
}

export async function addInboundInteraction(db: Db, workspaceId: string, receivedAt: Date, done: boolean) {
  return db.inboundInteraction.create({
    data: { key: `test-click-${next()}`, platform: 'slack', kind: 'brag', workspaceId, inputJson: '{}', replyJson: '{}', receivedAt, ...(done ? { doneAt: receivedAt, outcome: 'recorded' } : {}) },
  });
}
