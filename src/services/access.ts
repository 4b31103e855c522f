/**
 * The one access module every channel uses (Slack, Teams, the CLI, the web forms to come).
 * It works out which roles a caller holds on an action or a group and asks the matrix in
 * src/core/access.ts (printed in docs/access.md). Every decision:
 *  1. knows the caller first: a person of this workspace, someone bragbot does not know, or
 *     someone from another workspace / tenant that bragbot does not know (never acted for);
 *     a person of a partner organisation (Slack Connect, Teams shared channels: issue 15)
 *     holds their roles in a group only while the group trusts that organisation;
 *  2. scopes the action or group to the caller's workspace: an id from another council's plan
 *     is "not found", never a change;
 *  3. only then asks the matrix, and answers allow (with the granting role) or deny (with a
 *     sentence that says what to do).
 * Callers decide BEFORE anything else: before a duplicate-key lookup, before reading what to
 * show, before writing (issue 10 pt 7).
 */
import {
  grantingRole,
  MATRIX,
  refusalSentence,
  ROLES,
  WRITES,
  type Capability,
  type Role,
} from '../core/access.js';
import { BragbotError } from '../core/errors.js';
import type { Db, Tx } from '../db/client.js';
import { asBool, asDate, sqlOf } from '../db/sql.js';

export { CAPABILITIES, CAPABILITY_MEANING, GROUP_ROLES, MATRIX, ROLES, isGroupRole, type Capability, type GroupRole, type Role } from '../core/access.js';

/** The channel a request came through (also StatusUpdate.channel for changes). */
export type Channel = 'slack' | 'teams' | 'web' | 'cli';

/**
 * Who is asking. Adapters resolve platform identities — (workspace or tenant, user id) — to a
 * person of the workspace; anything they cannot resolve is 'unknown', or 'foreign' when the
 * account belongs to another Slack workspace or Teams tenant. A partner's person (an account
 * of another organisation that bragbot knows) is a 'person': whether their roles count is
 * decided here, per group (partnerTrusted). The CLI runs with the database in hand:
 * 'operator', every capability.
 */
export type Caller =
  | { kind: 'person'; personId: string }
  | { kind: 'unknown'; channel: Channel }
  | { kind: 'foreign'; channel: Channel }
  | { kind: 'operator' };

export const personCaller = (personId: string | null | undefined, channel: Channel): Caller =>
  personId ? { kind: 'person', personId } : { kind: 'unknown', channel };

/**
 * The caller behind a chat account: the person it resolved to, else someone unknown — or, when
 * the account is of another organisation (`external`), someone foreign, told so in those words.
 */
export const accountCaller = (personId: string | null | undefined, channel: Channel, external: boolean): Caller =>
  personId ? { kind: 'person', personId } : external ? { kind: 'foreign', channel } : { kind: 'unknown', channel };

export type DenialCode = 'NOT_KNOWN' | 'FOREIGN' | 'NOT_FOUND' | 'FORBIDDEN';

export interface Denial {
  allowed: false;
  code: DenialCode;
  /** What happened and what to do, in a sentence or two (shown to the person as is). */
  reason: string;
}

export type Decision<T> = ({ allowed: true; role: Role; reason: string } & T) | Denial;

/** What a decision on an action knows about it (callers need not read it again). */
export interface ActionFacts {
  id: string;
  groupId: string;
  groupName: string;
  groupSlug: string;
  archived: boolean;
  brag: string;
  updatedAt: Date;
  ownerIds: string[];
}

export interface GroupFacts {
  id: string;
  slug: string;
  name: string;
}

/** Said to someone bragbot does not know, per channel: how to become known. */
export const NOT_KNOWN: Record<Channel, string> = {
  slack: 'bragbot does not know your Slack account yet. Ask your group’s chair or an admin to map people by email (`bragbot people map-slack`) or to add your Slack member id.',
  teams: 'bragbot does not know your Teams account yet. Ask your group’s chair or an admin to add you with your work email (`bragbot people add "Your Name" --email …`) or your Teams id (`--teams`).',
  web: 'bragbot does not know you yet. Ask your group’s chair or an admin to add you.',
  cli: 'bragbot does not know that person. Add them with `bragbot people add`.',
};

const FOREIGN: Record<Channel, string> = {
  slack: 'You are in another organisation’s Slack workspace, so bragbot cannot act on this for you. Ask the group’s chair to add you in this workspace.',
  teams: 'You are signed in to another organisation’s Microsoft 365 tenant, so bragbot cannot act on this for you. Ask the group’s chair to add you in this one.',
  web: 'This link belongs to another organisation, so bragbot cannot act on it for you.',
  cli: 'That belongs to another workspace.',
};

export const ACTION_NOT_FOUND = 'That action is not in your workspace’s plans (it may have been removed).';
export const groupNotFound = (slug: string, visible: readonly string[]): string =>
  `There is no group “${slug}” that you can see.${visible.length ? ` Yours: ${visible.join(', ')}.` : ' Ask the group’s chair to add you.'}`;

type KnownCaller = Extract<Caller, { kind: 'person' | 'operator' }>;
const isKnown = (c: Caller): c is KnownCaller => c.kind === 'person' || c.kind === 'operator';

function callerDenial(caller: Exclude<Caller, KnownCaller>): Denial {
  if (caller.kind === 'unknown') return { allowed: false, code: 'NOT_KNOWN', reason: NOT_KNOWN[caller.channel] };
  // An account of another organisation that is no partner's person: never acted for, whatever
  // ids it sends (a partner's person arrives as a 'person' and is decided by partnerTrusted).
  return { allowed: false, code: 'FOREIGN', reason: FOREIGN[caller.channel] };
}

/** Said to a partner's person in a group that does not (or no longer) trust their organisation. */
export const partnerNotTrusted = (groupName: string): string =>
  `${groupName} does not work with your organisation through bragbot, so it cannot act on this for you. Ask the group’s chair to add your organisation as a partner (\`bragbot groups partner\`).`;

/**
 * The trust rule (issue 15), in SQL over a group id expression and the person row `p`: a person
 * whose Slack or Teams account belongs to another organisation holds roles in a group only while
 * that group trusts the organisation (a GroupPartner row). People of this deployment's own
 * workspace and tenant (both columns null, every row before issue 15) are untouched. Partners are
 * never workspace admins, whatever the flag says: `isAdmin` counts only for our own people.
 */
const partnerTrustedSql = (groupIdExpr: string) =>
  `((p."slackTeamId" IS NULL OR EXISTS (SELECT 1 FROM "GroupPartner" gp WHERE gp."groupId" = ${groupIdExpr} AND gp."platform" = 'slack' AND gp."orgId" = p."slackTeamId"))
    AND (p."teamsTenantId" IS NULL OR EXISTS (SELECT 1 FROM "GroupPartner" gp WHERE gp."groupId" = ${groupIdExpr} AND gp."platform" = 'teams' AND gp."orgId" = p."teamsTenantId")))`;
const OUR_OWN_SQL = `(p."slackTeamId" IS NULL AND p."teamsTenantId" IS NULL)`;

/** The partner organisations a person's accounts belong to (none: one of our own). */
interface PartnerAccounts { slackTeamId: string | null; teamsTenantId: string | null }
const isPartnerPerson = (p: PartnerAccounts): boolean => p.slackTeamId !== null || p.teamsTenantId !== null;

/** The same rule as partnerTrustedSql, for decisions read through Prisma: which of `groupIds` trust this person. */
async function groupsTrusting(db: Db | Tx, person: PartnerAccounts, groupIds: readonly string[]): Promise<Set<string>> {
  if (!isPartnerPerson(person)) return new Set(groupIds);
  const orgs = [
    ...(person.slackTeamId !== null ? [{ platform: 'slack', orgId: person.slackTeamId }] : []),
    ...(person.teamsTenantId !== null ? [{ platform: 'teams', orgId: person.teamsTenantId }] : []),
  ];
  const rows = await db.groupPartner.findMany({ where: { groupId: { in: [...groupIds] }, OR: orgs }, select: { groupId: true, platform: true } });
  return new Set(groupIds.filter((g) => orgs.every((o) => rows.some((r) => r.groupId === g && r.platform === o.platform))));
}

/** Why this caller cannot act as a person (someone unknown, from another organisation, or the CLI). */
export function notAPerson(caller: Exclude<Caller, { kind: 'person' }>): Denial {
  if (caller.kind === 'operator') return { allowed: false, code: 'NOT_KNOWN', reason: 'This needs a person: the CLI acts for nobody in particular.' };
  return callerDenial(caller);
}

const allow = <T>(role: Role, capability: Capability, facts: T): Decision<T> => ({ allowed: true, role, reason: `allowed as ${role} to ${capability}`, ...facts });

/** Roles a person holds on a group: GroupMember rows, and workspace admin. */
async function personOf(db: Db | Tx, workspaceId: string, personId: string, groupIds: readonly string[]) {
  return db.person.findFirst({
    where: { id: personId, workspaceId },
    select: { id: true, isAdmin: true, slackTeamId: true, teamsTenantId: true, memberships: { where: { groupId: { in: [...groupIds] } }, select: { groupId: true, role: true } } },
  });
}

function groupRoles(person: { isAdmin: boolean; memberships: { groupId: string; role: string }[] } & PartnerAccounts, groupId: string): Set<Role> {
  const roles = new Set<Role>();
  for (const m of person.memberships) if (m.groupId === groupId) roles.add(m.role as Role);
  if (person.isAdmin && !isPartnerPerson(person)) roles.add('admin');
  return roles;
}

/**
 * What holding each role on an action means, in SQL over the action `a` and the caller's person
 * row `p` (the one definition: the decisions below read these, and the one-statement click in
 * src/services/brag-change.ts puts the capability's roles into its WHERE, so a click is
 * authorised by the same rule in the same statement that records it).
 */
const member = (role: Role) => `EXISTS (SELECT 1 FROM "GroupMember" m WHERE m."groupId" = a."groupId" AND m."personId" = p."id" AND m."role" = '${role}')`;
export const ROLE_ON_ACTION_SQL: Record<Role, string> = {
  owner: `EXISTS (SELECT 1 FROM "ActionOwner" o WHERE o."actionId" = a."id" AND o."personId" = p."id")`,
  chair: member('chair'),
  // A line manager sees their people's actions: escalations and digests are sent to them.
  manager: `(${member('manager')} OR EXISTS (SELECT 1 FROM "ActionOwner" o JOIN "Person" op ON op."id" = o."personId" WHERE o."actionId" = a."id" AND op."managerId" = p."id"))`,
  member: member('member'),
  'board-viewer': member('board-viewer'),
  auditor: member('auditor'),
  // Partners are never workspace admins (see partnerTrustedSql); a group's admin role is a membership.
  admin: `((p."isAdmin" = true AND ${OUR_OWN_SQL}) OR ${member('admin')})`,
};

/**
 * True (in SQL) when the person `p` may do `capability` on the action `a`: the matrix's roles
 * for it, held in a group that trusts the person's organisation when they are a partner's.
 */
export function capabilityOnActionSql(capability: Capability): string {
  return `(${partnerTrustedSql('a."groupId"')} AND (${MATRIX[capability].map((r) => ROLE_ON_ACTION_SQL[r]).join(' OR ')}))`;
}

const ROLE_COLUMN = (r: Role) => `role_${r.replace('-', '_')}`;

interface ActionRow {
  id: string; groupId: string; archivedAt: unknown; brag: string; updatedAt: unknown; groupName: string; groupSlug: string;
  ownerIds: string | null; personId: string | null;
  [role: string]: unknown;
}

/**
 * The actions among `ids` in the workspace, with the roles `personId` holds on each (and
 * whether that person is of this workspace): one statement.
 */
async function actionsWithRoles(db: Db, workspaceId: string, personId: string | null, ids: readonly string[]): Promise<ActionRow[]> {
  const sql = sqlOf(db);
  if (!sql) throw new Error('access decisions need a database opened with openDatabase (src/db/client.ts)');
  const agg = sql.provider === 'sqlite' ? 'group_concat(o."personId", \',\')' : 'string_agg(o."personId", \',\')';
  const list = ids.map((_, i) => `$${i + 3}`).join(', ');
  return sql.rows<ActionRow>(
    `SELECT a."id", a."groupId", a."archivedAt", a."brag", a."updatedAt", g."name" AS "groupName", g."slug" AS "groupSlug",
      (SELECT ${agg} FROM "ActionOwner" o WHERE o."actionId" = a."id") AS "ownerIds", p."id" AS "personId",
      ${partnerTrustedSql('a."groupId"')} AS "trusted",
      ${ROLES.map((r) => `${ROLE_ON_ACTION_SQL[r]} AS "${ROLE_COLUMN(r)}"`).join(', ')}
    FROM "Action" a JOIN "Group" g ON g."id" = a."groupId"
    LEFT JOIN "Person" p ON p."id" = $2 AND p."workspaceId" = g."workspaceId"
    WHERE g."workspaceId" = $1 AND a."id" IN (${list})`,
    [workspaceId, personId ?? '', ...ids],
    ids.length === 1 ? 'access-action-roles' : undefined,
  );
}

/** The roles the person holds on the action; none in a group that does not trust their organisation. */
const rolesOf = (a: ActionRow): Set<Role> => (asBool(a.trusted) ? new Set(ROLES.filter((r) => asBool(a[ROLE_COLUMN(r)]))) : new Set());

const factsOf = (a: ActionRow): ActionFacts => ({
  id: a.id, groupId: a.groupId, groupName: a.groupName, groupSlug: a.groupSlug, archived: a.archivedAt !== null,
  brag: a.brag, updatedAt: asDate(a.updatedAt)!, ownerIds: a.ownerIds ? a.ownerIds.split(',') : [],
});

/** May the caller do `capability` on this action? */
export async function decideOnAction(
  db: Db,
  req: { workspaceId: string; caller: Caller; actionId: string; capability: Capability },
): Promise<Decision<{ action: ActionFacts }>> {
  if (!isKnown(req.caller)) return callerDenial(req.caller);
  const caller = req.caller;
  const [a] = await actionsWithRoles(db, req.workspaceId, caller.kind === 'person' ? caller.personId : null, [req.actionId]);
  if (!a || (a.archivedAt !== null && WRITES.has(req.capability))) return { allowed: false, code: 'NOT_FOUND', reason: ACTION_NOT_FOUND };
  const action = factsOf(a);
  if (caller.kind === 'operator') return allow('admin', req.capability, { action });
  if (!a.personId) return { allowed: false, code: 'NOT_KNOWN', reason: NOT_KNOWN.web };
  if (!asBool(a.trusted)) return { allowed: false, code: 'FOREIGN', reason: partnerNotTrusted(a.groupName) };
  const role = grantingRole(rolesOf(a), req.capability);
  if (!role) return { allowed: false, code: 'FORBIDDEN', reason: refusalSentence(req.capability, a.groupName) };
  return allow(role, req.capability, { action });
}

/** May the caller do `capability` on this group (by id or slug)? A group they cannot see is "not found". */
export async function decideOnGroup(
  db: Db | Tx,
  req: { workspaceId: string; caller: Caller; group: { id: string } | { slug: string }; capability: Capability },
): Promise<Decision<{ group: GroupFacts }>> {
  if (!isKnown(req.caller)) return callerDenial(req.caller);
  const caller = req.caller;
  const where = 'id' in req.group ? { id: req.group.id, workspaceId: req.workspaceId } : { slug: req.group.slug, workspaceId: req.workspaceId };
  const g = await db.group.findFirst({ where, select: { id: true, slug: true, name: true } });
  const notFound = async (): Promise<Denial> => {
    const slug = 'slug' in req.group ? req.group.slug : req.group.id;
    const visible = caller.kind === 'person' ? (await groupsAllowed(db, req.workspaceId, caller.personId, 'report.read')).map((x) => x.slug) : [];
    return { allowed: false, code: 'NOT_FOUND', reason: groupNotFound(slug, visible) };
  };
  if (!g) return notFound();
  if (caller.kind === 'operator') return allow('admin', req.capability, { group: g });
  const person = await personOf(db, req.workspaceId, caller.personId, [g.id]);
  if (!person) return { allowed: false, code: 'NOT_KNOWN', reason: NOT_KNOWN.web };
  if (!(await groupsTrusting(db, person, [g.id])).has(g.id)) {
    // A group they named by slug stays as unseen as it is to anyone outside it.
    if ('slug' in req.group) return notFound();
    return { allowed: false, code: 'FOREIGN', reason: partnerNotTrusted(g.name) };
  }
  const roles = groupRoles(person, g.id);
  if (MATRIX[req.capability].includes('owner') && !grantingRole(roles, req.capability)) {
    const owns = await db.actionOwner.findFirst({ where: { personId: person.id, action: { groupId: g.id, archivedAt: null } }, select: { id: true } });
    if (owns) roles.add('owner');
  }
  const role = grantingRole(roles, req.capability);
  if (role) return allow(role, req.capability, { group: g });
  // Someone with no role at all in a group they named is told it is not there (its name is not
  // theirs to learn); a group reached through its channel or thread is no secret to them.
  if (roles.size === 0 && 'slug' in req.group) return notFound();
  return { allowed: false, code: 'FORBIDDEN', reason: refusalSentence(req.capability, g.name) };
}

/** Which of these actions may the person do `capability` on (ids outside the workspace drop out)? */
export async function actionsAllowed(db: Db, workspaceId: string, personId: string, ids: readonly string[], capability: Capability): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await actionsWithRoles(db, workspaceId, personId, [...new Set(ids)]);
  return new Set(rows.filter((r) => r.personId && !(WRITES.has(capability) && r.archivedAt !== null) && grantingRole(rolesOf(r), capability) !== null).map((r) => r.id));
}

/** The groups of the workspace on which the person may do `capability`, by slug. */
export async function groupsAllowed(db: Db | Tx, workspaceId: string, personId: string, capability: Capability): Promise<GroupFacts[]> {
  const person = await db.person.findFirst({ where: { id: personId, workspaceId }, select: { isAdmin: true, slackTeamId: true, teamsTenantId: true } });
  if (!person) return [];
  const all = await db.group.findMany({ where: { workspaceId }, select: { id: true, slug: true, name: true }, orderBy: { slug: 'asc' } });
  if (person.isAdmin && !isPartnerPerson(person) && MATRIX[capability].includes('admin')) return all;
  const trusting = await groupsTrusting(db, person, all.map((g) => g.id));
  const groups = all.filter((g) => trusting.has(g.id));
  const memberships = await db.groupMember.findMany({ where: { personId, group: { workspaceId } }, select: { groupId: true, role: true } });
  const owned = MATRIX[capability].includes('owner')
    ? new Set((await db.actionOwner.findMany({ where: { personId, action: { archivedAt: null, group: { workspaceId } } }, select: { action: { select: { groupId: true } } } })).map((o) => o.action.groupId))
    : new Set<string>();
  return groups.filter((g) => {
    const roles = new Set<Role>(memberships.filter((m) => m.groupId === g.id).map((m) => m.role as Role));
    if (owned.has(g.id)) roles.add('owner');
    return grantingRole(roles, capability) !== null;
  });
}

const ERROR_CODE: Record<DenialCode, 'NOT_FOUND' | 'FORBIDDEN'> = { NOT_KNOWN: 'FORBIDDEN', FOREIGN: 'FORBIDDEN', NOT_FOUND: 'NOT_FOUND', FORBIDDEN: 'FORBIDDEN' };

/** For code that throws rather than returns: a denial as a BragbotError (NOT_FOUND or FORBIDDEN). */
export function denialError(d: Denial): BragbotError {
  return new BragbotError(ERROR_CODE[d.code], d.reason, { denial: d.code });
}

/** The decision, or throws its denial. */
export function required<T>(d: Decision<T>): Extract<Decision<T>, { allowed: true }> {
  if (!d.allowed) throw denialError(d);
  return d as Extract<Decision<T>, { allowed: true }>;
}
