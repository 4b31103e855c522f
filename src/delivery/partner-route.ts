/**
 * How a message reaches a partner organisation's person (issue 15 pt 2). Their account lives in
 * another Slack workspace or Microsoft 365 tenant: a bot cannot open a direct message with them
 * (Slack: conversations.open answers for our workspace's users only; Teams: "Attempt to send a
 * direct message from your bot to the external user … fails if the user is outside your tenant",
 * tests/fixtures/teams/README.md). So the organisation is compared BEFORE any attempt — the
 * account's stored workspace / tenant (Person.slackTeamId / teamsTenantId, null = ours) — and
 * for a partner the route is an @mention in the group's channel: in the thread of the group's
 * latest update round on that platform when there is one, else in the channel. With no channel
 * on the platform, email (issue 14's route) carries it when they have an address, else the message
 * is undeliverable, said in words (choosePlatform in ./outbox.ts decides between them).
 */
import type { ChatAddress, Platform } from '../core/chat.js';
import type { Db } from '../db/client.js';

export interface PersonAccounts {
  name: string;
  slackUserId: string | null;
  slackTeamId: string | null;
  teamsUserId: string | null;
  teamsTenantId: string | null;
}

export const PERSON_ACCOUNTS_SELECT = { name: true, slackUserId: true, slackTeamId: true, teamsUserId: true, teamsTenantId: true } as const;

/** True when the person's account on `platform` belongs to a partner organisation: no DM can reach it. */
export function isPartnerAccount(p: Pick<PersonAccounts, 'slackTeamId' | 'teamsTenantId'>, platform: Platform): boolean {
  if (platform === 'slack') return p.slackTeamId !== null;
  if (platform === 'teams') return p.teamsTenantId !== null;
  return false;
}

/** The ways a partner's person can be reached, in order (today: the group channel's @mention on each of their platforms). */
export type PartnerRoute = { route: 'channel-mention'; platform: 'slack' | 'teams' };

export function partnerRoutes(p: PersonAccounts, groupChannels: ReadonlySet<string> | undefined): PartnerRoute[] {
  const out: PartnerRoute[] = [];
  if (p.teamsTenantId !== null && p.teamsUserId && groupChannels?.has('teams')) out.push({ route: 'channel-mention', platform: 'teams' });
  if (p.slackTeamId !== null && p.slackUserId && groupChannels?.has('slack')) out.push({ route: 'channel-mention', platform: 'slack' });
  return out;
}

export class NoPartnerRoute extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoPartnerRoute';
  }
}

/** The group channel's address with the person @mentioned, in the latest update round's thread there if any. */
export async function partnerMentionAddress(db: Db, p: PersonAccounts, platform: 'slack' | 'teams', groupId: string | null): Promise<ChatAddress> {
  const userId = platform === 'slack' ? p.slackUserId : p.teamsUserId;
  if (!userId) throw new NoPartnerRoute(`${p.name} has no ${platform === 'slack' ? 'Slack member' : 'Teams user'} id`);
  if (!groupId) throw new NoPartnerRoute(`${p.name} is in another organisation's ${platform === 'slack' ? 'Slack workspace' : 'Microsoft 365 tenant'}: a direct message cannot reach them, and this message belongs to no group whose channel could`);
  const channel = await db.groupChannel.findUnique({ where: { groupId_platform: { groupId, platform } } });
  if (!channel) throw new NoPartnerRoute(`${p.name} is in another organisation's ${platform === 'slack' ? 'Slack workspace' : 'Microsoft 365 tenant'}, so no direct message can reach them, and the group has no ${platform} channel to mention them in (bragbot groups channel)`);
  const thread = await db.updateThread.findFirst({
    where: { platform, conversationId: channel.conversationId, meeting: { groupId } },
    orderBy: { openedAt: 'desc' },
    select: { threadId: true },
  });
  const referenceJson = platform === 'teams' ? JSON.stringify({ teamId: channel.teamId, serviceUrl: channel.serviceUrl }) : undefined;
  return {
    platform,
    conversationId: channel.conversationId,
    ...(thread ? { threadId: thread.threadId } : {}),
    ...(referenceJson ? { referenceJson } : {}),
    mention: { userId, name: p.name },
  };
}
