/** People: owners, chairs, managers, and how each platform knows them. */
import { z } from 'zod';
import { BragbotError } from '../core/errors.js';
import type { Platform } from '../core/chat.js';
import type { Db, Tx } from '../db/client.js';
import { actionAuditStatement, recordAudit, type Change } from './audit.js';

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

/** What of a person the audit shows, field by field (ids of chat accounts, the manager's id, the admin flag). */
const AUDITED_FIELDS = ['name', 'email', 'team', 'role', 'slackUserId', 'teamsUserId', 'managerId', 'isAdmin'] as const;

/**
 * People are matched by email when given, else by name (plans name officers, not emails). With
 * `change`, a new person or the fields that changed are audited (people are workspace-wide: the
 * row has no group).
 */
export async function upsertPerson(db: Db | Tx, workspaceId: string, input: PersonInput, change?: Change) {
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
  const saved = existing
    ? await db.person.update({ where: { id: existing.id }, data })
    : await db.person.create({ data: { workspaceId, ...data } });
  if (change) {
    const changed = AUDITED_FIELDS.filter((f) => !existing || String(existing[f] ?? '') !== String(saved[f] ?? ''));
    if (!existing || changed.length > 0) {
      const shown = (p: typeof saved | null) => (p ? JSON.stringify(Object.fromEntries(changed.map((f) => [f, p[f]]))) : null);
      await recordAudit(db, {
        workspaceId, groupId: null, at: change.at, by: change.by, kind: existing ? 'person-changed' : 'person-added', subject: { personId: saved.id, name: saved.name },
        from: shown(existing), to: shown(saved), summary: existing ? `${saved.name}: ${changed.join(', ')} changed` : `${saved.name} added`,
      });
    }
  }
  return saved;
}

/** A person renamed (the audit keeps the old name). */
export async function renamePerson(db: Db, personId: string, name: string, change: Change) {
  return db.$transaction(async (tx) => {
    const before = await tx.person.findUniqueOrThrow({ where: { id: personId } });
    if (before.name === name) return before;
    const saved = await tx.person.update({ where: { id: personId }, data: { name } });
    await recordAudit(tx, { workspaceId: saved.workspaceId, groupId: null, at: change.at, by: change.by, kind: 'person-changed', subject: { personId, name }, from: before.name, to: name, summary: `${before.name} renamed ${name}` });
    return saved;
  });
}

/**
 * Makes a person an owner of an action, or stops them owning it (`people own`): true when that
 * changed something, audited in the same transaction (whom it is about, and who did it).
 */
export async function setOwnership(db: Db, req: { actionId: string; personId: string; owns: boolean; change: Change }): Promise<boolean> {
  const { actionId, personId, change } = req;
  return db.$transaction(async (tx) => {
    const had = await tx.actionOwner.findUnique({ where: { actionId_personId: { actionId, personId } }, select: { id: true } });
    if (!!had === req.owns) return false;
    if (req.owns) await tx.actionOwner.create({ data: { actionId, personId } });
    else await tx.actionOwner.delete({ where: { actionId_personId: { actionId, personId } } });
    const person = await tx.person.findUniqueOrThrow({ where: { id: personId }, select: { name: true } });
    await actionAuditStatement(tx, actionId, {
      at: change.at, by: change.by, kind: req.owns ? 'owner-added' : 'owner-removed', subject: { personId, name: person.name },
      summary: req.owns ? `${person.name} made an owner` : `${person.name} no longer an owner`,
    });
    return true;
  });
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
