/**
 * Report versions on SQLite and PostgreSQL: a draft is stored with who asked and its inputs'
 * hash; unchanged inputs reuse it; a change makes version n+1 and supersedes the old draft;
 * publishing freezes a version; a late reply after publication makes a NEW version and leaves the
 * published one byte for byte as circulated; regenerating a published version is REPORT_FROZEN.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BragbotError } from '../../src/core/errors.js';
import type { Db } from '../../src/db/client.js';
import { addMeeting } from '../../src/services/groups.js';
import {
  generate,
  generateReport,
  getReport,
  listReports,
  publish,
  publishReport,
  regenerate,
  renderReport,
} from '../../src/services/reports.js';
import { recordUpdate } from '../../src/services/status-updates.js';
import { captureThreadReply, recordThreadOpened } from '../../src/services/threads.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';

const at = (iso: string) => new Date(iso);

describe.each(await providers())('highlight report versions on %s', (provider) => {
  let database: TestDatabase;
  let db: Db;
  let ctx: Awaited<ReturnType<typeof makeStandardGroup>>;
  let actionId: string;

  const post = (messageId: string, when: string, text: string, userId = 'UOWNER') =>
    captureThreadReply(db, {
      workspaceId: ctx.workspaceId, platform: 'slack', conversationId: 'C0OPS', threadId: '1700000000.000100',
      messageId, userId, at: at(when), event: { kind: 'posted', text },
    });

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    db = database.db;
    ctx = await makeStandardGroup(db);
    const meeting = await addMeeting(db, ctx.group.id, '2021-03-10');
    await addMeeting(db, ctx.group.id, '2021-02-10');
    await recordThreadOpened(db, { meetingId: meeting.id, platform: 'slack', conversationId: 'C0OPS', threadId: '1700000000.000100', now: at('2021-03-01T09:00:00Z') });
    const action = await makeAction(db, ctx.group.id, { ref: '7', brag: 'green', dueDate: '2021-06-30', ownerIds: [ctx.owner.id] });
    await db.action.update({ where: { id: action.id }, data: { createdAt: at('2021-01-05T09:00:00Z') } });
    actionId = action.id;
    await post('1700000001.000001', '2021-03-02T10:00:00Z', 'Pathway Team:\n\nWe are working with 135 young people.');
  });

  afterAll(async () => {
    await database?.destroy();
  });

  it('stores a draft with who asked, when, and the inputs hash; unchanged inputs reuse it', async () => {
    const first = await generateReport(db, { workspaceId: ctx.workspaceId, groupSlug: 'ops', requestedBy: 'Asha Chair', now: at('2021-03-08T09:00:00Z') });
    expect(first.outcome).toBe('created');
    expect(first.report).toMatchObject({ version: 1, status: 'draft', meetingDate: '2021-03-10', requestedBy: 'Asha Chair' });
    expect(first.report.requestedAt.toISOString()).toBe('2021-03-08T09:00:00.000Z');
    expect(first.report.inputsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.report.content.sections.map((s) => s.heading)).toEqual(['Pathway Team']);

    const again = await generateReport(db, { workspaceId: ctx.workspaceId, groupSlug: 'ops', requestedBy: 'Maya Manager', now: at('2021-03-08T15:00:00Z') });
    expect(again.outcome).toBe('reused');
    expect(again.report.id).toBe(first.report.id);
    expect(await listReports(db, ctx.group.id)).toHaveLength(1);
  });

  it('a change before publication makes version 2 and supersedes the draft', async () => {
    await recordUpdate(db, {
      workspaceId: ctx.workspaceId, actionId, personId: ctx.owner.id, channel: 'slack', brag: 'amber',
      note: 'Recruitment paused by lockdown', idempotencyKey: 'k-amber', now: at('2021-03-08T16:00:00Z'),
    });
    const second = await generate(db, ctx.group.id, '2021-03-10', 'Asha Chair', at('2021-03-08T17:00:00Z'));
    expect(second.outcome).toBe('created');
    expect(second.report.version).toBe(2);
    expect(second.report.content.plan.redAmber.map((a) => [a.ref, a.brag, a.latestNote?.text])).toEqual([['7', 'amber', 'Recruitment paused by lockdown']]);
    const versions = await listReports(db, ctx.group.id, '2021-03-10');
    expect(versions.map((v) => [v.version, v.status])).toEqual([[2, 'draft'], [1, 'superseded']]);
    await expect(publish(db, versions[1]!.id, 'Asha Chair', at('2021-03-08T18:00:00Z'))).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('publishing freezes; a late reply makes version 3 and the published one stays as circulated', async () => {
    const [draft] = await listReports(db, ctx.group.id, '2021-03-10');
    const published = await publishReport(db, { workspaceId: ctx.workspaceId, reportId: draft!.id, by: 'Asha Chair', byPersonId: ctx.chair.id, now: at('2021-03-08T18:00:00Z') });
    expect(published).toMatchObject({ status: 'published', publishedBy: 'Asha Chair', version: 2 });
    const before = await renderReport(published, 'md');

    // Publishing again is harmless; regenerating that version is refused.
    expect((await publish(db, draft!.id, 'Someone Else', at('2021-03-08T18:05:00Z'))).publishedBy).toBe('Asha Chair');
    const frozen = regenerate(db, draft!.id, 'Asha Chair', at('2021-03-08T18:10:00Z'));
    await expect(frozen).rejects.toBeInstanceOf(BragbotError);
    await expect(frozen).rejects.toMatchObject({ code: 'REPORT_FROZEN' });

    // Unchanged inputs (same day, same plan and replies) after publication: the published version stands.
    const same = await generate(db, ctx.group.id, '2021-03-10', 'Asha Chair', at('2021-03-08T19:00:00Z'));
    expect(same).toMatchObject({ outcome: 'reused', report: { id: draft!.id, status: 'published' } });

    // A late reply (after the meeting) arrives: a new version, never an edit of the published one.
    await post('1700000002.000001', '2021-03-11T09:00:00Z', 'Court Team:\n\nA tracker of all 42 open cases is now in place.', 'UMANAGER');
    const late = await generate(db, ctx.group.id, '2021-03-10', 'Asha Chair', at('2021-03-11T10:00:00Z'));
    expect(late.outcome).toBe('created');
    expect(late.report.version).toBe(3);
    expect(late.report.content.sections.map((s) => [s.heading, s.late])).toEqual([['Pathway Team', false], ['Court Team', true]]);

    const stillPublished = await getReport(db, ctx.workspaceId, draft!.id);
    expect(stillPublished.status).toBe('published');
    expect(stillPublished.content).toEqual(published.content);
    expect((await renderReport(stillPublished, 'md')).body).toBe(before.body);
    expect((await listReports(db, ctx.group.id, '2021-03-10')).map((v) => [v.version, v.status])).toEqual([[3, 'draft'], [2, 'published'], [1, 'superseded']]);
  });

  it('the next meeting compares with the published report, not with its drafts', async () => {
    await addMeeting(db, ctx.group.id, '2021-04-14');
    await recordUpdate(db, {
      workspaceId: ctx.workspaceId, actionId, personId: ctx.owner.id, channel: 'teams', brag: 'blue',
      note: 'Done', idempotencyKey: 'k-blue', now: at('2021-04-01T10:00:00Z'),
    });
    const april = await generate(db, ctx.group.id, '2021-04-14', 'Asha Chair', at('2021-04-12T09:00:00Z'));
    const cmp = april.report.content.plan.comparison!;
    expect(cmp.kind).toBe('report');
    expect(cmp.label).toContain('version 2');
    expect(cmp.counts).toMatchObject({ amber: 1, blue: 0 });
    expect(cmp.completions.map((m) => [m.ref, m.from, m.to, m.by])).toEqual([['7', 'amber', 'blue', 'Olu Owner']]);
  });

  it('access follows group membership; ids from another workspace are not found', async () => {
    // Someone with no role in the group is told it is not there, and not which groups exist.
    const refused = await generateReport(db, { workspaceId: ctx.workspaceId, groupSlug: 'ops', requestedBy: 'Sam', requesterPersonId: ctx.stranger.id, now: at('2021-04-12T09:00:00Z') }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'NOT_FOUND', message: 'There is no group “ops” that you can see. Ask the group’s chair to add you.' });
    const [latest] = await listReports(db, ctx.group.id);
    await expect(publishReport(db, { workspaceId: ctx.workspaceId, reportId: latest!.id, by: 'Olu', byPersonId: ctx.owner.id, now: at('2021-04-12T09:00:00Z') }))
      .rejects.toMatchObject({ code: 'FORBIDDEN' });
    const other = await db.workspace.create({ data: { slug: 'elsewhere', name: 'Elsewhere' } });
    await expect(getReport(db, other.id, latest!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(generateReport(db, { workspaceId: ctx.workspaceId, groupSlug: 'ops', meetingDate: '13/01/2021', requestedBy: 'x', now: at('2021-04-12T09:00:00Z') }))
      .rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('a date with no meeting stores no version, and the answer names the meetings near it', async () => {
    const before = await db.highlightReport.count();
    const out = await generateReport(db, { workspaceId: ctx.workspaceId, groupSlug: 'ops', meetingDate: '2021-03-11', requestedBy: 'Asha Chair', requesterPersonId: ctx.chair.id, now: at('2021-03-01T09:00:00Z') }).catch((e: unknown) => e);
    expect(out).toMatchObject({ code: 'NOT_FOUND' });
    expect((out as Error).message).toContain('has no meeting on Thursday 11 March 2021');
    expect((out as Error).message).toContain('Wednesday 10 March 2021');
    expect(await db.highlightReport.count()).toBe(before);
  });

  it('two generations at once store one version', async () => {
    await addMeeting(db, ctx.group.id, '2021-05-12');
    const results = await Promise.all([
      generate(db, ctx.group.id, '2021-05-12', 'Asha Chair', at('2021-05-10T09:00:00Z')),
      generate(db, ctx.group.id, '2021-05-12', 'Maya Manager', at('2021-05-10T09:00:00Z')),
    ]);
    expect(new Set(results.map((r) => r.report.id)).size).toBe(1);
    expect(await listReports(db, ctx.group.id, '2021-05-12')).toHaveLength(1);
  });
});
