/**
 * Issue 10 pt 10, both engines: one append-only audit of every change to a plan and its
 * governance. Each kind of change appears exactly once after it is made (through the services the
 * CLI and the chat adapters call, the one-statement BRAG click and the import included); the
 * export filters by London dates and by person, keeps CSV formula defusing and XLSX text; and
 * audit rows can be neither updated nor deleted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf } from '../../src/db/sql.js';
import { auditRows, exportAudit, type AuditKind, type Change } from '../../src/services/audit.js';
import { recordBragChange } from '../../src/services/brag-change.js';
import { addMeeting, addMember, removeMember, saveGroupSettings, setGroupChannel, upsertGroup } from '../../src/services/groups.js';
import { importPlan } from '../../src/services/import-plan.js';
import { renamePerson, setOwnership, upsertPerson } from '../../src/services/people.js';
import { generate, publish } from '../../src/services/reports.js';
import { disclaim, recordUpdate, snooze } from '../../src/services/status-updates.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';

const HEADER = 'Ref,Activity,Where Are We Now?,Evidence,Lead Agency and Lead Officer,By When,BRAG';

describe.each(await providers())('the audit (%s)', (provider) => {
  let t: TestDatabase;
  let std: Awaited<ReturnType<typeof makeStandardGroup>>;
  let dir: string;
  // One instant per change, a minute apart, so the order (and the filters) are the test's own.
  let minute = 0;
  const at = () => new Date(Date.UTC(2021, 6, 7, 9, minute++));
  const cli = (): Change => ({ by: { personId: null, name: 'cli:officer', channel: 'cli' }, at: at() });
  const kinds = async () => (await auditRows(t.db, std.workspaceId)).map((r) => r.kind);
  /** Runs a change and returns the audit kinds it added. */
  async function added(change: () => Promise<unknown>): Promise<string[]> {
    const before = (await kinds()).length;
    await change();
    return (await kinds()).slice(before);
  }

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    std = await makeStandardGroup(t.db);
    dir = mkdtempSync(join(tmpdir(), 'bragbot-audit-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.destroy();
  });

  it('each change to the plan appears once, with its kind', async () => {
    const action = await makeAction(t.db, std.group.id, { ref: '7', brag: 'amber', ownerIds: [std.owner.id] });
    const second = await makeAction(t.db, std.group.id, { ref: '8', brag: 'green', ownerIds: [std.owner.id] });
    const expectations: [AuditKind[], () => Promise<unknown>][] = [
      [['status'], () => recordUpdate(t.db, { workspaceId: std.workspaceId, actionId: action.id, personId: std.owner.id, channel: 'teams', brag: 'red', note: '=HYPERLINK("http://x")', idempotencyKey: 'a1', now: at() })],
      // The same key again (a retry) records nothing.
      [[], () => recordUpdate(t.db, { workspaceId: std.workspaceId, actionId: action.id, personId: std.owner.id, channel: 'teams', brag: 'red', idempotencyKey: 'a1', now: at() })],
      [['status'], () => recordBragChange(sqlOf(t.db)!, { workspaceId: std.workspaceId, actionId: second.id, personId: std.owner.id, brag: 'blue', channel: 'slack', idempotencyKey: 'click-1', now: at() }, '2021-07-07')],
      [[], () => recordBragChange(sqlOf(t.db)!, { workspaceId: std.workspaceId, actionId: second.id, personId: std.owner.id, brag: 'blue', channel: 'slack', idempotencyKey: 'click-1', now: at() }, '2021-07-07')],
      [['snooze'], () => snooze(t.db, std.workspaceId, action.id, std.owner.id, new Date('2021-07-14T09:00:00Z'), at(), 'slack')],
      [['owner-added'], () => setOwnership(t.db, { actionId: action.id, personId: std.manager.id, owns: true, change: cli() })],
      [[], () => setOwnership(t.db, { actionId: action.id, personId: std.manager.id, owns: true, change: cli() })],
      [['owner-removed'], () => setOwnership(t.db, { actionId: action.id, personId: std.manager.id, owns: false, change: cli() })],
      [['not-mine'], () => disclaim(t.db, { workspaceId: std.workspaceId, actionId: second.id, personId: std.owner.id, channel: 'slack', idempotencyKey: 'nm-1', now: at() })],
    ];
    for (const [expected, change] of expectations) expect(await added(change)).toEqual(expected);
    const rows = await auditRows(t.db, std.workspaceId);
    expect(rows.find((r) => r.kind === 'status' && r.channel === 'teams')).toMatchObject({ who: 'Olu Owner', actionRef: '7', fromValue: 'amber', toValue: 'red', note: '=HYPERLINK("http://x")' });
    expect(rows.find((r) => r.kind === 'status' && r.channel === 'slack')).toMatchObject({ who: 'Olu Owner', actionRef: '8', fromValue: 'green', toValue: 'blue' });
    expect(rows.find((r) => r.kind === 'owner-added')).toMatchObject({ who: 'cli:officer', about: 'Maya Manager', actionRef: '7' });
    expect(rows.find((r) => r.kind === 'snooze')).toMatchObject({ who: 'Olu Owner', channel: 'slack', actionRef: '7', toValue: '2021-07-14T09:00:00.000Z' });
  });

  it('each change to the group’s governance appears once, with its kind', async () => {
    const expectations: [AuditKind[], () => Promise<unknown>][] = [
      [['group-created'], () => upsertGroup(t.db, std.workspaceId, { slug: 'board', name: 'Corporate Parenting Board', cadence: 'quarterly' }, cli())],
      [['group-changed'], () => upsertGroup(t.db, std.workspaceId, { slug: 'ops', name: 'Children in Care Operational Group', cadence: 'monthly', cadenceAnchor: '2021-07-14' }, cli())],
      [[], () => upsertGroup(t.db, std.workspaceId, { slug: 'ops', name: 'Children in Care Operational Group', cadence: 'monthly', cadenceAnchor: '2021-07-14' }, cli())],
      [['member-added'], () => addMember(t.db, std.group.id, std.stranger.id, 'auditor', cli())],
      [[], () => addMember(t.db, std.group.id, std.stranger.id, 'auditor', cli())],
      [['member-removed'], () => removeMember(t.db, std.group.id, std.stranger.id, 'auditor', cli())],
      [['channel-set'], () => setGroupChannel(t.db, std.group.id, { platform: 'slack', conversationId: 'C0GROUP' }, cli())],
      [['settings-changed'], () => saveGroupSettings(t.db, std.group.id, JSON.stringify({ region: 'SCT' }), cli())],
      [['meeting-added'], () => addMeeting(t.db, std.group.id, '2021-07-14', undefined, cli())],
      [['meeting-changed'], () => addMeeting(t.db, std.group.id, '2021-07-14', 'July meeting', cli())],
      [['person-added'], () => upsertPerson(t.db, std.workspaceId, { name: 'Ian Auditor', email: 'ian@example.gov.uk' }, cli())],
      [['person-changed'], () => upsertPerson(t.db, std.workspaceId, { name: 'Ian Auditor', email: 'ian@example.gov.uk', isAdmin: true }, cli())],
      [['person-changed'], async () => renamePerson(t.db, (await t.db.person.findFirstOrThrow({ where: { name: 'Ian Auditor' } })).id, 'Ian Inspector', cli())],
    ];
    for (const [expected, change] of expectations) expect(await added(change)).toEqual(expected);
    const rows = await auditRows(t.db, std.workspaceId);
    expect(rows.find((r) => r.kind === 'member-added')).toMatchObject({ about: 'Sam Stranger', toValue: 'auditor', who: 'cli:officer' });
    expect(rows.find((r) => r.kind === 'settings-changed')).toMatchObject({ fromValue: '{}', toValue: '{"region":"SCT"}' });
    expect(rows.filter((r) => r.kind === 'person-changed').map((r) => [r.fromValue, r.toValue])).toEqual([['{"isAdmin":false}', '{"isAdmin":true}'], ['Ian Auditor', 'Ian Inspector']]);
  });

  it('report versions and publication appear once each, with who and how', async () => {
    expect(await added(() => generate(t.db, std.group.id, '2021-07-14', 'Asha Chair', at(), undefined, { personId: std.chair.id, name: 'Asha Chair', channel: 'slack' }))).toEqual(['report-generated']);
    // Nothing changed since: the same version, nothing new stored or audited.
    expect(await added(() => generate(t.db, std.group.id, '2021-07-14', 'Asha Chair', at()))).toEqual([]);
    const report = await t.db.highlightReport.findFirstOrThrow({ where: { groupId: std.group.id } });
    expect(await added(() => publish(t.db, report.id, 'Asha Chair', at(), { personId: std.chair.id, name: 'Asha Chair', channel: 'teams' }))).toEqual(['report-published']);
    expect(await added(() => publish(t.db, report.id, 'Asha Chair', at()))).toEqual([]);
    expect((await auditRows(t.db, std.workspaceId)).find((r) => r.kind === 'report-published')).toMatchObject({ who: 'Asha Chair', channel: 'teams', fromValue: 'draft', toValue: 'published' });
  });

  it('an import, its changes, archiving by re-import and a row coming back: each once', async () => {
    const csv = (rows: string[]) => {
      const path = join(dir, `plan-${minute}.csv`);
      writeFileSync(path, [HEADER, 'Objective 1 – Voice,,,,,,', ...rows].join('\n'));
      return path;
    };
    const row1 = '1,Run the care leavers forum,Meets monthly,,Leaving Care (Jo Lead),31/12/2021,Green';
    const row2 = '2,Refresh the pledge,Drafted,,Corporate Parenting,31/10/2021,Amber';
    const run = (path: string) => importPlan(t.db, { workspaceId: std.workspaceId, groupSlug: 'cpb', path, now: at() });
    expect(await added(() => run(csv([row1, row2])))).toEqual(['group-created', 'import']);
    expect(await added(() => run(csv([row1.replace('Green', 'Red')])))).toEqual(['import-change', 'archived', 'import']);
    expect(await added(() => run(csv([row1.replace('Green', 'Red'), row2])))).toEqual(['restored', 'import']);
    const rows = await auditRows(t.db, std.workspaceId);
    expect(rows.find((r) => r.kind === 'archived')).toMatchObject({ actionRef: '2', channel: 'import' });
    expect(rows.find((r) => r.kind === 'import-change')).toMatchObject({ actionRef: '1', fromValue: 'green', toValue: 'red', who: expect.stringMatching(/^import of plan-/) });
    expect(rows.filter((r) => r.kind === 'import').at(-1)!.summary).toMatch(/: 0 added, 1 changed, 0 archived, 1 unchanged$/);
  });

  it('filters by London dates (a change at 23:30 UTC in summer is the next London day) and by person', async () => {
    const action = await makeAction(t.db, std.group.id, { ref: '9', brag: 'amber', ownerIds: [std.owner.id] });
    const late = new Date('2021-07-20T23:30:00Z'); // 00:30 on 21 July in London (BST)
    await recordUpdate(t.db, { workspaceId: std.workspaceId, actionId: action.id, personId: std.chair.id, channel: 'slack', brag: 'green', idempotencyKey: 'late-1', now: late });
    const on = (from: string, to: string) => auditRows(t.db, std.workspaceId, { from, to });
    expect((await on('2021-07-21', '2021-07-21')).map((r) => [r.kind, r.who])).toEqual([['status', 'Asha Chair']]);
    expect(await on('2021-07-20', '2021-07-20')).toEqual([]);
    expect((await on('2021-07-07', '2021-07-07')).length).toBeGreaterThan(10);
    await expect(auditRows(t.db, std.workspaceId, { from: '21/07/2021' })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    // By person: what they did, and what was done about them.
    const sam = await auditRows(t.db, std.workspaceId, { personId: std.stranger.id });
    expect(sam.map((r) => r.kind)).toEqual(['member-added', 'member-removed']);
    const maya = await auditRows(t.db, std.workspaceId, { personId: std.manager.id });
    expect(maya.map((r) => r.kind)).toEqual(['owner-added', 'owner-removed']);
    const asha = await auditRows(t.db, std.workspaceId, { personId: std.chair.id, from: '2021-07-21' });
    expect(asha.map((r) => r.actionRef)).toEqual(['9']);
  });

  it('exports CSV with a Kind column and formula-looking text defused, XLSX as typed text', async () => {
    const file = await exportAudit(t.db, { workspaceId: std.workspaceId, groupSlug: 'ops', format: 'csv', now: new Date('2021-08-01T09:00:00Z') });
    expect(file.filename).toBe('ops-audit-2021-08-01.csv');
    const rows = parse(String(file.body).replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBe(file.rows);
    expect(new Set(rows.map((r) => r.Kind))).toEqual(new Set(['status', 'snooze', 'owner-added', 'owner-removed', 'not-mine', 'group-changed', 'member-added', 'member-removed', 'channel-set', 'settings-changed', 'meeting-added', 'meeting-changed', 'report-generated', 'report-published']));
    const first = rows.find((r) => r.Kind === 'status')!;
    expect(first).toMatchObject({ Who: 'Olu Owner', 'Action ref': '7', From: 'Amber', To: 'Red', Channel: 'teams', 'What changed': 'Updated status Amber to Red, a note' });
    expect(first.Note).toBe('\'=HYPERLINK("http://x")');
    const xlsx = await exportAudit(t.db, { workspaceId: std.workspaceId, groupSlug: 'ops', format: 'xlsx', now: new Date('2021-08-01T09:00:00Z') });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    const sheet = wb.getWorksheet('Audit')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const noteAt = header.indexOf('Note') + 1;
    expect(sheet.getRow(2).getCell(header.indexOf('Kind') + 1).value).toBe('status');
    expect(sheet.getRow(2).getCell(noteAt).value).toBe('=HYPERLINK("http://x")');
    // The whole workspace: people's changes too (no group).
    const all = await auditRows(t.db, std.workspaceId);
    expect(all.filter((r) => r.kind === 'person-added').map((r) => r.about)).toEqual(['Ian Auditor']);
  });

  it('is append-only: an audit row can be neither changed nor removed', async () => {
    const count = await t.db.auditEvent.count();
    expect(count).toBeGreaterThan(20);
    await expect(t.db.auditEvent.updateMany({ data: { actorName: 'someone else' } })).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRawUnsafe('UPDATE "AuditEvent" SET "summary" = \'rewritten\'')).rejects.toThrow(/append-only/);
    await expect(t.db.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRawUnsafe('DELETE FROM "AuditEvent"')).rejects.toThrow(/append-only/);
    if (provider === 'postgresql') await expect(t.db.$executeRawUnsafe('TRUNCATE "AuditEvent"')).rejects.toThrow(/append-only/);
    // Removing what a row is about removes no audit row: there are no foreign keys to cascade.
    await t.db.group.delete({ where: { id: (await t.db.group.findFirstOrThrow({ where: { slug: 'board' } })).id } });
    expect(await t.db.auditEvent.count()).toBe(count);
    expect(await t.db.auditEvent.count({ where: { actorName: 'someone else' } })).toBe(0);
  });
});
