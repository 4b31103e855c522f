/**
 * The purge on a real database (both engines): a closed plan past its periods loses its history,
 * an open one and a held one keep everything, the outbox and inbound keys go by age (pending
 * messages and unfinished clicks never), every deletion is in the log without its content, a
 * dry run deletes nothing, and the daily run is claimed by one replica.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDailyPurge } from '../../src/scheduling/purge.js';
import { closeGroup, purge, setLegalHold } from '../../src/services/retention.js';
import { createLogger } from '../../src/logging.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../support/factories.js';
import { addInboundEvent, addInboundInteraction, addOutbox, addReportVersion, addSectionReply, addStatusUpdate } from '../support/records.js';

const NOW = new Date('2028-06-01T02:30:00Z');
const policy = { outboxDays: 400, inboundKeyDays: 30 };
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const SECRET = 'Child K moved placement on 3 May';

describe.each(await providers())('retention purge on %s', (provider) => {
  let t: TestDatabase;
  let workspaceId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    workspaceId = await makeWorkspace(t.db);
    const olu = await makePerson(t.db, workspaceId, { name: 'Olu Owner' });
    for (const slug of ['closed', 'open', 'held']) {
      const g = await makeGroup(t.db, workspaceId, { slug, name: `Group ${slug}` });
      ids[slug] = g.id;
      const a = await makeAction(t.db, g.id, { ownerIds: [olu.id] });
      await addStatusUpdate(t.db, a.id, new Date('2021-01-10T10:00:00Z'), { personId: olu.id, actorName: 'Olu Owner' }, { note: SECRET });
      await addStatusUpdate(t.db, a.id, new Date('2021-02-10T10:00:00Z'), { personId: olu.id, actorName: 'Olu Owner' });
      await addSectionReply(t.db, g.id, '2021-02-15', { personId: olu.id, authorName: 'Olu Owner' }, SECRET, new Date('2021-02-10T10:00:00Z'));
      await addReportVersion(t.db, g.id, '2021-02-15', new Date('2021-02-12T10:00:00Z'));
      await addOutbox(t.db, { personId: olu.id, groupId: g.id, status: 'sent', createdAt: daysAgo(500) });
    }
    // Closed in March 2021: six years (the default) ran out in March 2027.
    await closeGroup(t.db, { workspaceId, slug: 'closed', closedAt: new Date('2021-03-31T00:00:00Z'), now: new Date('2021-03-31T12:00:00Z') });
    await closeGroup(t.db, { workspaceId, slug: 'held', closedAt: new Date('2021-03-31T00:00:00Z'), now: new Date('2021-03-31T12:00:00Z') });
    await setLegalHold(t.db, { workspaceId, slug: 'held', on: true, by: 'cli:records', reason: 'Subject access request SAR-2028-14', now: daysAgo(10) });
    await addOutbox(t.db, { personId: olu.id, status: 'pending', createdAt: daysAgo(600) });
    await addOutbox(t.db, { personId: olu.id, status: 'failed', createdAt: daysAgo(401) });
    await addOutbox(t.db, { personId: olu.id, status: 'sent', createdAt: daysAgo(399) });
    for (const d of [40, 31, 29]) await addInboundEvent(t.db, daysAgo(d));
    await addInboundInteraction(t.db, workspaceId, daysAgo(40), true);
    await addInboundInteraction(t.db, workspaceId, daysAgo(40), false);
    await addInboundInteraction(t.db, workspaceId, daysAgo(5), true);
  });
  afterAll(async () => t?.destroy());

  const counts = async () => ({
    updates: Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([s, id]) => [s, await t.db.statusUpdate.count({ where: { action: { groupId: id } } })]))),
    replies: Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([s, id]) => [s, await t.db.sectionUpdate.count({ where: { thread: { meeting: { groupId: id } } } })]))),
    reports: Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([s, id]) => [s, await t.db.highlightReport.count({ where: { groupId: id } })]))),
    outbox: await t.db.outboxMessage.count(),
    events: await t.db.inboundEvent.count(),
    interactions: await t.db.inboundInteraction.count(),
  });

  it('a dry run counts what is due and deletes nothing', async () => {
    const before = await counts();
    const r = await purge(t.db, { workspaceId, now: NOW, policy, dryRun: true });
    expect(Object.fromEntries(r.deleted.map((d) => [`${d.category}${d.groupSlug ? `:${d.groupSlug}` : ''}`, d.count]))).toEqual({
      'status-updates:closed': 2, 'section-replies:closed': 1, 'report-versions:closed': 1, outbox: 3, 'inbound-events': 2, 'inbound-interactions': 1,
    });
    expect(r.plan.held).toEqual([{ groupSlug: 'held', since: daysAgo(10) }]);
    expect(await counts()).toEqual(before);
    expect(await t.db.deletionLog.count()).toBe(0);
  });

  it('deletes exactly that, and logs each kind with its count and rule, never the content', async () => {
    const r = await purge(t.db, { workspaceId, now: NOW, policy });
    expect(await counts()).toEqual({
      updates: { closed: 0, open: 2, held: 2 },
      replies: { closed: 0, open: 1, held: 1 },
      reports: { closed: 0, open: 1, held: 1 },
      // Left: the held group's 500-day-old sent message, the pending one and the 399-day-old one.
      outbox: 3,
      events: 1,
      interactions: 2,
    });
    const log = await t.db.deletionLog.findMany({ where: { runId: r.runId }, orderBy: { category: 'asc' } });
    expect(log.map((l) => [l.kind, l.category, l.groupSlug, l.count])).toEqual([
      ['purge', 'inbound-events', null, 2],
      ['purge', 'inbound-interactions', null, 1],
      ['purge', 'outbox', null, 3],
      ['purge', 'report-versions', 'closed', 1],
      ['purge', 'section-replies', 'closed', 1],
      ['purge', 'status-updates', 'closed', 2],
    ]);
    expect(log.find((l) => l.category === 'status-updates')!.rule).toBe('status updates kept 72 months after the plan closed (2021-03-31)');
    expect(log.every((l) => l.at.getTime() === NOW.getTime())).toBe(true);
    expect(JSON.stringify(log)).not.toContain('Child K');
    // The held group's sent message is kept with the rest of it.
    expect(await t.db.outboxMessage.count({ where: { groupId: ids.held } })).toBe(1);
    expect(await t.db.outboxMessage.count({ where: { status: 'pending' } })).toBe(1);
  });

  it('a second run finds nothing more; lifting the hold lets the next run purge that group', async () => {
    const again = await purge(t.db, { workspaceId, now: NOW, policy });
    expect(again.deleted.every((d) => d.count === 0)).toBe(true);
    expect(await t.db.deletionLog.count({ where: { runId: again.runId } })).toBe(0);
    const lifted = await setLegalHold(t.db, { workspaceId, slug: 'held', on: false, by: 'cli:records', now: NOW });
    expect(lifted).toMatchObject({ changed: true, group: { legalHoldAt: null, legalHoldReason: null } });
    const after = await purge(t.db, { workspaceId, now: NOW, policy });
    expect(after.deleted.filter((d) => d.groupSlug === 'held').map((d) => [d.category, d.count])).toEqual([['status-updates', 2], ['section-replies', 1], ['report-versions', 1]]);
    expect(await t.db.statusUpdate.count({ where: { action: { groupId: ids.open } } })).toBe(2);
  });

  it('holds, closes and purges are in the audit', async () => {
    const kinds = (await t.db.auditEvent.findMany({ where: { workspaceId }, orderBy: { at: 'asc' } })).map((e) => [e.kind, e.summary]);
    expect(kinds).toEqual(expect.arrayContaining([
      ['plan-closed', 'Plan closed on 2021-03-31'],
      ['legal-hold', 'Legal hold set: Subject access request SAR-2028-14'],
      ['legal-hold', 'Legal hold lifted'],
      ['purged', '2 status-updates deleted: status updates kept 72 months after the plan closed (2021-03-31)'],
    ]));
  });

  it('a hold needs a reason', async () => {
    await expect(setLegalHold(t.db, { workspaceId, slug: 'open', on: true, by: 'cli:records', now: NOW })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
  });

  it('the daily run: replicas firing together purge once', async () => {
    const deps = { db: t.db, workspaceId, clock: () => NOW, logger: createLogger('silent'), config: { PURGE_CRON: '30 2 * * *', OUTBOX_RETENTION_DAYS: 400, INBOUND_KEYS_RETENTION_DAYS: 30 } };
    const results = await Promise.all([runDailyPurge(deps), runDailyPurge(deps), runDailyPurge(deps)]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    // The next day's run is claimed again.
    expect(await runDailyPurge({ ...deps, clock: () => new Date(NOW.getTime() + 86_400_000) })).not.toBeNull();
  });
});
