/**
 * The few reads and writes the Teams adapter needs that no service offers: small verb-first
 * functions, each scoped to the workspace (ids in activities are never trusted).
 */
import type { ActionCard } from '../../core/chat.js';
import type { Db } from '../../db/client.js';
import { getActionCard } from '../../services/actions.js';

/** Cards for ids, in the order given, skipping ids not in the workspace. */
export async function cardsByIds(db: Db, workspaceId: string, ids: readonly string[], today: string): Promise<ActionCard[]> {
  const out: ActionCard[] = [];
  for (const id of ids) {
    const c = await getActionCard(db, workspaceId, id, today);
    if (c) out.push(c);
  }
  return out;
}

/**
 * Which of these actions may the person see? Owners, members of the action's group, admins,
 * and line managers of an owner (escalations and digests go to them). Access follows group
 * membership: updates can carry personal data.
 */
export async function viewableActionIds(db: Db, workspaceId: string, personId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const person = await db.person.findFirst({ where: { id: personId, workspaceId }, select: { isAdmin: true, reports: { select: { id: true } } } });
  if (!person) return new Set();
  const rows = await db.action.findMany({
    where: { id: { in: [...ids] }, group: { workspaceId } },
    select: { id: true, groupId: true, owners: { select: { personId: true } } },
  });
  if (person.isAdmin) return new Set(rows.map((r) => r.id));
  const groups = new Set((await db.groupMember.findMany({ where: { personId }, select: { groupId: true } })).map((g) => g.groupId));
  const reports = new Set(person.reports.map((r) => r.id));
  return new Set(rows.filter((r) => groups.has(r.groupId) || r.owners.some((o) => o.personId === personId || reports.has(o.personId))).map((r) => r.id));
}

/** Which of these actions may the person change (the same rule as authorizeActionChange)? */
export async function changeableActionIds(db: Db, workspaceId: string, personId: string, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const person = await db.person.findFirst({ where: { id: personId, workspaceId }, select: { isAdmin: true } });
  if (!person) return new Set();
  const rows = await db.action.findMany({
    where: { id: { in: [...ids] }, archivedAt: null, group: { workspaceId } },
    select: { id: true, groupId: true, owners: { where: { personId }, select: { id: true } } },
  });
  if (person.isAdmin) return new Set(rows.map((r) => r.id));
  const chairOf = new Set((await db.groupMember.findMany({ where: { personId, role: { in: ['chair', 'admin'] } }, select: { groupId: true } })).map((g) => g.groupId));
  return new Set(rows.filter((r) => r.owners.length > 0 || chairOf.has(r.groupId)).map((r) => r.id));
}

export async function groupChannelOf(db: Db, groupId: string) {
  return db.groupChannel.findUnique({ where: { groupId_platform: { groupId, platform: 'teams' } } });
}
