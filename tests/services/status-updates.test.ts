import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BragbotError } from '../../src/core/errors.js';
import { authorizeActionChange, disclaim, firstDelivery, recordUpdate, snooze } from '../../src/services/status-updates.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeStandardGroup, makeWorkspace } from '../support/factories.js';

const now = new Date('2021-07-01T09:00:00Z');

for (const provider of await providers()) {
  describe(`status updates on ${provider}`, () => {
    let t: TestDatabase;
    let g: Awaited<ReturnType<typeof makeStandardGroup>>;
    beforeAll(async () => {
      t = await createTestDatabase(provider);
      g = await makeStandardGroup(t.db);
    });
    afterAll(async () => t?.destroy());

    it('records a BRAG change once per idempotency key, with who/when/from/to/channel', async () => {
      const action = await makeAction(t.db, g.group.id, { brag: 'green', ownerIds: [g.owner.id] });
      const req = { workspaceId: g.workspaceId, actionId: action.id, personId: g.owner.id, channel: 'slack' as const, brag: 'amber' as const, note: 'Staffing gap', idempotencyKey: `k-${action.id}`, now };
      expect(await recordUpdate(t.db, req)).toMatchObject({ status: 'recorded', fromBrag: 'green', toBrag: 'amber' });
      expect(await recordUpdate(t.db, req)).toMatchObject({ status: 'duplicate', fromBrag: 'green', toBrag: 'amber' });
      // Concurrent retries: still one row.
      const raced = await Promise.all([1, 2, 3].map(() => recordUpdate(t.db, { ...req, idempotencyKey: `race-${action.id}`, brag: 'red' })));
      expect(raced.filter((r) => r.status === 'recorded')).toHaveLength(1);
      const rows = await t.db.statusUpdate.findMany({ where: { actionId: action.id }, orderBy: { at: 'asc' } });
      expect(rows.map((r) => [r.fromBrag, r.toBrag, r.actorName, r.channel, r.note])).toEqual([
        ['green', 'amber', 'Olu Owner', 'slack', 'Staffing gap'],
        ['amber', 'red', 'Olu Owner', 'slack', 'Staffing gap'],
      ]);
      expect((await t.db.action.findUniqueOrThrow({ where: { id: action.id } })).brag).toBe('red');
    });

    it('a stale button for the status the action already has records nothing', async () => {
      const action = await makeAction(t.db, g.group.id, { brag: 'green', ownerIds: [g.owner.id] });
      const r = await recordUpdate(t.db, { workspaceId: g.workspaceId, actionId: action.id, personId: g.owner.id, channel: 'teams', brag: 'green', idempotencyKey: `stale-${action.id}`, now });
      expect(r).toEqual({ status: 'unchanged', brag: 'green' });
      expect(await t.db.statusUpdate.count({ where: { actionId: action.id } })).toBe(0);
    });

    it('records progress, evidence and a revised date, and refuses an impossible date', async () => {
      const action = await makeAction(t.db, g.group.id, { brag: 'amber', ownerIds: [g.owner.id], dueDate: '2021-06-30' });
      await recordUpdate(t.db, { workspaceId: g.workspaceId, actionId: action.id, personId: g.owner.id, channel: 'slack', progress: 'Packs redesigned with CiCC', evidence: 'New pack v2', revisedDue: '30/09/21', idempotencyKey: `p-${action.id}`, now });
      const a = await t.db.action.findUniqueOrThrow({ where: { id: action.id } });
      expect([a.progress, a.evidence, a.dueRaw, a.dueDate, a.dueKind, a.lastUpdatedAt?.toISOString()]).toEqual(['Packs redesigned with CiCC', 'New pack v2', '30/09/21', '2021-09-30', 'date', now.toISOString()]);
      const u = await t.db.statusUpdate.findFirstOrThrow({ where: { actionId: action.id } });
      expect([u.fromDueRaw, u.revisedDueRaw, u.revisedDueDate, u.toProgress]).toEqual(['30/06/2021', '30/09/21', '2021-09-30', 'Packs redesigned with CiCC']);
      await expect(recordUpdate(t.db, { workspaceId: g.workspaceId, actionId: action.id, personId: g.owner.id, channel: 'slack', revisedDue: '31/02/22', idempotencyKey: `bad-${action.id}`, now })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    });

    it('lets owners, chairs and admins change an action, and nobody else', async () => {
      const action = await makeAction(t.db, g.group.id, { ownerIds: [g.owner.id] });
      expect(await authorizeActionChange(t.db, g.workspaceId, action.id, g.owner.id)).toBe('owner');
      expect(await authorizeActionChange(t.db, g.workspaceId, action.id, g.chair.id)).toBe('chair');
      await expect(authorizeActionChange(t.db, g.workspaceId, action.id, g.manager.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(authorizeActionChange(t.db, g.workspaceId, action.id, g.stranger.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await t.db.person.update({ where: { id: g.stranger.id }, data: { isAdmin: true } });
      expect(await authorizeActionChange(t.db, g.workspaceId, action.id, g.stranger.id)).toBe('admin');
      await t.db.person.update({ where: { id: g.stranger.id }, data: { isAdmin: false } });
      const refused = await recordUpdate(t.db, { workspaceId: g.workspaceId, actionId: action.id, personId: g.stranger.id, channel: 'slack', brag: 'red', idempotencyKey: `x-${action.id}`, now }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BragbotError);
      expect(await t.db.statusUpdate.count({ where: { actionId: action.id } })).toBe(0);
    });

    it("treats an action id from another workspace as not found, even for that workspace's admin", async () => {
      const other = await makeWorkspace(t.db, 'other-council');
      const outsider = await t.db.person.create({ data: { workspaceId: other, name: 'Other Admin', isAdmin: true } });
      const action = await makeAction(t.db, g.group.id, { ownerIds: [g.owner.id] });
      await expect(authorizeActionChange(t.db, other, action.id, outsider.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('"not mine" removes the owner and records it once; snooze upserts', async () => {
      const action = await makeAction(t.db, g.group.id, { ownerIds: [g.owner.id] });
      const req = { workspaceId: g.workspaceId, actionId: action.id, personId: g.owner.id, channel: 'teams' as const, note: 'This is Health', idempotencyKey: `nm-${action.id}`, now };
      expect(await disclaim(t.db, req)).toMatchObject({ status: 'recorded' });
      expect(await disclaim(t.db, req)).toMatchObject({ status: 'duplicate' });
      expect(await t.db.actionOwner.count({ where: { actionId: action.id } })).toBe(0);
      expect((await t.db.statusUpdate.findFirstOrThrow({ where: { actionId: action.id } })).kind).toBe('not-mine');

      const other = await makeAction(t.db, g.group.id, { ownerIds: [g.owner.id] });
      await snooze(t.db, g.workspaceId, other.id, g.owner.id, new Date('2021-07-08T09:00:00Z'), now);
      await snooze(t.db, g.workspaceId, other.id, g.owner.id, new Date('2021-07-15T09:00:00Z'), now);
      expect((await t.db.snooze.findMany({ where: { actionId: other.id } })).map((s) => s.until.toISOString())).toEqual(['2021-07-15T09:00:00.000Z']);
    });

    it('firstDelivery is true once per key', async () => {
      expect(await firstDelivery(t.db, 'slack:Ev123', 'slack', now)).toBe(true);
      expect(await firstDelivery(t.db, 'slack:Ev123', 'slack', now)).toBe(false);
    });
  });
}
