/**
 * The outbox writer on SQLite and PostgreSQL: a planned message is stored once per key, however
 * often or concurrently it is written, with its actions; and each recipient gets one platform.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { realClock } from '../../src/clock.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { decodePayload, writeOutbox } from '../../src/delivery/outbox.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';
import { plannedNudge } from './support.js';

describe.each(await providers())('outbox writer on %s', (provider) => {
  let t: TestDatabase;
  let std: Awaited<ReturnType<typeof makeStandardGroup>>;
  let actionIds: string[];

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    std = await makeStandardGroup(t.db);
    actionIds = [(await makeAction(t.db, std.group.id, { ownerIds: [std.owner.id] })).id, (await makeAction(t.db, std.group.id, { ownerIds: [std.owner.id] })).id];
    // The owner has talked to the bot in Teams; the chair has no Slack id.
    await t.db.conversationRef.create({ data: { personId: std.owner.id, platform: 'teams', conversationId: 'a:owner-personal', referenceJson: '{"serviceUrl":"https://smba.example/"}' } });
    await t.db.person.update({ where: { id: std.chair.id }, data: { slackUserId: null } });
  });
  afterAll(async () => t?.destroy());
  beforeEach(async () => {
    await t.db.outboxMessage.deleteMany({});
  });

  it('stores a message with its actions once, however often the plan is written', async () => {
    const plan = [plannedNudge('nudge:owner:2021-07-01', std.owner, { actionIds })];
    expect((await writeOutbox(t.db, plan, { platforms: ['slack', 'teams'], now: realClock() })).inserted).toEqual(['nudge:owner:2021-07-01']);
    expect(await writeOutbox(t.db, plan, { platforms: ['slack', 'teams'], now: realClock() })).toEqual({ inserted: [], existing: ['nudge:owner:2021-07-01'], undeliverable: [] });
    const rows = await t.db.outboxMessage.findMany({ include: { items: true } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.items.map((i) => i.actionId).sort()).toEqual([...actionIds].sort());
    expect(rows[0]!.status).toBe('pending');
    expect(decodePayload(rows[0]!.payloadJson)?.mentions).toHaveLength(2);
  });

  it('three writers racing insert each key exactly once', async () => {
    // PostgreSQL: three connections, as three replicas would have. SQLite: one client (the SQLite driver
    // is synchronous, so two connections in one process would wait on each other's locks; across
    // processes SQLite's own locking serialises the writers).
    const extra: Database[] = provider === 'postgresql' ? await Promise.all([openDatabase(t.url), openDatabase(t.url), openDatabase(t.url)]) : [];
    const clients = provider === 'postgresql' ? extra.map((d) => d.db) : [t.db, t.db, t.db];
    try {
      const plan = Array.from({ length: 30 }, (_, i) => plannedNudge(`race:${i}`, std.owner, { actionIds: [actionIds[i % 2]!] }));
      const reports = await Promise.all(clients.map((db) => writeOutbox(db, plan, { platforms: ['teams'], now: realClock() })));
      expect(reports.reduce((n, r) => n + r.inserted.length, 0)).toBe(30);
      expect(reports.reduce((n, r) => n + r.existing.length, 0)).toBe(60);
      expect(await t.db.outboxMessage.count()).toBe(30);
      expect(await t.db.outboxItem.count()).toBe(30);
    } finally {
      await Promise.all(extra.map((d) => d.close()));
    }
  });

  it.each([
    ['owner, Teams and Slack enabled', 'owner', ['slack', 'teams'], 'teams', null],
    ['owner, only Slack enabled', 'owner', ['slack'], 'slack', null],
    ['manager (Slack id, no Teams conversation)', 'manager', ['slack', 'teams'], 'slack', null],
    ['chair with no Slack id, only Slack enabled', 'chair', ['slack'], 'slack', 'Asha Chair cannot be reached by Slack direct message: add their Slack member id (bragbot people set --slack, or people map-slack)'],
    ['anyone, console only', 'chair', ['console'], 'console', null],
  ] as const)('platform for %s', async (_name, who, platforms, expected, problem) => {
    const person = std[who];
    const report = await writeOutbox(t.db, [plannedNudge(`p:${who}`, person)], { platforms: [...platforms], now: realClock() });
    const row = await t.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `p:${who}` } });
    expect([row.platform, row.lastError, row.status]).toEqual([expected, problem, problem ? 'failed' : 'pending']);
    expect(report.undeliverable).toEqual(problem ? [`p:${who}`] : []);
  });
});
