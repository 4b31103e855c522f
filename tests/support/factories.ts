/**
 * Test factories over the real services: a workspace, a group with a chair and a manager,
 * owners, and actions. Tests state only what they care about.
 */
import type { Brag } from '../../src/core/brag.js';
import type { DueKind } from '../../src/core/due-date.js';
import type { Db } from '../../src/db/client.js';
import { addMember, upsertGroup, type GroupInput } from '../../src/services/groups.js';
import { upsertPerson, type PersonInput } from '../../src/services/people.js';
import { ensureWorkspace } from '../../src/services/workspace.js';

export async function makeWorkspace(db: Db, slug = 'test-council') {
  return ensureWorkspace(db, slug, 'Test Council');
}

export async function makePerson(db: Db, workspaceId: string, input: PersonInput) {
  return upsertPerson(db, workspaceId, input);
}

export async function makeGroup(db: Db, workspaceId: string, input: Partial<GroupInput> = {}) {
  return upsertGroup(db, workspaceId, { slug: 'ops', name: 'Children in Care Operational Group', cadence: 'monthly', ...input });
}

export interface ActionSpec {
  ref?: string;
  activity?: string;
  brag?: Brag;
  dueKind?: DueKind;
  dueDate?: string | null;
  dueRaw?: string;
  progress?: string;
  ownerIds?: string[];
  lastUpdatedAt?: Date | null;
  objectiveId?: string | null;
}

let counter = 0;
export async function makeAction(db: Db, groupId: string, spec: ActionSpec = {}) {
  counter += 1;
  const ref = spec.ref ?? String(counter);
  const dueDate = spec.dueDate === undefined ? '2021-06-30' : spec.dueDate;
  return db.action.create({
    data: {
      groupId,
      ref,
      rowKey: `${ref}#t${counter}`,
      position: counter,
      activity: spec.activity ?? `Action ${ref}`,
      progress: spec.progress ?? '',
      brag: spec.brag ?? 'green',
      dueKind: spec.dueKind ?? (dueDate ? 'date' : 'unknown'),
      dueDate,
      dueRaw: spec.dueRaw ?? (dueDate ? dueDate.split('-').reverse().join('/') : ''),
      lastUpdatedAt: spec.lastUpdatedAt ?? null,
      objectiveId: spec.objectiveId ?? null,
      owners: spec.ownerIds ? { create: spec.ownerIds.map((personId) => ({ personId })) } : undefined,
    },
  });
}

/** A group with a chair (Asha, also admin of nothing), a manager (Maya) and an owner (Olu) managed by Maya. */
export async function makeStandardGroup(db: Db) {
  const workspaceId = await makeWorkspace(db);
  const group = await makeGroup(db, workspaceId);
  const chair = await makePerson(db, workspaceId, { name: 'Asha Chair', email: 'asha@example.gov.uk', slackUserId: 'UCHAIR', teamsUserId: 'teams-chair' });
  const manager = await makePerson(db, workspaceId, { name: 'Maya Manager', email: 'maya@example.gov.uk', slackUserId: 'UMANAGER', teamsUserId: 'teams-manager' });
  const owner = await makePerson(db, workspaceId, { name: 'Olu Owner', email: 'olu@example.gov.uk', slackUserId: 'UOWNER', teamsUserId: 'teams-owner', manager: 'Maya Manager', team: 'Pathway Team' });
  const stranger = await makePerson(db, workspaceId, { name: 'Sam Stranger', email: 'sam@example.gov.uk', slackUserId: 'USTRANGER', teamsUserId: 'teams-stranger' });
  await addMember(db, group.id, chair.id, 'chair');
  await addMember(db, group.id, manager.id, 'manager');
  await addMember(db, group.id, owner.id, 'member');
  return { workspaceId, group, chair, manager, owner, stranger };
}
