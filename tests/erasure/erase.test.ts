/**
 * `people erase`: a person who has left becomes "Former officer N" in every history, reply,
 * report version and message, numbered consistently; contact ids go; their current actions go to
 * the chair; the record keeps every row, count and version; a legal hold refuses it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaceName } from '../../src/core/erasure.js';
import { recordAudit } from '../../src/services/audit.js';
import { erasePerson } from '../../src/services/erasure.js';
import { addMember } from '../../src/services/groups.js';
import { setLegalHold } from '../../src/services/retention.js';
import { exportSubjectAccess } from '../../src/services/subject-access.js';
import { bragbotCli } from '../support/cli.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../support/factories.js';
import { addOutbox, addReportVersion, addSectionReply, addStatusUpdate } from '../support/records.js';

const NOW = new Date('2022-01-10T09:00:00Z');

describe('replaceName', () => {
  it('replaces whole names only, and leaves names too short to tell apart', () => {
    expect(replaceName('Olu Owner to chase; Olu Ownership is not them', 'Olu Owner', 'Former officer 1')).toBe('Former officer 1 to chase; Olu Ownership is not them');
    expect(replaceName('Jo to chase', 'Jo', 'Former officer 1')).toBe('Jo to chase');
    expect(replaceName('Rose O’Neill (Leaving Care)', 'Rose O’Neill', 'Former officer 2')).toBe('Former officer 2 (Leaving Care)');
  });
});

describe.each(await providers())('erasure on %s', (provider) => {
  let t: TestDatabase;
  let ws: string;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    ws = await makeWorkspace(t.db);
    const ops = await makeGroup(t.db, ws);
    const spb = await makeGroup(t.db, ws, { slug: 'spb', name: 'Strategic Partnership' });
    id.ops = ops.id;
    id.spb = spb.id;
    const asha = await makePerson(t.db, ws, { name: 'Asha Chair', email: 'asha@example.gov.uk' });
    const olu = await makePerson(t.db, ws, { name: 'Olu Owner', email: 'olu@example.gov.uk', slackUserId: 'UOLU', teamsUserId: 'teams-olu', team: 'Pathway Team', manager: 'Asha Chair' });
    const dee = await makePerson(t.db, ws, { name: 'Dee Officer', email: 'dee@example.gov.uk' });
    Object.assign(id, { asha: asha.id, olu: olu.id, dee: dee.id });
    await addMember(t.db, ops.id, asha.id, 'chair');
    await addMember(t.db, ops.id, olu.id, 'member');
    await addMember(t.db, spb.id, dee.id, 'member');
    const a7 = await makeAction(t.db, ops.id, { ref: '7', ownerIds: [olu.id] });
    id.a7 = a7.id;
    await t.db.action.update({ where: { id: a7.id }, data: { leadOfficer: 'Olu Owner', sourceJson: JSON.stringify({ lead: "Children's Social Care (Olu Owner)" }) } });
    await addStatusUpdate(t.db, a7.id, new Date('2021-07-05T10:00:00Z'), { personId: olu.id, actorName: 'Olu Owner' }, { note: '12 of 15 reviewed' });
    await addStatusUpdate(t.db, a7.id, new Date('2021-07-06T10:00:00Z'), { personId: asha.id, actorName: 'Asha Chair' }, { note: 'Olu Owner to present in September' });
    await addSectionReply(t.db, ops.id, '2021-07-20', { personId: olu.id, authorName: 'Olu Owner' }, '94% have a pathway plan', new Date('2021-07-12T09:00:00Z'));
    await t.db.sectionUpdate.updateMany({ where: { personId: olu.id }, data: { section: 'Olu Owner' } });
    await addReportVersion(t.db, ops.id, '2021-07-20', new Date('2021-07-15T09:00:00Z'), JSON.stringify({ sections: [{ heading: 'Olu Owner', author: 'Olu Owner', text: '94%' }], owners: ['Olu Owner'] }));
    await addReportVersion(t.db, ops.id, '2021-07-20', new Date('2021-07-16T09:00:00Z'), JSON.stringify({ sections: [{ heading: 'Olu Owner', author: 'Olu Owner', text: '95%' }] }));
    await addOutbox(t.db, { personId: olu.id, status: 'sent', createdAt: new Date('2021-07-01T09:00:00Z'), text: 'week of Olu Owner' });
    await addOutbox(t.db, { personId: asha.id, status: 'sent', createdAt: new Date('2021-07-02T09:00:00Z'), text: 'escalation about Olu Owner' });
    await t.db.conversationRef.create({ data: { personId: olu.id, platform: 'teams', conversationId: 'a:1olu-dm', referenceJson: '{}' } });
    await t.db.snooze.create({ data: { personId: olu.id, actionId: a7.id, until: new Date('2021-07-10T09:00:00Z') } });
    await recordAudit(t.db, { workspaceId: ws, groupId: ops.id, at: new Date('2021-07-01T09:00:00Z'), kind: 'owner-added', by: { personId: asha.id, name: 'Asha Chair', channel: 'cli' }, action: { id: a7.id, ref: '7' }, subject: { personId: olu.id, name: 'Olu Owner' }, to: 'Olu Owner', summary: 'Olu Owner made an owner of 7' });
    await recordAudit(t.db, { workspaceId: ws, groupId: ops.id, at: new Date('2021-07-02T09:00:00Z'), kind: 'snooze', by: { personId: olu.id, name: 'Olu Owner', channel: 'slack' }, action: { id: a7.id, ref: '7' }, summary: 'Snoozed for 7 days' });
  });
  afterAll(async () => t?.destroy());

  it('refuses while a group they appear in is under a legal hold, and changes nothing', async () => {
    await setLegalHold(t.db, { workspaceId: ws, slug: 'ops', on: true, by: 'cli:dpo', reason: 'Complaint C-17', now: NOW });
    await expect(erasePerson(t.db, { workspaceId: ws, person: 'olu@example.gov.uk', now: NOW })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('ops, under a legal hold') });
    expect(await t.db.person.findUniqueOrThrow({ where: { id: id.olu! } })).toMatchObject({ name: 'Olu Owner', email: 'olu@example.gov.uk', erasedAt: null });
    await setLegalHold(t.db, { workspaceId: ws, slug: 'ops', on: false, by: 'cli:dpo', now: NOW });
  });

  it('anonymises them everywhere, hands their action to the chair and keeps every record', async () => {
    const before = { updates: await t.db.statusUpdate.count(), replies: await t.db.sectionUpdate.count(), reports: await t.db.highlightReport.findMany({ select: { version: true, meetingDate: true }, orderBy: { version: 'asc' } }), outbox: await t.db.outboxMessage.count() };
    const r = await erasePerson(t.db, { workspaceId: ws, person: 'olu@example.gov.uk', now: NOW, by: { personId: null, name: 'cli:dpo', channel: 'cli' } });
    expect(r).toMatchObject({ pseudonym: 'Former officer 1', formerNumber: 1, alreadyErased: false, handed: [{ groupSlug: 'ops', ref: '7', to: ['Asha Chair'] }], unowned: [] });

    expect(await t.db.person.findUniqueOrThrow({ where: { id: id.olu! } })).toMatchObject({ name: 'Former officer 1', email: null, slackUserId: null, teamsUserId: null, team: null, managerId: null, erasedAt: NOW, formerNumber: 1 });
    expect((await t.db.actionOwner.findMany({ where: { actionId: id.a7! } })).map((o) => o.personId)).toEqual([id.asha]);
    expect(await t.db.groupMember.count({ where: { personId: id.olu! } })).toBe(0);
    expect(await t.db.conversationRef.count({ where: { personId: id.olu! } })).toBe(0);
    expect(await t.db.snooze.count({ where: { personId: id.olu! } })).toBe(0);

    // Integrity: the same rows, versions and counts.
    expect({ updates: await t.db.statusUpdate.count(), replies: await t.db.sectionUpdate.count(), reports: await t.db.highlightReport.findMany({ select: { version: true, meetingDate: true }, orderBy: { version: 'asc' } }), outbox: await t.db.outboxMessage.count() }).toEqual(before);
    const updates = await t.db.statusUpdate.findMany({ where: { actionId: id.a7! }, orderBy: { at: 'asc' } });
    expect(updates.map((u) => [u.actorName, u.personId])).toEqual([['Former officer 1', id.olu], ['Asha Chair', id.asha]]);

    // The audit: still every row, the name replaced, the erasure itself recorded; other changes still refused.
    const audit = await t.db.auditEvent.findMany({ orderBy: { at: 'asc' } });
    expect(audit.map((e) => [e.kind, e.actorName, e.subjectName])).toEqual(expect.arrayContaining([['owner-added', 'Asha Chair', 'Former officer 1'], ['snooze', 'Former officer 1', null], ['person-erased', expect.stringMatching(/^cli/), 'Former officer 1']]));
    expect(audit.find((e) => e.kind === 'owner-added')!.summary).toBe('Former officer 1 made an owner of 7');
    // (Prisma words SQLite's trigger abort as a constraint error: the row left as it was is the proof.)
    await expect(t.db.auditEvent.updateMany({ where: { kind: 'snooze' }, data: { actorName: 'Someone Else' } })).rejects.toThrow();
    await expect(t.db.auditEvent.updateMany({ where: { kind: 'snooze' }, data: { actorName: 'Former officer 9', kind: 'status' } })).rejects.toThrow();
    await expect(t.db.auditEvent.deleteMany({})).rejects.toThrow();
    expect(await t.db.auditEvent.findFirstOrThrow({ where: { kind: 'snooze' } })).toMatchObject({ actorName: 'Former officer 1' });
    expect(await t.db.auditEvent.count()).toBe(audit.length);

    // The name is nowhere in what is stored.
    const everything = JSON.stringify([
      audit,
      await t.db.statusUpdate.findMany(), await t.db.sectionUpdate.findMany(), await t.db.highlightReport.findMany(), await t.db.outboxMessage.findMany(), await t.db.action.findMany(), await t.db.person.findMany(),
    ]);
    expect(everything).not.toContain('Olu Owner');
    expect(everything).not.toContain('olu@example.gov.uk');
    expect(everything).not.toContain('UOLU');
    expect(everything).toContain('Former officer 1 to present in September');
    const section = await t.db.sectionUpdate.findFirstOrThrow({ where: { personId: id.olu! } });
    expect([section.authorName, section.section, section.text]).toEqual(['Former officer 1', 'Former officer 1', '94% have a pathway plan']);

    // The deletion log counts it, without the name.
    const log = await t.db.deletionLog.findMany({ where: { kind: 'erasure' } });
    expect(Object.fromEntries(log.map((l) => [l.category, l.count]))).toMatchObject({ 'person-details': 1, memberships: 1, ownerships: 1, snoozes: 1, 'chat-conversations': 1, 'status-updates': 1, 'section-replies': 1, 'report-versions': 2, outbox: 2, actions: 1 });
    expect(JSON.stringify(log)).not.toContain('Olu');

    // A subject access export afterwards holds only the pseudonym.
    const sar = await exportSubjectAccess(t.db, { workspaceId: ws, person: 'Former officer 1', now: NOW });
    expect(sar.zip.length).toBeGreaterThan(0);
    expect(sar.counts.updates).toBe(1);
  });

  it('numbers consistently: erasing again is a no-op, the next person is 2', async () => {
    expect(await erasePerson(t.db, { workspaceId: ws, person: 'Former officer 1', now: NOW })).toMatchObject({ alreadyErased: true, formerNumber: 1 });
    const dee = await erasePerson(t.db, { workspaceId: ws, person: 'dee@example.gov.uk', now: NOW });
    expect(dee).toMatchObject({ pseudonym: 'Former officer 2', formerNumber: 2 });
  });
});

describe('bragbot people erase', () => {
  it('asks for --confirm, then erases', async () => {
    const { bragbot, stdoutOf } = bragbotCli({ prefix: 'bragbot-erase-', dbFile: 'e.db' });
    await stdoutOf('people', 'add', 'Dee Officer', '--email', 'dee@example.gov.uk');
    expect(await bragbot('people', 'erase', 'dee@example.gov.uk')).toMatchObject({ code: 2, stderr: expect.stringContaining('--confirm') });
    expect(await stdoutOf('people', 'erase', 'dee@example.gov.uk', '--confirm')).toContain('erased: now Former officer 1');
    expect(await stdoutOf('people', 'list')).not.toContain('Dee Officer');
  }, 90_000);
});
