/**
 * Groups, their members and channels: small verb-first functions over Prisma.
 * Group structure (cadence, reporting line, roles) is data, not code: councils differ.
 */
import { z } from 'zod';
import { BragbotError } from '../core/errors.js';
import type { Db, Tx } from '../db/client.js';

// The roles a group membership can hold, and what each may do: src/core/access.ts (docs/access.md).
export { GROUP_ROLES, type GroupRole } from '../core/access.js';
import type { GroupRole } from '../core/access.js';
export const CADENCES = ['monthly', 'bimonthly', 'quarterly', 'none'] as const;
export type Cadence = (typeof CADENCES)[number];

export const GroupInput = z.object({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a slug: lower-case letters, digits and dashes, e.g. york-cypic-partnership'),
  name: z.string().min(1),
  cadence: z.enum(CADENCES).default('none'),
  cadenceAnchor: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').optional(),
  reportsTo: z.string().optional(),
});
export type GroupInput = z.input<typeof GroupInput>;

export async function findGroupBySlug(db: Db | Tx, workspaceId: string, slug: string) {
  return db.group.findUnique({ where: { workspaceId_slug: { workspaceId, slug } } });
}

export async function getGroupBySlug(db: Db | Tx, workspaceId: string, slug: string) {
  const group = await findGroupBySlug(db, workspaceId, slug);
  if (!group) {
    const known = await db.group.findMany({ where: { workspaceId }, select: { slug: true }, orderBy: { slug: 'asc' } });
    const list = known.length ? known.map((g) => g.slug).join(', ') : 'none yet: create one with `bragbot groups add`';
    throw new BragbotError('NOT_FOUND', `no group "${slug}" (groups: ${list})`);
  }
  return group;
}

export async function upsertGroup(db: Db, workspaceId: string, input: GroupInput) {
  const g = GroupInput.parse(input);
  const reportsToId = g.reportsTo ? (await getGroupBySlug(db, workspaceId, g.reportsTo)).id : undefined;
  const data = {
    name: g.name,
    cadence: g.cadence,
    ...(g.cadenceAnchor !== undefined ? { cadenceAnchor: g.cadenceAnchor } : {}),
    ...(reportsToId !== undefined ? { reportsToId } : {}),
  };
  return db.group.upsert({
    where: { workspaceId_slug: { workspaceId, slug: g.slug } },
    create: { workspaceId, slug: g.slug, ...data },
    update: data,
  });
}

export async function addMember(db: Db | Tx, groupId: string, personId: string, role: GroupRole) {
  return db.groupMember.upsert({
    where: { groupId_personId_role: { groupId, personId, role } },
    create: { groupId, personId, role },
    update: {},
  });
}

export async function rolesOf(db: Db | Tx, groupId: string, personId: string): Promise<GroupRole[]> {
  const rows = await db.groupMember.findMany({ where: { groupId, personId }, select: { role: true } });
  return rows.map((r) => r.role as GroupRole);
}

export async function membersWithRole(db: Db | Tx, groupId: string, role: GroupRole) {
  const rows = await db.groupMember.findMany({ where: { groupId, role }, include: { person: true } });
  return rows.map((r) => r.person);
}

export async function setGroupChannel(
  db: Db,
  groupId: string,
  channel: { platform: 'slack' | 'teams'; conversationId: string; teamId?: string; serviceUrl?: string },
) {
  const data = { conversationId: channel.conversationId, teamId: channel.teamId ?? null, serviceUrl: channel.serviceUrl ?? null };
  return db.groupChannel.upsert({
    where: { groupId_platform: { groupId, platform: channel.platform } },
    create: { groupId, platform: channel.platform, ...data },
    update: data,
  });
}

export async function addMeeting(db: Db, groupId: string, date: string, title?: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new BragbotError('INPUT_INVALID', `meeting date "${date}" must be YYYY-MM-DD`);
  return db.meeting.upsert({
    where: { groupId_date: { groupId, date } },
    create: { groupId, date, title: title ?? null },
    update: title !== undefined ? { title } : {},
  });
}

/** The group's own channel on a platform (where update rounds open and reports are published), if set. */
export async function groupChannelOn(db: Db | Tx, groupId: string, platform: 'slack' | 'teams') {
  return db.groupChannel.findUnique({ where: { groupId_platform: { groupId, platform } }, select: { conversationId: true, teamId: true, serviceUrl: true } });
}

/** The group whose channel (on this platform) the conversation is, if any: its slug. */
export async function groupOfChannel(db: Db | Tx, workspaceId: string, platform: 'slack' | 'teams', conversationId: string): Promise<string | null> {
  const row = await db.groupChannel.findFirst({ where: { platform, conversationId, group: { workspaceId } }, select: { group: { select: { slug: true } } } });
  return row?.group.slug ?? null;
}

/** Slugs of the groups a person belongs to (any role), for "which group did you mean?". */
export async function groupSlugsOf(db: Db | Tx, workspaceId: string, personId: string): Promise<string[]> {
  const rows = await db.groupMember.findMany({ where: { personId, group: { workspaceId } }, select: { group: { select: { slug: true } } } });
  return [...new Set(rows.map((r) => r.group.slug))].sort();
}
