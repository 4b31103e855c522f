/**
 * plan -> outbox on SQLite and PostgreSQL, through the real services: the loader reads what the
 * planner needs, a re-run inserts nothing, the outbox's history stops daily repeats, a "not my
 * action" becomes one message to the chair, a Red update an escalation.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlanSnapshot } from '../../src/scheduling/load-snapshot.js';
import { runNudgeCycle } from '../../src/scheduling/cycle.js';
import { disclaim, recordUpdate, snooze } from '../../src/services/status-updates.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeStandardGroup } from '../support/factories.js';

const at = (local: string) => DateTime.fromISO(local, { zone: 'Europe/London' }).toJSDate();

describe.each(await providers())('nudge cycle on %s', (provider) => {
  let t: TestDatabase;
  let std: Awaited<ReturnType<typeof makeStandardGroup>>;
  const cycle = (now: string) => runNudgeCycle(t.db, { workspaceId: std.workspaceId, now: at(now), platforms: ['slack'] });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    std = await makeStandardGroup(t.db);
  });
  afterAll(async () => t?.destroy());

  it('plans each nudge once, and again only after the interval', async () => {
    const overdue = await makeAction(t.db, std.group.id, { ref: '7', dueDate: '2021-06-30', ownerIds: [std.owner.id], lastUpdatedAt: at('2021-06-20T10:00') });
    await makeAction(t.db, std.group.id, { ref: '8', dueDate: '2021-06-30', brag: 'blue', ownerIds: [std.owner.id] });
    const snap = await loadPlanSnapshot(t.db, { workspaceId: std.workspaceId, now: at('2021-07-01T09:00') });
    expect(snap.groups[0]?.actions.map((a) => [a.ref, a.ownerIds])).toEqual([
      ['7', [std.owner.id]],
      ['8', [std.owner.id]],
    ]);

    const first = await cycle('2021-07-01T09:00');
    expect(first.written.inserted).toEqual([`nudge:${std.owner.id}:2021-07-01`]);
    const row = await t.db.outboxMessage.findUniqueOrThrow({ where: { idempotencyKey: `nudge:${std.owner.id}:2021-07-01` }, include: { items: true } });
    expect([row.kind, row.platform, row.personId, row.notBefore.toISOString(), row.items.map((i) => i.actionId)]).toEqual(['overdue', 'slack', std.owner.id, '2021-07-01T08:00:00.000Z', [overdue.id]]);

    expect((await cycle('2021-07-01T09:15')).written).toEqual({ inserted: [], existing: [], undeliverable: [] });
    expect((await cycle('2021-07-02T09:00')).plan.messages).toEqual([]);
    expect((await cycle('2021-07-08T09:00')).written.inserted).toEqual([`nudge:${std.owner.id}:2021-07-08`]);
  });

  it('a snooze silences the nudge until it ends', async () => {
    const a = await makeAction(t.db, std.group.id, { ref: '9', dueDate: '2021-07-09', ownerIds: [std.owner.id], lastUpdatedAt: at('2021-07-05T10:00') });
    await snooze(t.db, std.workspaceId, a.id, std.owner.id, at('2021-07-14T09:00'), at('2021-07-07T09:00'));
    expect((await cycle('2021-07-13T09:00')).plan.messages.filter((m) => m.actionIds.includes(a.id))).toEqual([]);
    expect((await cycle('2021-07-14T09:30')).plan.messages.filter((m) => m.actionIds.includes(a.id)).map((m) => m.idempotencyKey)).toEqual([`nudge:${std.owner.id}:2021-07-14`]);
  });

  it('turns a "not my action" into one message to the chair, and a Red update into escalations', async () => {
    const a = await makeAction(t.db, std.group.id, { ref: '10', dueDate: '2021-12-31', ownerIds: [std.owner.id], lastUpdatedAt: at('2021-07-19T10:00') });
    const red = await recordUpdate(t.db, { workspaceId: std.workspaceId, actionId: a.id, personId: std.owner.id, channel: 'cli', brag: 'red', note: 'Funding withdrawn', idempotencyKey: 'test-red-1', now: at('2021-07-20T10:00') });
    const notMine = await disclaim(t.db, { workspaceId: std.workspaceId, actionId: a.id, personId: std.owner.id, channel: 'cli', idempotencyKey: 'test-nm-1', now: at('2021-07-20T10:05') });
    const run = await cycle('2021-07-20T11:00');
    const keys = run.written.inserted.filter((k) => !k.startsWith('nudge:'));
    const redId = red.status === 'recorded' ? red.updateId : '';
    // An escalation is keyed by the Red update it reports (issue 10 pt 8), not by the day.
    expect(keys.sort()).toEqual([`escalation:red:${std.chair.id}:${redId}`, `escalation:red:${std.manager.id}:${redId}`, `not-mine:${notMine.updateId}:${std.chair.id}`].sort());
    const escalation = run.plan.messages.find((m) => m.kind === 'escalation')!;
    // The owner disclaimed it, so it has no owner left; the Red note is carried to the managers.
    expect(escalation.message).toMatchObject({ reason: 'red', ownerName: 'no owner', actions: [{ ref: '10', latestNote: 'Funding withdrawn', brag: 'red' }] });
    expect(red.status).toBe('recorded');
    expect((await cycle('2021-07-20T11:15')).written.inserted).toEqual([]);
    expect(await t.db.outboxMessage.count({ where: { kind: 'not-mine' } })).toBe(1);
  });
});
