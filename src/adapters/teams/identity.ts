/**
 * Who is acting: a Teams user as a bragbot Person of this workspace, identified by (tenant, user
 * id). Our own people (Person.teamsTenantId null) are matched by Person.teamsUserId (the AAD
 * object id, or Teams' own user id), else by email from the conversation roster; a match by
 * email records the AAD id on the person, so the roster is asked once per person, not per
 * message. A user signed in to another tenant (an external member of a shared channel) is only
 * ever the person whose teamsTenantId is that tenant: no roster, no email match, since an email
 * in another organisation's directory proves nothing here. People are never created from chat.
 */
import type { Db } from '../../db/client.js';
import { NOT_KNOWN } from '../../services/access.js';
import type { Actor } from './activity.js';

export interface Person {
  id: string;
  name: string;
  team: string | null;
  isAdmin: boolean;
}

/** The roster's view of a user (Bot Connector `GET /v3/conversations/{id}/members/{userId}`). */
export interface RosterEntry {
  email?: string | undefined;
  userPrincipalName?: string | undefined;
  aadObjectId?: string | undefined;
}
export type RosterLookup = (teamsUserId: string) => Promise<RosterEntry | null>;

export const NOT_MAPPED = NOT_KNOWN.teams;

const select = { id: true, name: true, team: true, isAdmin: true, teamsUserId: true } as const;

/**
 * The partner tenant the actor's account belongs to, or null when it is ours: `home` is
 * TEAMS_TENANT_ID when configured, else the tenant hosting the conversation.
 */
export function actorOrg(actor: Pick<Actor, 'tenantId' | 'userTenantId'>, home: string | undefined): string | null {
  const ours = (home ?? actor.tenantId)?.toLowerCase();
  return actor.userTenantId && ours && actor.userTenantId !== ours ? actor.userTenantId : null;
}

export async function resolvePerson(db: Db, workspaceId: string, actor: Actor, roster?: RosterLookup, homeTenant?: string): Promise<Person | null> {
  const ids = [...new Set([actor.aadObjectId, actor.teamsId].filter((x): x is string => Boolean(x)))];
  const org = actorOrg(actor, homeTenant);
  const direct = await db.person.findFirst({ where: { workspaceId, teamsUserId: { in: ids }, teamsTenantId: org }, select });
  if (direct) return strip(direct);
  if (!roster || org !== null) return null;
  let entry: RosterEntry | null = null;
  try {
    entry = await roster(actor.teamsId);
  } catch {
    // The roster is a convenience: without it the person is simply not recognised.
    return null;
  }
  const emails = [...new Set([entry?.email, entry?.userPrincipalName].filter((x): x is string => Boolean(x && x.includes('@'))).flatMap((e) => [e, e.toLowerCase()]))];
  if (emails.length === 0) return null;
  const byEmail = await db.person.findFirst({ where: { workspaceId, email: { in: emails }, teamsTenantId: null }, select });
  if (!byEmail) return null;
  if (!byEmail.teamsUserId) {
    const teamsUserId = entry?.aadObjectId ?? actor.aadObjectId ?? actor.teamsId;
    // Unique per workspace: if another person already holds this id, leave both alone.
    await db.person.updateMany({ where: { id: byEmail.id, teamsUserId: null }, data: { teamsUserId } }).catch(() => undefined);
  }
  return strip(byEmail);
}

function strip(p: Person & { teamsUserId: string | null }): Person {
  return { id: p.id, name: p.name, team: p.team, isAdmin: p.isAdmin };
}
