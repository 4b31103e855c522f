/**
 * The few reads and writes the Teams adapter needs that no service offers: small verb-first
 * functions, each scoped to the workspace (ids in activities are never trusted).
 */
import type { Db } from '../../db/client.js';

export async function groupChannelOf(db: Db, groupId: string) {
  return db.groupChannel.findUnique({ where: { groupId_platform: { groupId, platform: 'teams' } } });
}
