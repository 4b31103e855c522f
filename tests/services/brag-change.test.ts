/**
 * The one-statement BRAG click (src/services/brag-change.ts), both engines: it records exactly
 * when the access matrix lets the caller change the action (its WHERE is the access module's rule,
 * asked here of every role, the workspace admin and a line manager), and writes nothing for a
 * stale button, a click that changes nothing, an archived action, another workspace's action or
 * a key seen before. Two clicks racing on one button record one change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATRIX, ROLES, type Role } from '../../src/core/access.js';
import { sqlOf } from '../../src/db/sql.js';
import { decideOnAction } from '../../src/services/access.js';
import { versionOf } from '../../src/services/actions.js';
import { recordBragChange, type BragChange } from '../../src/services/brag-change.js';
import { addMember } from '../../src/services/groups.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../support/factories.js';

const NOW = new Date('2026-12-01T10:00:00Z');
const TODAY = '2026-12-01';

describe.each(await providers())('one conditional statement records a BRAG click (%s)', (provider) => {
  let t: TestDatabase;
  let workspaceId: string;
  let groupId: string;
  const holder = new Map<Role | 'workspace-admin' | 'line-manager' | 'nobody', string>();
  let ownerId: string;
  beforeAll(async () => {
    t = await createTestDatabase(provider);
    workspaceId = await makeWorkspace(t.db);
    groupId = (await makeGroup(t.db, workspaceId)).id;
    for (const r of ROLES) holder.set(r, (await makePerson(t.db, workspaceId, { name: `Holder of ${r}` })).id);
    for (const r of ['chair', 'manager', 'member', 'board-viewer', 'auditor', 'admin'] as const) await addMember(t.db, groupId, holder.get(r)!, r);
    holder.set('workspace-admin', (await makePerson(t.db, workspaceId, { name: 'Workspace Admin', isAdmin: true })).id);
    holder.set('line-manager', (await makePerson(t.db, workspaceId, { name: 'Line Manager' })).id);
    holder.set('nobody', (await makePerson(t.db, workspaceId, { name: 'Nobody' })).id);
    ownerId = (await makePerson(t.db, workspaceId, { name: 'Managed Owner', manager: 'Line Manager' })).id;
  });
  afterAll(async () => t?.destroy());

  let n = 0;
  const change = (over: Partial<BragChange> & { actionId: string; personId: string }): BragChange => ({
    workspaceId, brag: 'red', channel: 'slack', idempotencyKey: `bc:${(n += 1)}`, now: NOW, ...over,
  });
  const ownedAction = (brag: 'amber' | 'green' = 'amber') => makeAction(t.db, groupId, { brag, ownerIds: [holder.get('owner')!, ownerId] });

  const who = [...ROLES, 'workspace-admin', 'line-manager', 'nobody'] as const;
  it.each(who)('by %s: records exactly when the access module allows action.update', async (role) => {
    const action = await ownedAction();
    const personId = holder.get(role)!;
    const decision = await decideOnAction(t.db, { workspaceId, caller: { kind: 'person', personId }, actionId: action.id, capability: 'action.update' });
    const expected = role === 'workspace-admin' ? true : role === 'line-manager' || role === 'nobody' ? false : MATRIX['action.update'].includes(role);
    expect(decision.allowed).toBe(expected);
    const out = await recordBragChange(sqlOf(t.db)!, change({ actionId: action.id, personId }), TODAY);
    expect(out !== null).toBe(expected);
    const updates = await t.db.statusUpdate.findMany({ where: { actionId: action.id } });
    const now = await t.db.action.findUniqueOrThrow({ where: { id: action.id } });
    if (expected) {
      expect(updates).toMatchObject([{ fromBrag: 'amber', toBrag: 'red', kind: 'update', channel: 'slack', personId, at: NOW }]);
      expect(now).toMatchObject({ brag: 'red', lastUpdatedAt: NOW });
      // What it returns is the action as it now is, with the version its next buttons carry.
      expect(out!.card).toMatchObject({ actionId: action.id, brag: 'red', groupSlug: 'ops', ownerNames: ['Holder of owner', 'Managed Owner'] });
      expect(out!.version).toBe(versionOf(now.updatedAt));
      expect(out!.fromBrag).toBe('amber');
    } else {
      expect(updates).toEqual([]);
      expect(now.brag).toBe('amber');
    }
  });

  it('writes nothing for a stale button, no change, an archived action, another workspace, or a key seen before', async () => {
    const sql = sqlOf(t.db)!;
    const owner = holder.get('owner')!;
    const a = await ownedAction();
    const stale = versionOf(new Date(a.updatedAt.getTime() - 1000));
    expect(await recordBragChange(sql, change({ actionId: a.id, personId: owner, version: stale }), TODAY)).toBeNull();
    expect(await recordBragChange(sql, change({ actionId: a.id, personId: owner, version: 'not-a-version!' }), TODAY)).toBeNull();
    expect(await recordBragChange(sql, change({ actionId: a.id, personId: owner, brag: 'amber' }), TODAY)).toBeNull();
    const current = await recordBragChange(sql, change({ actionId: a.id, personId: owner, version: versionOf(a.updatedAt), idempotencyKey: 'bc:once' }), TODAY);
    expect(current).not.toBeNull();
    // The same key again (a retry), even as another change: nothing new.
    expect(await recordBragChange(sql, change({ actionId: a.id, personId: owner, brag: 'green', idempotencyKey: 'bc:once' }), TODAY)).toBeNull();
    expect(await t.db.statusUpdate.count({ where: { actionId: a.id } })).toBe(1);

    const archived = await ownedAction();
    await t.db.action.update({ where: { id: archived.id }, data: { archivedAt: NOW } });
    expect(await recordBragChange(sql, change({ actionId: archived.id, personId: owner }), TODAY)).toBeNull();
    const elsewhere = await makeWorkspace(t.db, 'another-council');
    expect(await recordBragChange(sql, change({ actionId: a.id, personId: owner, workspaceId: elsewhere }), TODAY)).toBeNull();
    expect(await t.db.statusUpdate.count({ where: { actionId: { in: [archived.id] } } })).toBe(0);
  });

  it('two clicks on the same button racing (different keys, same version): one change recorded', async () => {
    const sql = sqlOf(t.db)!;
    const a = await ownedAction('green');
    const version = versionOf(a.updatedAt);
    const outs = await Promise.all([
      recordBragChange(sql, change({ actionId: a.id, personId: holder.get('owner')!, version, brag: 'red' }), TODAY),
      recordBragChange(sql, change({ actionId: a.id, personId: holder.get('chair')!, version, brag: 'amber' }), TODAY),
      recordBragChange(sql, change({ actionId: a.id, personId: holder.get('admin')!, version, brag: 'blue' }), TODAY),
    ]);
    expect(outs.filter((o) => o !== null)).toHaveLength(1);
    const updates = await t.db.statusUpdate.findMany({ where: { actionId: a.id } });
    expect(updates).toHaveLength(1);
    expect(updates[0]!.fromBrag).toBe('green');
    expect((await t.db.action.findUniqueOrThrow({ where: { id: a.id } })).brag).toBe(updates[0]!.toBrag);
  });

  it('writes the audit row with the change, once, and (SQLite) its trigger takes no other StatusUpdate on that connection', async () => {
    const sql = sqlOf(t.db)!;
    const a = await ownedAction();
    const out = await recordBragChange(sql, change({ actionId: a.id, personId: holder.get('owner')!, idempotencyKey: 'bc:audited' }), TODAY);
    expect(out).not.toBeNull();
    const [update] = await t.db.statusUpdate.findMany({ where: { actionId: a.id } });
    expect(await t.db.auditEvent.findMany({ where: { statusUpdateId: update!.id } })).toMatchObject([{ kind: 'status', actionId: a.id, fromValue: 'amber', toValue: 'red', personId: holder.get('owner')!, at: NOW }]);
    if (provider !== 'sqlite') return;
    // Anything else inserting a StatusUpdate through the driver connection would otherwise change the action by the trigger.
    await expect(sql.run(`INSERT INTO "StatusUpdate" ("id", "actionId", "personId", "actorName", "at", "kind", "fromBrag", "toBrag", "channel", "idempotencyKey") VALUES ('su-x', $1, NULL, 'x', $2, 'update', 'red', 'blue', 'cli', 'bc:not-a-click')`, [a.id, NOW])).rejects.toThrow(/is a BRAG change of src\/services\/brag-change.ts/);
    expect((await t.db.action.findUniqueOrThrow({ where: { id: a.id } })).brag).toBe('red');
    // Prisma's connection has no such trigger: its own writes audit themselves (src/services/audit.ts).
    await t.db.statusUpdate.create({ data: { actionId: a.id, actorName: 'x', at: NOW, kind: 'update', fromBrag: 'red', toBrag: 'red', channel: 'cli', idempotencyKey: 'bc:prisma' } });
    expect(await t.db.auditEvent.count({ where: { actionId: a.id } })).toBe(1);
  });
});
