/**
 * The outbox: planned messages are written here, with a unique idempotency key, before anything
 * is sent. Writing the same plan twice (a re-run, a second replica, a catch-up) inserts nothing:
 * the key's unique constraint decides, on SQLite and PostgreSQL alike.
 *
 * Where a person's messages go: the first of their routes (src/delivery/routes.ts: their own
 * order, else Teams chat, Slack DM, email) that is enabled and that they have; else the console,
 * when the console is the configured port (demos, a server with no chat platform). The row keeps
 * the route (and its platform, whose port sends it); the dispatcher falls back along the same
 * list when a route fails for good. A partner organisation's person is never sent a DM (no bot
 * can open one across organisations): their messages go to the group's channel with an
 * @mention (./partner-route.ts). A message nobody can receive is stored as 'failed' with the
 * reason, so a chair can see it and the key is not retried every run.
 */
import type { ChatAddress, OutboundMessage, Platform } from '../core/chat.js';
import type { Mention, PlannedMessage, Recipient } from '../core/planner/types.js';
import type { Db } from '../db/client.js';
import { isPartnerAccount, NoPartnerRoute, partnerMentionAddress, partnerRoutes, PERSON_ACCOUNTS_SELECT, type PersonAccounts } from './partner-route.js';
import { loadPersonReach, ROUTE_DEFS, routeOfPlatform, routesFor, storedRoutes, type PersonReach, type Route } from './routes.js';
import { isUniqueViolation } from '../db/errors.js';

export const PAYLOAD_VERSION = 1;

/** OutboxMessage.payloadJson. */
export interface OutboxPayload {
  v: typeof PAYLOAD_VERSION;
  message: OutboundMessage;
  recipientName: string;
  reasonsByAction: Record<string, string[]>;
  /** What the message tells whom: the planner's history for the next plan. */
  mentions: Mention[];
  meetingDate?: string;
}

export function encodePayload(m: PlannedMessage): string {
  const payload: OutboxPayload = {
    v: PAYLOAD_VERSION,
    message: m.message,
    recipientName: m.recipient.type === 'person' ? m.recipient.name : m.recipient.groupName,
    reasonsByAction: m.reasonsByAction,
    mentions: m.mentions,
    ...(m.meetingDate ? { meetingDate: m.meetingDate } : {}),
  };
  return JSON.stringify(payload);
}

export function decodePayload(json: string): OutboxPayload | null {
  try {
    const p = JSON.parse(json) as Partial<OutboxPayload>;
    return p && p.v === PAYLOAD_VERSION && p.message ? (p as OutboxPayload) : null;
  } catch {
    return null;
  }
}

/** Who can be reached where: loaded once per write. */
export interface Reachability {
  people: Map<string, PersonReach & { accounts?: PersonAccounts }>;
  channels: Map<string, Set<string>>;
}

/** `groupIds`: the groups person messages are about too (a partner's person is reached in their channel). */
export async function loadReachability(db: Db, recipients: Recipient[], extraGroupIds: readonly string[] = []): Promise<Reachability> {
  const personIds = [...new Set(recipients.flatMap((r) => (r.type === 'person' ? [r.personId] : [])))];
  const groupIds = [...new Set([...recipients.flatMap((r) => (r.type === 'group-channel' ? [r.groupId] : [])), ...extraGroupIds])];
  const [reach, persons, channels] = await Promise.all([
    loadPersonReach(db, personIds),
    db.person.findMany({ where: { id: { in: personIds } }, select: { id: true, ...PERSON_ACCOUNTS_SELECT } }),
    db.groupChannel.findMany({ where: { groupId: { in: groupIds } }, select: { groupId: true, platform: true } }),
  ]);
  const people = new Map<string, PersonReach & { accounts?: PersonAccounts }>();
  for (const p of persons) {
    const r = reach.get(p.id);
    if (r) people.set(p.id, { ...r, accounts: p });
  }
  const byGroup = new Map<string, Set<string>>();
  for (const c of channels) byGroup.set(c.groupId, (byGroup.get(c.groupId) ?? new Set()).add(c.platform));
  return { people, channels: byGroup };
}

export type PlatformChoice = { platform: Platform; route?: Route | undefined; problem?: undefined } | { platform: Platform; route?: undefined; problem: string };

export function choosePlatform(recipient: Recipient, reach: Reachability, enabled: readonly Platform[], groupId: string | null = null): PlatformChoice {
  const fallback: Platform = enabled[0] ?? 'console';
  if (recipient.type === 'group-channel') {
    if (enabled.includes(recipient.platform) && reach.channels.get(recipient.groupId)?.has(recipient.platform)) return { platform: recipient.platform };
    if (enabled.includes('console') && !enabled.includes(recipient.platform)) return { platform: 'console' };
    return { platform: fallback, problem: `${recipient.groupName} has no ${recipient.platform} channel the bot can post to (${recipient.platform} ${enabled.includes(recipient.platform) ? 'channel missing' : 'is not enabled'})` };
  }
  const person = reach.people.get(recipient.personId);
  if (person?.accounts && (isPartnerAccount(person.accounts, 'slack') || isPartnerAccount(person.accounts, 'teams'))) {
    // A partner's person (issue 15 pt 2): their organisation is compared here, before any attempt;
    // no DM is planned where none can work — the group's channel, with an @mention.
    // Email is their other route (issue 15 pt 2: "an @mention in the group's channel thread, or
    // email"): first when their own order puts it before every chat route, else when no channel can carry it.
    const mention = partnerRoutes(person.accounts, groupId ? reach.channels.get(groupId) : undefined).find((r) => enabled.includes(r.platform));
    const byEmail = ROUTE_DEFS.email.has(person) && enabled.includes(ROUTE_DEFS.email.platform);
    const emailFirst = byEmail && person.routes !== null && person.routes[0] === 'email';
    if (mention && !emailFirst) return { platform: mention.platform };
    if (byEmail) return { platform: ROUTE_DEFS.email.platform, route: 'email' };
    if (enabled.includes('console')) return { platform: 'console' };
    const noEmail = person.email ? 'email is not configured here (SMTP_URL)' : 'bragbot has no email address for them (bragbot people set --email)';
    return { platform: fallback, problem: `${recipient.name} is in a partner organisation's ${person.accounts.slackTeamId !== null ? 'Slack workspace' : 'Microsoft 365 tenant'}: no direct message can reach them, ${groupId ? 'the group has no channel on their platform to mention them in (bragbot groups channel)' : 'this message belongs to no group whose channel could'}, and ${noEmail}` };
  }
  const [route] = person ? routesFor(person, enabled) : [];
  if (route) return { platform: ROUTE_DEFS[route].platform, route };
  if (enabled.includes('console')) return { platform: 'console' };
  const wanted = (person?.routes ?? Object.values(ROUTE_DEFS).map((d) => d.route)).filter((r) => enabled.includes(ROUTE_DEFS[r].platform));
  const fix = wanted.length ? wanted.map((r) => ROUTE_DEFS[r].howToAdd).join('; or ') : `none of their routes (${person?.routes?.join(', ') ?? '-'}) is enabled here`;
  return { platform: fallback, problem: `${recipient.name} cannot be reached by ${wanted.map((r) => ROUTE_DEFS[r].label).join(' or ') || enabled.join(' or ') || 'any route'}: ${fix}` };
}

export interface WriteReport {
  inserted: string[];
  /** Keys already in the outbox (an earlier run or another replica planned them). */
  existing: string[];
  /** Inserted as 'failed' because nobody can receive them. */
  undeliverable: string[];
}

export interface WriteOptions {
  /** Platforms with a working port. */
  platforms: readonly Platform[];
  /** When it was planned, on the deployment's clock (the planner reads recent rows by it). */
  now: Date;
}

export async function writeOutbox(db: Db, planned: PlannedMessage[], options: WriteOptions): Promise<WriteReport> {
  const report: WriteReport = { inserted: [], existing: [], undeliverable: [] };
  if (planned.length === 0) return report;
  const present = new Set(
    (await db.outboxMessage.findMany({ where: { idempotencyKey: { in: planned.map((m) => m.idempotencyKey) } }, select: { idempotencyKey: true } })).map((r) => r.idempotencyKey),
  );
  const fresh = planned.filter((m) => !present.has(m.idempotencyKey));
  report.existing.push(...planned.filter((m) => present.has(m.idempotencyKey)).map((m) => m.idempotencyKey));
  const reach = await loadReachability(db, fresh.map((m) => m.recipient), fresh.flatMap((m) => (m.groupId ? [m.groupId] : [])));
  for (const m of fresh) {
    const choice = choosePlatform(m.recipient, reach, options.platforms, m.groupId);
    try {
      // One statement with its items: the message and what it is about land together or not at all.
      await db.outboxMessage.create({
        data: {
          idempotencyKey: m.idempotencyKey,
          kind: m.kind,
          groupId: m.groupId,
          personId: m.recipient.type === 'person' ? m.recipient.personId : null,
          platform: choice.platform,
          route: choice.route ?? null,
          payloadJson: encodePayload(m),
          notBefore: m.notBefore,
          createdAt: options.now,
          ...(choice.problem ? { status: 'failed', lastError: choice.problem } : {}),
          items: { create: m.actionIds.map((actionId) => ({ actionId })) },
        },
      });
      (choice.problem ? report.undeliverable : report.inserted).push(m.idempotencyKey);
    } catch (e) {
      // Another replica inserted the same key between our check and our insert.
      if (!isUniqueViolation(e)) throw e;
      report.existing.push(m.idempotencyKey);
    }
  }
  return report;
}

/** Which of these keys are in the outbox already (for the dry run). */
export async function existingKeys(db: Db, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.outboxMessage.findMany({ where: { idempotencyKey: { in: keys } }, select: { idempotencyKey: true } });
  return new Set(rows.map((r) => r.idempotencyKey));
}

/** A message that can never be delivered as addressed (no id, no channel): marked failed, not retried. */
export class UndeliverableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndeliverableError';
  }
}

/**
 * Where an outbox row goes, resolved when it is sent (a Teams reference may have been refreshed
 * since it was planned). Slack DMs are addressed by member id (the adapter opens the DM).
 */
export async function resolveAddress(db: Db, row: { personId: string | null; groupId: string | null; platform: string; route?: string | null }): Promise<ChatAddress> {
  const platform = row.platform as Platform;
  if (row.personId) {
    const person = await db.person.findUnique({ where: { id: row.personId }, select: { ...PERSON_ACCOUNTS_SELECT, email: true } });
    if (!person) throw new UndeliverableError('the recipient was deleted');
    if (platform === 'console') return { platform, conversationId: person.name, personId: row.personId };
    // Compared before any attempt (issue 15 pt 2): a partner's account gets no DM, but an @mention in the group's channel.
    if ((platform === 'slack' || platform === 'teams') && isPartnerAccount(person, platform)) {
      try {
        return await partnerMentionAddress(db, person, platform as 'slack' | 'teams', row.groupId);
      } catch (e) {
        if (e instanceof NoPartnerRoute) throw new UndeliverableError(e.message);
        throw e;
      }
    }
    // Rows written before routes existed have none: their platform had one route.
    const route = (row.route ? storedRoutes(row.route)?.[0] : undefined) ?? routeOfPlatform(platform);
    if (!route) throw new UndeliverableError(`no route sends on ${platform}`);
    return ROUTE_DEFS[route].address(db, row.personId, person);
  }
  if (row.groupId) {
    const group = await db.group.findUnique({ where: { id: row.groupId }, select: { name: true, slug: true } });
    if (!group) throw new UndeliverableError('the group was deleted');
    if (platform === 'console') return { platform, conversationId: `#${group.slug}` };
    const channel = await db.groupChannel.findUnique({ where: { groupId_platform: { groupId: row.groupId, platform } } });
    if (!channel) throw new UndeliverableError(`${group.name} has no ${platform} channel`);
    const referenceJson = platform === 'teams' ? JSON.stringify({ teamId: channel.teamId, serviceUrl: channel.serviceUrl }) : undefined;
    return { platform, conversationId: channel.conversationId, ...(referenceJson ? { referenceJson } : {}) };
  }
  throw new UndeliverableError('the message has no recipient');
}
