/**
 * The few reads and writes the Slack adapter needs that no service offers: small verb-first
 * functions, each scoped to the workspace (ids in payloads are never trusted).
 */
import type { Db } from '../../db/client.js';
import { versionOf } from './ids.js';

/** Action id → version token, for the actions of this workspace among `ids`. */
export async function versionsOf(db: Db, workspaceId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.action.findMany({ where: { id: { in: [...ids] }, group: { workspaceId } }, select: { id: true, updatedAt: true } });
  return new Map(rows.map((r) => [r.id, versionOf(r.updatedAt)]));
}

export async function actionState(db: Db, workspaceId: string, actionId: string) {
  return db.action.findFirst({
    where: { id: actionId, group: { workspaceId } },
    select: { id: true, updatedAt: true, brag: true, evidence: true, ref: true, activity: true },
  });
}

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
