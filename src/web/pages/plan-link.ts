/**
 * Minting a link to a group's plan page (./plan.ts) for one person: what `bragbot groups link`
 * prints and what Teams' `highlight-report` answer carries in a personal chat (a Teams bot
 * cannot attach the Word or PDF file; the page serves both). The page's own question is asked
 * first ('report.read' on the group, src/services/access.ts), so no link is made that would
 * open nothing.
 */
import type { Db } from '../../db/client.js';
import { decideOnGroup, personCaller, type Channel, type Denial } from '../../services/access.js';
import { issueLink, linkUrl, type LinkSigner } from '../../services/links.js';

export interface PlanLinkSettings {
  db: Db;
  workspaceId: string;
  /** LINK_SECRET and LINK_TTL_DAYS. */
  signer: LinkSigner;
  /** PUBLIC_BASE_URL. */
  publicBaseUrl: string;
}

export type PlanLink =
  | { ok: true; url: string; expiresAt: Date; group: { id: string; slug: string; name: string } }
  | { ok: false; denial: Denial };

/** A plan-page link for the person and group (by id), or why not (the page's refusal, in its words). */
export async function mintPlanLink(s: PlanLinkSettings, req: { personId: string; groupId: string; channel: Channel; now: Date; ttlMs?: number }): Promise<PlanLink> {
  const d = await decideOnGroup(s.db, { workspaceId: s.workspaceId, caller: personCaller(req.personId, req.channel), group: { id: req.groupId }, capability: 'report.read' });
  if (!d.allowed) return { ok: false, denial: d };
  const { token, expiresAt } = await issueLink(s.db, s.signer, { workspaceId: s.workspaceId, personId: req.personId, scope: { purpose: 'group', groupId: d.group.id }, now: req.now, ttlMs: req.ttlMs });
  return { ok: true, url: linkUrl(s.publicBaseUrl, token), expiresAt, group: d.group };
}

/** For a chat adapter: the person's link to the group's plan page by the group's slug, or null when there is none to give. */
export function planLinker(s: PlanLinkSettings, clock: () => Date): (personId: string, groupSlug: string, channel: Channel) => Promise<string | null> {
  return async (personId, groupSlug, channel) => {
    const g = await s.db.group.findFirst({ where: { workspaceId: s.workspaceId, slug: groupSlug }, select: { id: true } });
    if (!g) return null;
    const link = await mintPlanLink(s, { personId, groupId: g.id, channel, now: clock() });
    return link.ok ? link.url : null;
  };
}
