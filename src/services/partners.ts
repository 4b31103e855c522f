/**
 * Partner organisations a group trusts (issue 15): a police force's Slack workspace in a Slack
 * Connect channel, a health trust's Microsoft 365 tenant in a Teams shared channel. Trusting one
 * lets that organisation's people who are bragbot people (`people add … --slack-team T… /
 * --teams-tenant <guid>`) act on this group's plan with the roles the group gives them; anyone
 * else from that organisation, and every untrusted one, is still refused (src/services/access.ts).
 * Every change is written down (PartnerTrustChange) with who made it and when, in one transaction
 * with the change itself.
 */
import { z } from 'zod';
import { BragbotError } from '../core/errors.js';
import type { Db } from '../db/client.js';

export const PARTNER_PLATFORMS = ['slack', 'teams'] as const;
export type PartnerPlatform = (typeof PARTNER_PLATFORMS)[number];

const SLACK_TEAM = /^T[A-Z0-9]{2,}$/;
const TENANT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const PartnerOrg = z.discriminatedUnion('platform', [
  z.object({ platform: z.literal('slack'), orgId: z.string().regex(SLACK_TEAM, 'a Slack team id such as T012ABCDEF: the partner workspace’s id (Slack Connect channel → Settings → workspaces in this channel, or the partner’s admin)') }),
  // Tenant ids are GUIDs; Teams sends them lower case, and so they are stored.
  z.object({ platform: z.literal('teams'), orgId: z.string().regex(TENANT, 'an Entra tenant id (a GUID): the partner’s Microsoft 365 tenant, from their IT team or the shared channel’s member list').transform((s) => s.toLowerCase()) }),
]);
export type PartnerOrg = z.input<typeof PartnerOrg>;

export interface TrustChange {
  /** trusted | removed | unchanged (already so: nothing written). */
  outcome: 'trusted' | 'removed' | 'unchanged';
  platform: PartnerPlatform;
  orgId: string;
}

function parseOrg(org: PartnerOrg): { platform: PartnerPlatform; orgId: string } {
  const parsed = PartnerOrg.safeParse(org);
  if (!parsed.success) throw new BragbotError('INPUT_INVALID', parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

/** Trusts a partner organisation for a group; a repeat changes nothing and records nothing. */
export async function trustPartner(db: Db, groupId: string, org: PartnerOrg & { name?: string | undefined }, by: string, now: Date): Promise<TrustChange> {
  const o = parseOrg(org);
  return db.$transaction(async (tx) => {
    const existing = await tx.groupPartner.findUnique({ where: { groupId_platform_orgId: { groupId, ...o } } });
    if (existing) {
      if (org.name !== undefined && org.name !== existing.name) await tx.groupPartner.update({ where: { id: existing.id }, data: { name: org.name } });
      return { outcome: 'unchanged', ...o };
    }
    await tx.groupPartner.create({ data: { groupId, ...o, name: org.name ?? null, createdAt: now } });
    await tx.partnerTrustChange.create({ data: { groupId, ...o, change: 'trusted', by, at: now } });
    return { outcome: 'trusted', ...o };
  });
}

/** Stops trusting a partner organisation: its people's clicks and replies for this group are refused from now on. */
export async function removePartner(db: Db, groupId: string, org: PartnerOrg, by: string, now: Date): Promise<TrustChange> {
  const o = parseOrg(org);
  return db.$transaction(async (tx) => {
    const { count } = await tx.groupPartner.deleteMany({ where: { groupId, ...o } });
    if (count === 0) return { outcome: 'unchanged', ...o };
    await tx.partnerTrustChange.create({ data: { groupId, ...o, change: 'removed', by, at: now } });
    return { outcome: 'removed', ...o };
  });
}

export async function listPartners(db: Db, groupId: string) {
  const [partners, history] = await Promise.all([
    db.groupPartner.findMany({ where: { groupId }, orderBy: [{ platform: 'asc' }, { orgId: 'asc' }], select: { platform: true, orgId: true, name: true, createdAt: true } }),
    db.partnerTrustChange.findMany({ where: { groupId }, orderBy: [{ at: 'asc' }, { id: 'asc' }], select: { platform: true, orgId: true, change: true, by: true, at: true } }),
  ]);
  return { partners, history };
}
