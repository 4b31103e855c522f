/**
 * The scheduler: one replica plans per tick (a claim in SchedulerState), a start after downtime
 * plans ONCE (catch-up), and node-cron ticks drive plan -> outbox -> dispatch.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { MemoryChatPort } from '../../src/delivery/memory-port.js';
import { silentLogger } from '../../src/logging.js';
import { claimPlanRun, planJob, startScheduler } from '../../src/scheduling/scheduler.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';

const at = (local: string) => DateTime.fromISO(local, { zone: 'Europe/London' }).toJSDate();

describe.each(await providers())('plan-run claims on %s', (provider) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
  });
  afterAll(async () => t?.destroy());

  it('lets exactly one of five replicas plan a tick, first run or not', async () => {
    const extra: Database[] = provider === 'postgresql' ? await Promise.all(Array.from({ length: 5 }, () => openDatabase(t.url))) : [];
    const dbs = provider === 'postgresql' ? extra.map((d) => d.db) : Array.from({ length: 5 }, () => t.db);
    try {
      const now = new Date('2021-07-01T08:00:00Z');
      const first = await Promise.all(dbs.map((db) => claimPlanRun(db, 'job-a', now, 30_000)));
      expect(first.filter((c) => c.claimed)).toHaveLength(1);
      const later = new Date('2021-07-01T08:15:00Z');
      const second = await Promise.all(dbs.map((db) => claimPlanRun(db, 'job-a', later, 30_000)));
      expect(second.filter((c) => c.claimed)).toEqual([{ claimed: true, previous: now }]);
      // A tick seconds later (another replica's clock) is the same tick.
      expect(await claimPlanRun(t.db, 'job-a', new Date(later.getTime() + 5_000), 30_000)).toEqual({ claimed: false, previous: later });
    } finally {
      await Promise.all(extra.map((d) => d.close()));
    }
  });
});

describe('scheduler (SQLite)', () => {
  let t: TestDatabase;
  let std: Awaited<ReturnType<typeof makeStandardGroup>>;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    std = await makeStandardGroup(t.db);
    for (const due of ['2021-06-28', '2021-06-29', '2021-06-30']) await makeAction(t.db, std.group.id, { dueDate: due, ownerIds: [std.owner.id], lastUpdatedAt: at('2021-06-01T10:00') });
  });
  afterAll(async () => t?.destroy());

  it('after downtime plans once on start-up, marked catch-up, one message per person', async () => {
    await t.db.schedulerState.create({ data: { job: planJob(std.workspaceId), lastRunAt: at('2021-06-25T16:00') } });
    const clock = () => at('2021-07-01T10:00');
    const deps = {
      db: t.db,
      provider: 'sqlite' as const,
      config: { SCHEDULER_CRON: '0 0 1 1 *', DISPATCH_INTERVAL_MS: 1000, INSTANCE_ID: 'test' },
      logger: silentLogger,
      ports: [new MemoryChatPort('console')],
      workspaceId: std.workspaceId,
      clock,
      dispatch: false,
    };
    const a = startScheduler(deps);
    const report = await a.ready;
    expect(report?.plan.catchUp).toBe(true);
    // One nudge, and Monday's digest the chair and the manager missed while the bot was down.
    expect(report?.written.inserted.sort()).toEqual([`digest:${std.chair.id}:2021-06-28`, `digest:${std.manager.id}:2021-06-28`, `nudge:${std.owner.id}:2021-07-01`].sort());
    const nudge = report?.plan.messages.find((m) => m.message.kind === 'nudge');
    expect(nudge?.message).toMatchObject({ reasons: ['overdue', 'catch-up'] });
    expect(nudge?.actionIds).toHaveLength(3);
    // A second replica starting at the same moment does not plan again.
    const b = startScheduler(deps);
    expect(await b.ready).toBeNull();
    await Promise.all([a.stop(), b.stop()]);
    expect((await t.db.schedulerState.findUniqueOrThrow({ where: { job: planJob(std.workspaceId) } })).lastRunAt).toEqual(clock());
    expect(await t.db.outboxMessage.count()).toBe(3);
  });

  it('plans on node-cron ticks and dispatches, sending each message once however many ticks run', async () => {
    await t.db.outboxMessage.deleteMany({});
    await t.db.schedulerState.deleteMany({});
    const port = new MemoryChatPort('console');
    const triggers: string[] = [];
    const s = startScheduler({
      db: t.db,
      provider: 'sqlite',
      config: { SCHEDULER_CRON: '* * * * * *', DISPATCH_INTERVAL_MS: 50, INSTANCE_ID: 'ticker' },
      logger: silentLogger,
      ports: [port],
      workspaceId: std.workspaceId,
      clock: () => at('2021-07-01T10:00'),
      minGapMs: 0,
      onCycle: (_r, trigger) => triggers.push(trigger),
    });
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline && (triggers.filter((x) => x === 'tick').length < 2 || port.sent.length < 1)) await new Promise((r) => setTimeout(r, 50));
    await s.stop();
    expect(triggers[0]).toBe('startup');
    expect(triggers.filter((x) => x === 'tick').length).toBeGreaterThanOrEqual(2);
    expect([...port.deliveriesByKey()]).toEqual([[`nudge:${std.owner.id}:2021-07-01`, 1]]);
    expect(await t.db.outboxMessage.findMany({ select: { status: true } })).toEqual([{ status: 'sent' }]);
  });
});
