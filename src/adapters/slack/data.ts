/**
 * The few reads and writes the Slack adapter needs that no service offers: small verb-first
 * functions, each scoped to the workspace (ids in payloads are never trusted).
 */
import type { Db } from '../../db/client.js';

export async function peopleToMap(db: Db, workspaceId: string) {
  // A partner's account lives in their own workspace: mapping by email in ours must not touch it.
  return db.person.findMany({ where: { workspaceId, slackTeamId: null }, select: { id: true, name: true, email: true, slackUserId: true }, orderBy: { name: 'asc' } });
}

export async function personWithSlackId(db: Db, workspaceId: string, slackUserId: string) {
  return db.person.findUnique({ where: { workspaceId_slackUserId: { workspaceId, slackUserId } }, select: { id: true, name: true } });
}

export async function setSlackUserId(db: Db, personId: string, slackUserId: string) {
  await db.person.update({ where: { id: personId }, data: { slackUserId } });
}
