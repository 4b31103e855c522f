/**
 * After `people erase`, a search of the whole database — every table, every text column, as the
 * database itself lists them — finds none of the person's full name, email (in any case) or
 * Slack / Teams ids. The world puts a copy of them in every structured place bragbot writes one:
 * imports' warnings, partner trust changes, holds, meetings, objectives, the plan's extra cells,
 * update keys, replies with a Slack mention, report content, messages with their errors and
 * fallbacks, clicks with their keys and payloads, inbound keys, and the audit's person-changed
 * entries. docs/data-protection.md ("Erasure") says what may remain: nothing of these.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma, type Db } from '../../src/db/client.js';
import { recordAudit } from '../../src/services/audit.js';
import { erasePerson } from '../../src/services/erasure.js';
import { addMember } from '../../src/services/groups.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../support/factories.js';
import { addOutbox, addReportVersion, addSectionReply, addStatusUpdate } from '../support/records.js';

const NOW = new Date('2022-01-10T09:00:00Z');
const AT = new Date('2021-07-05T10:00:00Z');
const OLU = { name: 'Olu Owner', email: 'olu@example.gov.uk', slackUserId: 'UOLU4KX2', teamsUserId: '29:1olu-teams-aad' };

/** Every text column of every table, as the database lists them. */
async function textColumns(db: Db, provider: string): Promise<{ table: string; column: string }[]> {
  if (provider === 'sqlite') {
    const tables = await db.$queryRaw<{ name: string }[]>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`;
    const out: { table: string; column: string }[] = [];
    for (const { name } of tables) {
      const cols = await db.$queryRawUnsafe<{ name: string; type: string }[]>(`PRAGMA table_info("${name}")`);
      for (const c of cols) if (/TEXT|CHAR|CLOB|JSON/i.test(c.type)) out.push({ table: name, column: c.name });
    }
    return out;
  }
  return db.$queryRaw<{ table: string; column: string }[]>`SELECT CAST(table_name AS TEXT) AS "table", CAST(column_name AS TEXT) AS "column" FROM information_schema.columns
    WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')`;
}

/** `table.column: value` for each cell holding any of the needles (case ignored). */
async function search(db: Db, provider: string, needles: readonly string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const { table, column } of await textColumns(db, provider)) {
    const col = Prisma.raw(`"${column}"`);
    const where = Prisma.join(needles.map((n) => Prisma.sql`lower(CAST(${col} AS TEXT)) LIKE ${`%${n.toLowerCase()}%`}`), ' OR ');
    const rows = await db.$queryRaw<{ v: string }[]>`SELECT CAST(${col} AS TEXT) AS v FROM ${Prisma.raw(`"${table}"`)} WHERE ${where}`;
    for (const r of rows) hits.push(`${table}.${column}: ${r.v}`);
  }
  return hits;
}

describe.each(await providers())('erasure leaves nothing of the person in any text column (%s)', (provider) => {
  let t: TestDatabase;
  let ws: string;

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    const db = t.db;
    ws = await makeWorkspace(db);
    const ops = await makeGroup(db, ws, { name: 'Children in Care Operational Group' });
    const asha = await makePerson(db, ws, { name: 'Asha Chair', email: 'asha@example.gov.uk' });
    const olu = await makePerson(db, ws, { ...OLU, team: 'Pathway Team', manager: 'Asha Chair' });
    await addMember(db, ops.id, asha.id, 'chair');
    await addMember(db, ops.id, olu.id, 'member');
    const objective = await db.objective.create({ data: { groupId: ops.id, position: 1, code: 'Objective 1', title: 'Stable homes', description: 'Led by Olu Owner (olu@example.gov.uk)', sourceJson: JSON.stringify({ rows: [['Objective 1', 'Lead: Olu Owner']] }) } });
    const a7 = await makeAction(db, ops.id, { ref: '7', ownerIds: [olu.id] });
    await db.action.update({ where: { id: a7.id }, data: { objectiveId: objective.id, leadOfficer: 'Olu Owner', extraJson: JSON.stringify({ Contact: 'OLU@Example.gov.uk' }), sourceJson: JSON.stringify({ lead: 'Olu Owner' }), progress: 'Olu Owner chasing' } });
    const u = await addStatusUpdate(db, a7.id, AT, { personId: olu.id, actorName: 'Olu Owner' }, { note: 'done' });
    await db.statusUpdate.update({ where: { id: u.id }, data: { idempotencyKey: `slack:brag:${a7.id}:green:v1:${OLU.slackUserId}` } });
    await addSectionReply(db, ops.id, '2021-07-20', { personId: asha.id, authorName: 'Asha Chair' }, `Thanks <@${OLU.slackUserId}> for the figures`, AT);
    await db.meeting.updateMany({ where: { groupId: ops.id }, data: { title: 'Briefing by Olu Owner' } });
    await addReportVersion(db, ops.id, '2021-07-20', AT, JSON.stringify({ sections: [{ heading: 'Pathway Team', author: 'Olu Owner', text: `<@${OLU.slackUserId}> 94%` }] }));
    const sent = await addOutbox(db, { personId: olu.id, status: 'failed', createdAt: AT, text: 'week of Olu Owner' });
    await db.outboxMessage.update({
      where: { id: sent.id },
      data: {
        payloadJson: JSON.stringify({ to: { email: OLU.email, slackUserId: OLU.slackUserId, teamsUserId: OLU.teamsUserId }, recipientName: 'Olu Owner' }),
        lastError: `550 5.1.1 <${OLU.email}>: no such user`, fallbacksJson: JSON.stringify([{ route: 'slack-dm', error: `user_not_found ${OLU.slackUserId}` }]),
      },
    });
    await addOutbox(db, { groupId: ops.id, status: 'sent', createdAt: AT, text: `escalation: <@${OLU.slackUserId}> has 2 overdue` });
    await db.importRun.create({ data: { groupId: ops.id, fileName: 'plan.xlsx', sha256: 'x', layout: 'york', at: AT, created: 1, updated: 0, unchanged: 0, archived: 0, warningsJson: JSON.stringify(['row 7: lead officer "Olu Owner" matched olu@example.gov.uk']) } });
    await db.partnerTrustChange.create({ data: { groupId: ops.id, platform: 'slack', orgId: 'TPOLICE', change: 'trusted', by: 'Olu Owner', at: AT } });
    await db.group.update({ where: { id: ops.id }, data: { legalHoldBy: 'Olu Owner', legalHoldReason: 'asked by Olu Owner' } });
    await db.inboundInteraction.create({
      data: {
        key: `slack:brag:${a7.id}:red:v2:${OLU.slackUserId}`, platform: 'slack', kind: 'brag', workspaceId: ws, personId: olu.id, receivedAt: AT, doneAt: AT, outcome: 'recorded',
        inputJson: JSON.stringify({ userId: OLU.slackUserId, userName: 'Olu Owner', actionId: a7.id }), replyJson: JSON.stringify({ responseUrl: 'https://hooks.slack.test/x', user: OLU.slackUserId }),
      },
    });
    await db.inboundInteraction.create({
      data: { key: `teams:snooze:${a7.id}:${OLU.teamsUserId}:act1`, platform: 'teams', kind: 'snooze', workspaceId: ws, personId: olu.id, receivedAt: AT, inputJson: JSON.stringify({ aadObjectId: OLU.teamsUserId }), replyJson: '{}', lastError: `teams 403 for ${OLU.teamsUserId}` },
    });
    await db.inboundEvent.create({ data: { key: `teams:not-mine:${a7.id}:${OLU.teamsUserId}:m1`, platform: 'teams', receivedAt: AT } });
    await recordAudit(db, { workspaceId: ws, groupId: null, at: AT, kind: 'person-changed', by: { personId: asha.id, name: 'Asha Chair', channel: 'cli' }, subject: { personId: olu.id, name: 'Olu Owner' }, from: null, to: OLU.email, summary: `Olu Owner: email set to ${OLU.email}, Slack ${OLU.slackUserId}` });
    await recordAudit(db, { workspaceId: ws, groupId: null, at: AT, kind: 'person-changed', by: { personId: asha.id, name: 'Asha Chair', channel: 'cli' }, subject: { personId: olu.id, name: 'Olu Owner' }, from: 'teams-none', to: OLU.teamsUserId, summary: 'Teams id changed' });
  });
  afterAll(async () => t?.destroy());

  const needles = [OLU.name, OLU.email, OLU.slackUserId, OLU.teamsUserId];

  it('the world holds the person in many places before', async () => {
    const hits = await search(t.db, provider, needles);
    const tables = new Set(hits.map((h) => h.split('.')[0]));
    for (const table of ['Person', 'ImportRun', 'PartnerTrustChange', 'Group', 'Meeting', 'Objective', 'Action', 'StatusUpdate', 'SectionUpdate', 'HighlightReport', 'OutboxMessage', 'InboundInteraction', 'InboundEvent', 'AuditEvent']) {
      expect(tables, `${table} holds a copy before the erasure`).toContain(table);
    }
  });

  it('after `people erase`, no text column of any table holds their name, email or chat ids', async () => {
    const r = await erasePerson(t.db, { workspaceId: ws, person: OLU.email, now: NOW, by: { personId: null, name: 'cli:dpo', channel: 'cli' } });
    expect(r.pseudonym).toBe('Former officer 1');
    expect(await search(t.db, provider, needles)).toEqual([]);
    // The record keeps its rows, and says who in their place.
    expect(await t.db.inboundInteraction.count()).toBe(2);
    expect(await t.db.inboundEvent.count()).toBe(1);
    expect((await t.db.partnerTrustChange.findFirstOrThrow()).by).toBe('Former officer 1');
    expect((await t.db.auditEvent.findFirstOrThrow({ where: { summary: { contains: 'email set to' } } })).summary).toBe('Former officer 1: email set to Former officer 1 (email removed), Slack Former officer 1 (Slack id removed)');
    expect(JSON.parse((await t.db.importRun.findFirstOrThrow()).warningsJson)).toEqual(['row 7: lead officer "Former officer 1" matched Former officer 1 (email removed)']);
    expect((await t.db.statusUpdate.findFirstOrThrow({ where: { idempotencyKey: { startsWith: 'slack:brag:' } } })).idempotencyKey).toMatch(/:v1:former-officer-1$/);
    const counts = Object.fromEntries((await t.db.deletionLog.findMany({ where: { kind: 'erasure' } })).map((d) => [d.category, d.count]));
    expect(counts).toMatchObject({ 'copies:InboundInteraction': 2, 'copies:InboundEvent': 1, 'copies:ImportRun': 1, 'copies:PartnerTrustChange': 1 });
  });
});
