/** People: owners, chairs, managers, and how each platform knows them. */
import { z } from 'zod';
import { BragbotError } from '../core/errors.js';
import type { Platform } from '../core/chat.js';
import type { Db, Tx } from '../db/client.js';

export const PersonInput = z.object({
  name: z.string().min(1),
  email: z.string().email().optional(),
  team: z.string().optional(),
  role: z.string().optional(),
  slackUserId: z.string().regex(/^[UW][A-Z0-9]+$/, 'a Slack member id such as U012ABCDEF (profile → ⋮ → Copy member ID)').optional(),
  teamsUserId: z.string().optional(),
  /** A partner's Slack account: the workspace it belongs to (Slack Connect). Empty string: ours. */
  slackTeamId: z.string().regex(/^([TE][A-Z0-9]+)?$/, 'a Slack team id such as T012ABCDEF (the partner workspace: Slack Connect channel details)').optional(),
  /** A partner's Teams account: the Entra tenant it belongs to (shared channel). Empty string: ours. */
  teamsTenantId: z.string().regex(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?$/i, 'an Entra tenant id (a GUID)').optional(),
  manager: z.string().optional(),
  isAdmin: z.boolean().optional(),
});
export type PersonInput = z.input<typeof PersonInput>;

/** People are matched by email when given, else by name (plans name officers, not emails). */
export async function upsertPerson(db: Db | Tx, workspaceId: string, input: PersonInput) {
  const p = PersonInput.parse(input);
  let managerId: string | undefined;
  if (p.manager) {
    const manager = await findPerson(db, workspaceId, p.manager);
    if (!manager) throw new BragbotError('NOT_FOUND', `no person "${p.manager}" to be the manager of ${p.name}: add them first`);
    managerId = manager.id;
  }
  const existing = (p.email ? await db.person.findUnique({ where: { workspaceId_email: { workspaceId, email: p.email } } }) : null)
    ?? (await db.person.findUnique({ where: { workspaceId_name: { workspaceId, name: p.name } } }));
  const data = {
    name: p.name,
    ...(p.email !== undefined ? { email: p.email } : {}),
    ...(p.team !== undefined ? { team: p.team } : {}),
    ...(p.role !== undefined ? { role: p.role } : {}),
    ...(p.slackUserId !== undefined ? { slackUserId: p.slackUserId } : {}),
    ...(p.teamsUserId !== undefined ? { teamsUserId: p.teamsUserId } : {}),
    ...(p.slackTeamId !== undefined ? { slackTeamId: p.slackTeamId || null } : {}),
    ...(p.teamsTenantId !== undefined ? { teamsTenantId: p.teamsTenantId.toLowerCase() || null } : {}),
    ...(p.isAdmin !== undefined ? { isAdmin: p.isAdmin } : {}),
    ...(managerId !== undefined ? { managerId } : {}),
  };
  return existing
    ? db.person.update({ where: { id: existing.id }, data })
    : db.person.create({ data: { workspaceId, ...data } });
}

/** By id, email, exact name, or platform id: what a chair types on the command line. */
export async function findPerson(db: Db | Tx, workspaceId: string, key: string) {
  return db.person.findFirst({
    where: { workspaceId, OR: [{ id: key }, { email: key }, { name: key }, { slackUserId: key }, { teamsUserId: key }] },
  });
}

/** The chat platforms whose accounts a Person row carries, and the column each is in. */
export type AccountPlatform = 'slack' | 'teams';
export const ACCOUNT_COLUMN: Record<AccountPlatform, 'slackUserId' | 'teamsUserId'> = { slack: 'slackUserId', teams: 'teamsUserId' };

/** The column holding the organisation of a person's account on each platform (null: ours). */
export const ACCOUNT_ORG_COLUMN: Record<AccountPlatform, 'slackTeamId' | 'teamsTenantId'> = { slack: 'slackTeamId', teams: 'teamsTenantId' };

/**
 * A chat account as a person: identified by (organisation, user id), issue 15. `org` is the
 * partner's Slack workspace or Teams tenant the account belongs to, null for this deployment's
 * own. An account claimed from another organisation than the person's row says is nobody:
 * a foreign workspace cannot borrow one of our people's ids, nor ours a partner's.
 */
export async function findPersonByAccount(db: Db | Tx, workspaceId: string, platform: AccountPlatform, userId: string, org: string | null) {
  const p = await findPersonByPlatformId(db, workspaceId, platform, userId);
  if (!p) return null;
  const stored = p[ACCOUNT_ORG_COLUMN[platform]];
  return (stored ?? null) === (org === null ? null : platform === 'teams' ? org.toLowerCase() : org) ? p : null;
}

export async function findPersonByPlatformId(db: Db | Tx, workspaceId: string, platform: Platform, userId: string) {
  if (platform === 'slack') return db.person.findUnique({ where: { workspaceId_slackUserId: { workspaceId, slackUserId: userId } } });
  if (platform === 'teams') return db.person.findUnique({ where: { workspaceId_teamsUserId: { workspaceId, teamsUserId: userId } } });
  return db.person.findFirst({ where: { workspaceId, OR: [{ id: userId }, { name: userId }] } });
}

/** Names of the people behind Slack member ids, in one query (ids bragbot does not know are left out). */
export async function namesBySlackId(db: Db | Tx, workspaceId: string, slackUserIds: string[]): Promise<Map<string, string>> {
  if (slackUserIds.length === 0) return new Map();
  const rows = await db.person.findMany({ where: { workspaceId, slackUserId: { in: slackUserIds } }, select: { slackUserId: true, name: true } });
  return new Map(rows.flatMap((r) => (r.slackUserId ? [[r.slackUserId, r.name] as const] : [])));
}

export async function setOwners(db: Db | Tx, actionId: string, personIds: string[]) {
  await db.actionOwner.deleteMany({ where: { actionId, personId: { notIn: personIds } } });
  for (const personId of personIds) {
    await db.actionOwner.upsert({ where: { actionId_personId: { actionId, personId } }, create: { actionId, personId }, update: {} });
  }
}
