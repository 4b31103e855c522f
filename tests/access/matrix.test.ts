/**
 * The access matrix, role by role and capability by capability, on a real database (both
 * engines): each role is held by one person, and every capability is asked of every one of
 * them through the same functions every channel calls. The expected table is written out here,
 * from issue 18 pt 1, not read from the code; docs/access.md must print the code's matrix.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPABILITIES, CAPABILITY_MEANING, MATRIX, ROLES, type Capability, type Role } from '../../src/core/access.js';
import { actionsAllowed, decideOnAction, decideOnGroup, groupsAllowed, type Caller } from '../../src/services/access.js';
import { addMember } from '../../src/services/groups.js';
import { createTestDatabase, providers, type TestDatabase } from '../support/db.js';
import { makeAction, makeGroup, makePerson, makeWorkspace } from '../support/factories.js';

const Y = true;
const N = false;
/** Issue 18 pt 1, as a table: owner, chair, manager, member, board viewer (reports only), auditor (reads everything and the audit), admin. */
const EXPECTED: Record<Capability, Record<Role, boolean>> = {
  'action.update':   { owner: Y, chair: Y, manager: N, member: N, 'board-viewer': N, auditor: N, admin: Y },
  'action.snooze':   { owner: Y, chair: Y, manager: N, member: N, 'board-viewer': N, auditor: N, admin: Y },
  'action.not-mine': { owner: Y, chair: N, manager: N, member: N, 'board-viewer': N, auditor: N, admin: N },
  'action.read':     { owner: Y, chair: Y, manager: Y, member: Y, 'board-viewer': N, auditor: Y, admin: Y },
  'plan.read':       { owner: N, chair: Y, manager: Y, member: Y, 'board-viewer': N, auditor: Y, admin: Y },
  'report.read':     { owner: N, chair: Y, manager: Y, member: Y, 'board-viewer': Y, auditor: Y, admin: Y },
  'report.generate': { owner: N, chair: Y, manager: Y, member: Y, 'board-viewer': N, auditor: N, admin: Y },
  'report.publish':  { owner: N, chair: Y, manager: Y, member: N, 'board-viewer': N, auditor: N, admin: Y },
  'audit.read':      { owner: N, chair: N, manager: N, member: N, 'board-viewer': N, auditor: Y, admin: Y },
  'section.write':   { owner: Y, chair: Y, manager: Y, member: Y, 'board-viewer': N, auditor: N, admin: Y },
  'group.manage':    { owner: N, chair: Y, manager: N, member: N, 'board-viewer': N, auditor: N, admin: Y },
};
/** Capabilities decided on an action (the rest on a group). */
const ON_ACTION = new Set<Capability>(['action.update', 'action.snooze', 'action.not-mine', 'action.read']);

describe('the matrix in code and in docs/access.md', () => {
  it('the code holds exactly the expected table', () => {
    for (const c of CAPABILITIES) for (const r of ROLES) expect([c, r, MATRIX[c].includes(r)]).toEqual([c, r, EXPECTED[c][r]]);
    expect(Object.keys(EXPECTED).sort()).toEqual([...CAPABILITIES].sort());
  });

  it('docs/access.md prints the same matrix', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'access.md'), 'utf8');
    const table = /<!-- matrix:start[^>]*-->\n([\s\S]*?)<!-- matrix:end -->/.exec(doc)?.[1] ?? '';
    const lines = table.trim().split('\n');
    expect(lines[0]).toBe(`| capability | ${ROLES.join(' | ')} |`);
    const rows = lines.slice(2);
    expect(rows).toEqual(CAPABILITIES.map((c) => `| \`${c}\`: ${CAPABILITY_MEANING[c]} | ${ROLES.map((r) => (MATRIX[c].includes(r) ? '✓' : '–')).join(' | ')} |`));
  });
});

describe.each(await providers())('every role × capability on %s', (provider) => {
  let t: TestDatabase;
  let workspaceId: string;
  let groupId: string;
  let actionId: string;
  const holder = new Map<Role, string>();
  const person = (r: Role): Caller => ({ kind: 'person', personId: holder.get(r)! });

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    workspaceId = await makeWorkspace(t.db);
    const group = await makeGroup(t.db, workspaceId);
    groupId = group.id;
    for (const r of ROLES) holder.set(r, (await makePerson(t.db, workspaceId, { name: `Holder of ${r}` })).id);
    for (const r of ['chair', 'manager', 'member', 'board-viewer', 'auditor', 'admin'] as const) await addMember(t.db, groupId, holder.get(r)!, r);
    actionId = (await makeAction(t.db, groupId, { ownerIds: [holder.get('owner')!] })).id;
  });
  afterAll(async () => t?.destroy());

  const cases = CAPABILITIES.flatMap((c) => ROLES.map((r) => [c, r, EXPECTED[c][r]] as const));
  it.each(cases)('%s by %s: allowed %s', async (capability, role, allowed) => {
    const d = ON_ACTION.has(capability)
      ? await decideOnAction(t.db, { workspaceId, caller: person(role), actionId, capability })
      : await decideOnGroup(t.db, { workspaceId, caller: person(role), group: { id: groupId }, capability });
    expect(d.allowed).toBe(allowed);
    if (d.allowed) expect(d.role).toBe(role);
    else {
      expect(d.code).toBe('FORBIDDEN');
      // A refusal says what to do, not only no.
      expect(d.reason).toMatch(/Ask|ask|nothing to hand back/);
    }
  });

  // The batch forms (lists of actions, "your groups") must give every role the same answer as the
  // single decisions: a channel listing actions or groups uses them, not decideOn*.
  it.each(cases)('%s by %s through the batch forms: allowed %s', async (capability, role, allowed) => {
    const personId = holder.get(role)!;
    if (ON_ACTION.has(capability)) expect((await actionsAllowed(t.db, workspaceId, personId, [actionId], capability)).has(actionId)).toBe(allowed);
    else expect((await groupsAllowed(t.db, workspaceId, personId, capability)).some((g) => g.id === groupId)).toBe(allowed);
  });

  it('a workspace admin (people set --admin) holds every admin capability in every group', async () => {
    const boss = await makePerson(t.db, workspaceId, { name: 'Workspace Admin', isAdmin: true });
    for (const capability of CAPABILITIES) {
      const d = ON_ACTION.has(capability)
        ? await decideOnAction(t.db, { workspaceId, caller: { kind: 'person', personId: boss.id }, actionId, capability })
        : await decideOnGroup(t.db, { workspaceId, caller: { kind: 'person', personId: boss.id }, group: { id: groupId }, capability });
      expect([capability, d.allowed]).toEqual([capability, EXPECTED[capability].admin]);
    }
  });

  it('a line manager of an owner reads that action (escalations go to them) and changes nothing', async () => {
    const lineManager = await makePerson(t.db, workspaceId, { name: 'Line Manager' });
    const report = await makePerson(t.db, workspaceId, { name: 'Their Officer', manager: 'Line Manager' });
    const theirs = await makeAction(t.db, groupId, { ownerIds: [report.id] });
    const caller: Caller = { kind: 'person', personId: lineManager.id };
    expect(await decideOnAction(t.db, { workspaceId, caller, actionId: theirs.id, capability: 'action.read' })).toMatchObject({ allowed: true, role: 'manager' });
    expect(await decideOnAction(t.db, { workspaceId, caller, actionId: theirs.id, capability: 'action.update' })).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    // Not the group's manager: the group's other actions and its reports are not theirs.
    expect((await decideOnAction(t.db, { workspaceId, caller, actionId, capability: 'action.read' })).allowed).toBe(false);
    expect((await decideOnGroup(t.db, { workspaceId, caller, group: { id: groupId }, capability: 'report.read' })).allowed).toBe(false);
  });

  it('the caller first: someone unknown, or from another organisation, is refused whatever they ask', async () => {
    for (const caller of [{ kind: 'unknown', channel: 'slack' }, { kind: 'foreign', channel: 'teams' }] as const) {
      const d = await decideOnAction(t.db, { workspaceId, caller, actionId, capability: 'action.read' });
      expect(d).toMatchObject({ allowed: false, code: caller.kind === 'unknown' ? 'NOT_KNOWN' : 'FOREIGN' });
    }
    expect(await decideOnAction(t.db, { workspaceId, caller: { kind: 'unknown', channel: 'slack' }, actionId, capability: 'action.read' })).toMatchObject({ reason: expect.stringContaining('map-slack') });
    expect(await decideOnAction(t.db, { workspaceId, caller: { kind: 'operator' }, actionId, capability: 'action.update' })).toMatchObject({ allowed: true, role: 'admin' });
  });

  it('an id from another workspace is not found, even for its own admin; an archived action is not found for a change', async () => {
    const other = await makeWorkspace(t.db, 'other-council');
    const theirAdmin = await makePerson(t.db, other, { name: 'Their Admin', isAdmin: true });
    const caller: Caller = { kind: 'person', personId: theirAdmin.id };
    expect(await decideOnAction(t.db, { workspaceId: other, caller, actionId, capability: 'action.read' })).toMatchObject({ allowed: false, code: 'NOT_FOUND' });
    // …and our own admin, asking as the other workspace, is not a person there.
    expect(await decideOnAction(t.db, { workspaceId: other, caller: person('admin'), actionId, capability: 'action.read' })).toMatchObject({ allowed: false, code: 'NOT_FOUND' });
    const archived = await makeAction(t.db, groupId, { ownerIds: [holder.get('owner')!] });
    await t.db.action.update({ where: { id: archived.id }, data: { archivedAt: new Date('2021-01-01T00:00:00Z') } });
    expect(await decideOnAction(t.db, { workspaceId, caller: person('owner'), actionId: archived.id, capability: 'action.update' })).toMatchObject({ allowed: false, code: 'NOT_FOUND' });
    expect(await decideOnAction(t.db, { workspaceId, caller: person('owner'), actionId: archived.id, capability: 'action.read' })).toMatchObject({ allowed: true });
  });

  it('a group named by someone with no role in it is not found, and the answer lists only their groups', async () => {
    const secret = await makeGroup(t.db, workspaceId, { slug: 'secret-group', name: 'Secret Group' });
    const d = await decideOnGroup(t.db, { workspaceId, caller: person('member'), group: { slug: 'secret-group' }, capability: 'report.generate' });
    expect(d).toMatchObject({ allowed: false, code: 'NOT_FOUND' });
    expect(d.allowed ? '' : d.reason).toBe('There is no group “secret-group” that you can see. Yours: ops.');
    const none = await decideOnGroup(t.db, { workspaceId, caller: person('owner'), group: { slug: 'nope' }, capability: 'report.generate' });
    expect(none.allowed ? '' : none.reason).not.toContain('secret-group');
    // A member of a group who lacks the capability is told what they may not do.
    expect(await decideOnGroup(t.db, { workspaceId, caller: person('member'), group: { slug: 'ops' }, capability: 'report.publish' })).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(secret.slug).toBe('secret-group');
  });

  it('the audit export asks for audit.read: the auditor gets it, a member is refused', async () => {
    const { exportAudit } = await import('../../src/services/audit.js');
    const req = { workspaceId, groupSlug: 'ops', format: 'csv' as const, now: new Date('2021-07-01T09:00:00Z') };
    expect((await exportAudit(t.db, { ...req, requesterPersonId: holder.get('auditor')! })).filename).toMatch(/^ops-audit-/);
    await expect(exportAudit(t.db, { ...req, requesterPersonId: holder.get('member')! })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(exportAudit(t.db, { ...req, requesterPersonId: holder.get('chair')! })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('the batch forms agree with the single decisions', async () => {
    const other = await makeAction(t.db, groupId, {});
    expect(await actionsAllowed(t.db, workspaceId, holder.get('owner')!, [actionId, other.id, 'missing'], 'action.update')).toEqual(new Set([actionId]));
    expect(await actionsAllowed(t.db, workspaceId, holder.get('member')!, [actionId, other.id], 'action.read')).toEqual(new Set([actionId, other.id]));
    expect(await actionsAllowed(t.db, workspaceId, holder.get('board-viewer')!, [actionId, other.id], 'action.read')).toEqual(new Set());
    expect((await groupsAllowed(t.db, workspaceId, holder.get('board-viewer')!, 'report.read')).map((g) => g.slug)).toEqual(['ops']);
    expect(await groupsAllowed(t.db, workspaceId, holder.get('board-viewer')!, 'report.generate')).toEqual([]);
    expect((await groupsAllowed(t.db, workspaceId, holder.get('owner')!, 'section.write')).map((g) => g.slug)).toEqual(['ops']);
  });
});
