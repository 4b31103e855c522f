/**
 * Groups, their members and channels: small verb-first functions over Prisma.
 * Group structure (cadence, reporting line, roles) is data, not code: councils differ.
 */
import { z } from 'zod';
import { BragbotError } from '../core/errors.js';
import type { Db, Tx } from '../db/client.js';
import { recordAudit, recordGroupAudit, type AuditEntry, type Change } from './audit.js';

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

/**
 * Creates or changes a group. With `change` (who and when: the CLI, chat), the creation or what
 * changed is audited in the same transaction; without it (set-up code) nothing is audited.
 */
export async function upsertGroup(db: Db, workspaceId: string, input: GroupInput, change?: Change) {
  const g = GroupInput.parse(input);
  const reportsTo = g.reportsTo ? await getGroupBySlug(db, workspaceId, g.reportsTo) : undefined;
  const data = {
    name: g.name,
    cadence: g.cadence,
    ...(g.cadenceAnchor !== undefined ? { cadenceAnchor: g.cadenceAnchor } : {}),
    ...(reportsTo !== undefined ? { reportsToId: reportsTo.id } : {}),
  };
  return db.$transaction(async (tx) => {
    const before = await tx.group.findUnique({ where: { workspaceId_slug: { workspaceId, slug: g.slug } }, include: { reportsTo: { select: { slug: true } } } });
    const saved = await tx.group.upsert({ where: { workspaceId_slug: { workspaceId, slug: g.slug } }, create: { workspaceId, slug: g.slug, ...data }, update: data });
    if (change) {
      const described = (x: { name: string; cadence: string; cadenceAnchor: string | null; reportsTo: string | null }) =>
        `name “${x.name}”, cadence ${x.cadence}${x.cadenceAnchor ? ` from ${x.cadenceAnchor}` : ''}${x.reportsTo ? `, reports to ${x.reportsTo}` : ''}`;
      const after = described({ name: saved.name, cadence: saved.cadence, cadenceAnchor: saved.cadenceAnchor, reportsTo: reportsTo?.slug ?? before?.reportsTo?.slug ?? null });
      const prior = before ? described({ name: before.name, cadence: before.cadence, cadenceAnchor: before.cadenceAnchor, reportsTo: before.reportsTo?.slug ?? null }) : null;
      if (prior !== after) {
        await recordAudit(tx, { workspaceId, groupId: saved.id, at: change.at, by: change.by, kind: before ? 'group-changed' : 'group-created', from: prior, to: after, summary: `Group ${saved.slug} ${before ? 'changed' : 'created'}: ${after}` });
      }
    }
    return saved;
  });
}

/** An audit row about a group (its workspace read by the INSERT), in the caller's transaction. */
async function auditGroup(db: Db | Tx, groupId: string, change: Change, e: Omit<AuditEntry, 'workspaceId' | 'groupId' | 'at' | 'by'>): Promise<void> {
  await recordGroupAudit(db, groupId, { at: change.at, by: change.by, ...e });
}

/** A role in a group (idempotent). With `change`, a new role is audited in the same transaction. */
export async function addMember(db: Db | Tx, groupId: string, personId: string, role: GroupRole, change?: Change) {
  if (!change) return db.groupMember.upsert({ where: { groupId_personId_role: { groupId, personId, role } }, create: { groupId, personId, role }, update: {} });
  return inTransaction(db, async (tx) => {
    const had = await tx.groupMember.findUnique({ where: { groupId_personId_role: { groupId, personId, role } } });
    if (had) return had;
    const row = await tx.groupMember.create({ data: { groupId, personId, role } });
    const person = await tx.person.findUniqueOrThrow({ where: { id: personId }, select: { name: true } });
    await auditGroup(tx, groupId, change, { kind: 'member-added', subject: { personId, name: person.name }, to: role, summary: `${person.name} made ${role}` });
    return row;
  });
}

/** Takes a role away; true when they held it. Audited in the same transaction. */
export async function removeMember(db: Db, groupId: string, personId: string, role: GroupRole, change: Change): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const removed = await tx.groupMember.deleteMany({ where: { groupId, personId, role } });
    if (removed.count === 0) return false;
    const person = await tx.person.findUniqueOrThrow({ where: { id: personId }, select: { name: true } });
    await auditGroup(tx, groupId, change, { kind: 'member-removed', subject: { personId, name: person.name }, from: role, summary: `${person.name} is no longer ${role}` });
    return true;
  });
}

/** `work` in a transaction: a new one on a client, the caller's when already given one. */
async function inTransaction<T>(db: Db | Tx, work: (tx: Tx) => Promise<T>): Promise<T> {
  return typeof (db as Partial<Db>).$transaction === 'function' ? (db as Db).$transaction(work) : work(db);
}

/** The group's settings JSON replaced; with `change`, audited from → to in the same transaction. */
export async function saveGroupSettings(db: Db, groupId: string, settingsJson: string, change: Change): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await tx.group.findUniqueOrThrow({ where: { id: groupId }, select: { settingsJson: true } });
    if (before.settingsJson === settingsJson) return;
    await tx.group.update({ where: { id: groupId }, data: { settingsJson } });
    await auditGroup(tx, groupId, change, { kind: 'settings-changed', from: before.settingsJson, to: settingsJson, summary: 'Settings changed (from and to as stored)' });
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
  change?: Change,
) {
  const data = { conversationId: channel.conversationId, teamId: channel.teamId ?? null, serviceUrl: channel.serviceUrl ?? null };
  return db.$transaction(async (tx) => {
    const before = change ? await tx.groupChannel.findUnique({ where: { groupId_platform: { groupId, platform: channel.platform } }, select: { conversationId: true } }) : null;
    const row = await tx.groupChannel.upsert({
      where: { groupId_platform: { groupId, platform: channel.platform } },
      create: { groupId, platform: channel.platform, ...data },
      update: data,
    });
    if (change && before?.conversationId !== channel.conversationId) {
      await auditGroup(tx, groupId, change, { kind: 'channel-set', from: before?.conversationId ?? null, to: channel.conversationId, summary: `${channel.platform === 'slack' ? 'Slack' : 'Teams'} channel set to ${channel.conversationId}` });
    }
    return row;
  });
}

/** A meeting on a date (idempotent; a title given replaces the old one). With `change`, a new meeting or a new title is audited. */
export async function addMeeting(db: Db, groupId: string, date: string, title?: string, change?: Change) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new BragbotError('INPUT_INVALID', `meeting date "${date}" must be YYYY-MM-DD`);
  return db.$transaction(async (tx) => {
    const before = change ? await tx.meeting.findUnique({ where: { groupId_date: { groupId, date } }, select: { title: true } }) : null;
    const row = await tx.meeting.upsert({
      where: { groupId_date: { groupId, date } },
      create: { groupId, date, title: title ?? null },
      update: title !== undefined ? { title } : {},
    });
    if (change && (!before || before.title !== row.title)) {
      await auditGroup(tx, groupId, change, before
        ? { kind: 'meeting-changed', from: before.title, to: row.title, summary: `Meeting on ${date} retitled “${row.title ?? ''}”` }
        : { kind: 'meeting-added', to: date, summary: `Meeting added on ${date}${row.title ? ` (${row.title})` : ''}` });
    }
    return row;
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
