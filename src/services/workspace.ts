import type { Db } from '../db/client.js';

/** The tenant this process serves; created on first run so a fresh install just works. */
export async function ensureWorkspace(db: Db, slug: string, name: string): Promise<string> {
  const ws = await db.workspace.upsert({ where: { slug }, create: { slug, name }, update: {}, select: { id: true } });
  return ws.id;
}
