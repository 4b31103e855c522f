/**
 * The few reads and writes the Slack adapter needs that no service offers: small verb-first
 * functions, each scoped to the workspace (ids in payloads are never trusted).
 */
import type { Db } from '../../db/client.js';

/** May this person see the action's details? Owners, members of its group, admins. */
export async function mayViewAction(db: Db, workspaceId: string, actionId: string, personId: string): Promise<boolean> {
  const action = await db.action.findFirst({
    where: { id: actionId, group: { workspaceId } },
    select: { groupId: true, owners: { where: { personId }, select: { id: true } } },
  });
  if (!action) return false;
  if (action.owners.length > 0) return true;
  const person = await db.person.findFirst({ where: { id: personId, workspaceId }, select: { isAdmin: true, reports: { select: { id: true } } } });
  if (!person) return false;
  if (person.isAdmin) return true;
  const member = await db.groupMember.findFirst({ where: { groupId: action.groupId, personId }, select: { id: true } });
  if (member) return true;
  // A line manager sees their people's actions (escalations and digests are sent to them).
  const reportIds = person.reports.map((r) => r.id);
  if (reportIds.length === 0) return false;
  const owned = await db.actionOwner.findFirst({ where: { actionId, personId: { in: reportIds } }, select: { id: true } });
  return owned !== null;
}

export async function peopleToMap(db: Db, workspaceId: string) {
  return db.person.findMany({ where: { workspaceId }, select: { id: true, name: true, email: true, slackUserId: true }, orderBy: { name: 'asc' } });
}

export async function personWithSlackId(db: Db, workspaceId: string, slackUserId: string) {
  return db.person.findUnique({ where: { workspaceId_slackUserId: { workspaceId, slackUserId } }, select: { id: true, name: true } });
}

export async function setSlackUserId(db: Db, personId: string, slackUserId: string) {
  await db.person.update({ where: { id: personId }, data: { slackUserId } });
}
